"""The built-in ``mock`` provider: deterministic answers, offline, with configurable latency,
chunking and failures. Deployment params (``litellm_params``) or request fields set:

- ``mock_response``: the reply text (default: a fixed sentence that quotes the last user message)
- ``mock_latency_ms``: wait before the answer (or the first chunk)
- ``mock_chunk_delay_ms``: wait between stream chunks
- ``mock_chunk_size``: words per stream chunk (default 1)
- ``mock_error``: ``{status, message, retry_after}``, fail every call with that upstream status
- ``mock_dimensions``: embedding size (default 64)
"""

from switchboard.adapters.outbound.providers.mock.client import MockProvider

__all__ = ["MockProvider"]
