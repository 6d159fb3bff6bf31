"""Ollama's native chat and embed APIs (``/api/chat``, ``/api/embed``)."""

from switchboard.adapters.outbound.providers.ollama.client import OllamaProvider

__all__ = ["OllamaProvider"]
