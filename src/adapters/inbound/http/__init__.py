"""The HTTP gateway: OpenAI's wire format over Litestar."""

from adapters.inbound.http.app import HttpOptions, build_http_app
from adapters.inbound.http.services import HttpServices

__all__ = ["HttpOptions", "HttpServices", "build_http_app"]
