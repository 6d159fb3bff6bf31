"""Anthropic's Messages API (``POST /v1/messages``), JSON and streaming."""

from switchboard.adapters.outbound.providers.anthropic.client import AnthropicProvider

__all__ = ["AnthropicProvider"]
