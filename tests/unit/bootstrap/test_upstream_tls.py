"""``litellm_settings.ssl_verify``: which TLS context the upstream transport gets."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from switchboard.bootstrap.config.schema import Config
from switchboard.bootstrap.tls import upstream_tls
from tests.support.tls import self_signed


def test_verification_on_keeps_the_transports_default() -> None:
    assert upstream_tls(True) is None


def test_verification_off_checks_neither_chain_nor_name() -> None:
    context = upstream_tls(False)
    assert context is not None
    assert (context.verify_mode, context.check_hostname) == (ssl.CERT_NONE, False)


def test_a_bundle_is_trusted_and_names_still_checked(tmp_path: Path) -> None:
    certificate, _ = self_signed(tmp_path)
    context = upstream_tls(str(certificate))
    assert context is not None
    assert (context.verify_mode, context.check_hostname) == (ssl.CERT_REQUIRED, True)
    assert context.cert_store_stats()["x509_ca"] >= 1


@pytest.mark.parametrize(("given", "read"), [("false", False), ("True", True), ("0", False)])
def test_a_boolean_written_as_text_reads_as_a_boolean(given: str, read: bool) -> None:
    assert Config.model_validate({"litellm_settings": {"ssl_verify": given}}).litellm_settings.ssl_verify is read


def test_a_bundle_that_is_not_there_is_a_config_error() -> None:
    with pytest.raises(ValueError, match="no CA bundle at"):
        Config.model_validate({"litellm_settings": {"ssl_verify": "/no/such/bundle.pem"}})
