"""OpenAI's Chat Completions and Embeddings APIs, and the base of every OpenAI-compatible API."""

from adapters.outbound.providers.openai.client import OpenAIProvider

__all__ = ["OpenAIProvider"]
