"""The HTTP gateway: OpenAI's wire format over Litestar."""

from switchboard.adapters.inbound.http.app import HttpOptions, build_http_app
from switchboard.adapters.inbound.http.services import HttpServices

__all__ = ["HttpOptions", "HttpServices", "build_http_app"]
