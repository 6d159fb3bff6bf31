"""Embeddings over Bedrock ``InvokeModel`` (pure): request bodies and responses per model family.

- Amazon Titan text embeddings (``amazon.titan-embed-text-v1``, ``-v2:0``, ``titan-embed-g1-text-02``):
  one input per call, ``{"inputText", "dimensions", "normalize"}`` (the last two for v2 only) ->
  ``{"embedding": [...], "inputTextTokenCount": n}``.
  https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
- Cohere Embed (``cohere.embed-english-v3``, ``-multilingual-v3``, ``cohere.embed-v4:0``): up to 96
  texts per call, ``{"texts", "input_type", "output_dimension" (v4)}`` -> ``{"embeddings": [[...]]}``
  (or ``{"embeddings": {"float": [[...]]}}`` when typed); token counts only in the
  ``x-amzn-bedrock-input-token-count`` response header.
  https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v3.html
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import orjson

from switchboard.adapters.outbound.providers.bedrock.target import bare_model
from switchboard.adapters.outbound.providers.failures import protocol_error
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest

Family = Literal["titan", "titan-v2", "cohere", "cohere-v4"]
COHERE_BATCH = 96
_COHERE_INPUT_TYPES = frozenset({"search_document", "search_query", "classification", "clustering"})


def _bad(message: str, param: str) -> BadRequest:
    return BadRequest(f"bedrock: {message}", param=param, provider="bedrock")


def family(model_id: str) -> Family:
    name = bare_model(model_id)
    if name.startswith("amazon.titan-embed-text-v2"):
        return "titan-v2"
    if name.startswith(("amazon.titan-embed-text", "amazon.titan-embed-g1-text")):
        return "titan"
    if name.startswith("cohere.embed-v4"):
        return "cohere-v4"
    if name.startswith("cohere.embed"):
        return "cohere"
    raise _bad(f"embeddings work with Amazon Titan text and Cohere Embed models, not {model_id!r}.", "model")


def texts(request: EmbeddingRequest) -> list[str]:
    items = request.inputs
    if any(not isinstance(item, str) for item in items):
        raise _bad("embedding inputs must be text; token arrays are not accepted.", "input")
    return [str(item) for item in items]


def titan_body(text: str, kind: Family, request: EmbeddingRequest, params: Mapping[str, Any]) -> bytes:
    body: dict[str, Any] = {"inputText": text}
    dimensions = request.dimensions or params.get("dimensions")
    normalize = (request.model_extra or {}).get("normalize", params.get("normalize"))
    if kind == "titan-v2":
        if dimensions:
            body["dimensions"] = int(dimensions)
        if normalize is not None:
            body["normalize"] = bool(normalize)
    elif request.dimensions:
        raise _bad("Titan v1 embeddings have a fixed size; dimensions needs titan-embed-text-v2.", "dimensions")
    return orjson.dumps(body)


def cohere_bodies(
    items: Sequence[str], kind: Family, request: EmbeddingRequest, params: Mapping[str, Any]
) -> list[bytes]:
    """One body per batch of at most 96 texts."""
    input_type = (request.model_extra or {}).get("input_type") or params.get("input_type") or "search_document"
    if input_type not in _COHERE_INPUT_TYPES:
        raise _bad(f"input_type must be one of {sorted(_COHERE_INPUT_TYPES)}.", "input_type")
    base: dict[str, Any] = {"input_type": input_type}
    truncate = (request.model_extra or {}).get("truncate") or params.get("truncate")
    if truncate:
        base["truncate"] = truncate
    if request.dimensions:
        if kind != "cohere-v4":
            raise _bad("Cohere Embed v3 has a fixed size; dimensions needs cohere.embed-v4.", "dimensions")
        base["output_dimension"] = request.dimensions
    return [
        orjson.dumps({**base, "texts": list(items[i : i + COHERE_BATCH])}) for i in range(0, len(items), COHERE_BATCH)
    ]


def titan_vector(body: bytes) -> tuple[list[float], int]:
    """``(vector, input tokens)`` of one Titan answer."""
    try:
        payload = orjson.loads(body)
        return [float(v) for v in payload["embedding"]], int(payload.get("inputTextTokenCount") or 0)
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise protocol_error("bedrock", "a Titan embedding response we could not read") from exc


def cohere_vectors(body: bytes) -> list[list[float]]:
    try:
        embeddings = orjson.loads(body)["embeddings"]
        if isinstance(embeddings, dict):
            embeddings = embeddings["float"]
        return [[float(v) for v in vector] for vector in embeddings]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise protocol_error("bedrock", "a Cohere embedding response we could not read") from exc
