"""OpenAI's APIs (chat, embeddings, completions, images, audio), and the base of every
OpenAI-compatible API."""

from switchboard.adapters.outbound.providers.openai.client import ALL_ENDPOINTS, CHAT_ENDPOINTS, OpenAIProvider

__all__ = ["ALL_ENDPOINTS", "CHAT_ENDPOINTS", "OpenAIProvider"]
