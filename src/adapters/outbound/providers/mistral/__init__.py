"""Mistral's chat completions and embeddings APIs (OpenAI-like, with Mistral's differences)."""

from switchboard.adapters.outbound.providers.mistral.client import MistralProvider

__all__ = ["MistralProvider"]
