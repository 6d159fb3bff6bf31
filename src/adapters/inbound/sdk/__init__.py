"""The Python facade: ``Client`` and ``AsyncClient`` over the same use cases as the gateway."""

from switchboard.adapters.inbound.sdk.client import AsyncChatStream, AsyncClient, Client, SdkServices
from switchboard.adapters.inbound.sdk.streams import AsyncStream

__all__ = ["AsyncChatStream", "AsyncClient", "AsyncStream", "Client", "SdkServices"]
