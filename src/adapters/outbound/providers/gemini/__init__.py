"""Google's Gemini API (AI Studio): chat over ``generateContent`` and embeddings.

The pure mapping modules (``request``, ``content``, ``response``, ``stream``, ``errors``,
``embeddings``) and the shared I/O shell (``client.GenerateContentClient``) also serve Vertex AI,
which speaks the same wire format (see ``providers.vertex_ai``).
"""

from switchboard.adapters.outbound.providers.gemini.client import GeminiProvider

__all__ = ["GeminiProvider"]
