"""Cohere's v2 Chat and Embed APIs."""

from switchboard.adapters.outbound.providers.cohere.client import CohereProvider

__all__ = ["CohereProvider"]
