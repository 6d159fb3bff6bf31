"""How the gateway verifies its upstreams' certificates: ``litellm_settings.ssl_verify``."""

from __future__ import annotations

import logging
import ssl

log = logging.getLogger(__name__)


def upstream_tls(verify: bool | str) -> ssl.SSLContext | None:
    """``True``: the system's authorities (which ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` extend) and
    the transport's own default context (``None``); a path: trust that CA bundle as well as
    checking host names; ``False``: no verification at all (logged, loudly)."""
    if verify is True:
        return None
    if verify is False:
        log.warning("upstream TLS certificates are not verified (litellm_settings.ssl_verify: false)")
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return ssl.create_default_context(cafile=verify)
