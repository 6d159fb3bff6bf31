"""What the HTTP adapter needs from the application, built by bootstrap."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from switchboard.adapters.inbound.http.access import AccessPolicy
from switchboard.application.auth import Authenticator
from switchboard.application.chat import ChatService
from switchboard.application.completions import CompletionService
from switchboard.application.embeddings import EmbeddingService
from switchboard.application.governance.services import Governance
from switchboard.application.health import HealthService
from switchboard.application.media import ImageService, SpeechService, TranscriptionService
from switchboard.application.messages import MessagesService
from switchboard.application.models import ModelEntry
from switchboard.application.responses import ResponsesService


@dataclass
class HttpServices:
    chat: ChatService
    embeddings: EmbeddingService
    auth: Authenticator
    models: Callable[[], list[ModelEntry]]
    readiness: Callable[[], Awaitable[dict[str, Any]]]
    max_body_bytes: int = 20 * 1024 * 1024
    governance: Governance | None = None  # None: no master key, so no management routes
    extra: dict[str, Any] = field(default_factory=dict)
    completions: CompletionService | None = None
    images: ImageService | None = None
    transcriptions: TranscriptionService | None = None
    speech: SpeechService | None = None
    health: HealthService | None = None  # GET /health
    messages: MessagesService | None = None  # the Anthropic door, POST /v1/messages
    responses: ResponsesService | None = None  # the Responses door (/v1/responses)
    access: AccessPolicy = field(default_factory=AccessPolicy)  # metrics access, auth throttle
