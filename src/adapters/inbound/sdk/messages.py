"""A Messages stream as the facade hands it out: stream event models, read from the bytes the
gateway would send an Anthropic client."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from switchboard.application.messages import MessagesStream
from switchboard.domain.anthropic_messages.events import AnyEvent, EventReader
from switchboard.domain.chat import RouteInfo
from switchboard.domain.usage import Usage


class MessageEvents:
    """``async for`` the events; ``route`` names the deployment, ``usage`` is known at the end."""

    __slots__ = ("_stream", "route", "usage")

    def __init__(self, stream: MessagesStream) -> None:
        self._stream = stream
        self.route: RouteInfo = stream.route
        self.usage: Usage | None = None

    def __aiter__(self) -> AsyncGenerator[AnyEvent, None]:
        return self._events()

    async def _events(self) -> AsyncGenerator[AnyEvent, None]:
        reader = EventReader()
        async for piece in self._stream:
            for event in reader.feed(piece):
                yield event
        self.usage = self._stream.settle_usage()
