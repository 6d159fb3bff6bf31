"""Gemini models on Google Cloud Vertex AI.

The wire format is the Gemini API's, so the mapping comes from ``providers.gemini``; this package
adds what differs: Google credentials traded for OAuth access tokens (``credentials``,
``tokens``), Vertex URLs (``urls``) and ``predict`` embeddings (``client``).
"""

from switchboard.adapters.outbound.providers.vertex_ai.client import VertexProvider

__all__ = ["VertexProvider"]
