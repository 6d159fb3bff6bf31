"""Embeddings: the Gemini API's ``batchEmbedContents`` and Vertex AI's ``predict`` (pure).

Neither takes token arrays. ``dimensions`` becomes ``outputDimensionality``; a ``task_type``
(``RETRIEVAL_QUERY``, ``SEMANTIC_SIMILARITY``...) on the request or the deployment passes through.
When the API reports no token count, the caller estimates one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from switchboard.adapters.outbound.providers.failures import protocol_error
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest


def texts_of(request: EmbeddingRequest) -> list[str]:
    """The input strings; token arrays are refused (Google models take text only)."""
    items = request.inputs
    texts = [item for item in items if isinstance(item, str)]
    if not items or len(texts) != len(items):
        raise BadRequest("Google embedding models take text input, not token arrays", param="input")
    return texts


def task_type(request: EmbeddingRequest, defaults: Mapping[str, Any]) -> str | None:
    value = (request.model_extra or {}).get("task_type") or defaults.get("task_type")
    return str(value) if value else None


def batch_body(texts: Sequence[str], model: str, dimensions: int | None, task: str | None) -> dict[str, Any]:
    """``models/{model}:batchEmbedContents`` (Gemini API)."""
    requests = []
    for text in texts:
        item: dict[str, Any] = {"model": f"models/{model}", "content": {"parts": [{"text": text}]}}
        if dimensions is not None:
            item["outputDimensionality"] = dimensions
        if task:
            item["taskType"] = task
        requests.append(item)
    return {"requests": requests}


def batch_vectors(payload: Any, provider: str) -> tuple[list[list[float]], int | None]:
    """The vectors of a ``batchEmbedContents`` answer, and its token count if it gives one."""
    embeddings = payload.get("embeddings") if isinstance(payload, Mapping) else None
    if not isinstance(embeddings, list):
        raise protocol_error(provider, "an embeddings response without embeddings")
    vectors = [_values(item, provider) for item in embeddings]
    usage = payload.get("usageMetadata")
    tokens = usage.get("promptTokenCount") if isinstance(usage, Mapping) else None
    return vectors, int(tokens) if tokens is not None else None


def predict_body(texts: Sequence[str], dimensions: int | None, task: str | None) -> dict[str, Any]:
    """``publishers/google/models/{model}:predict`` (Vertex AI text embedding models)."""
    instances: list[dict[str, Any]] = []
    for text in texts:
        instance: dict[str, Any] = {"content": text}
        if task:
            instance["task_type"] = task
        instances.append(instance)
    body: dict[str, Any] = {"instances": instances}
    if dimensions is not None:
        body["parameters"] = {"outputDimensionality": dimensions}
    return body


def predict_vectors(payload: Any, provider: str) -> tuple[list[list[float]], int | None]:
    """The vectors of a ``predict`` answer and the sum of its ``statistics.token_count``."""
    predictions = payload.get("predictions") if isinstance(payload, Mapping) else None
    if not isinstance(predictions, list):
        raise protocol_error(provider, "a predict response without predictions")
    vectors: list[list[float]] = []
    tokens: int | None = None
    for prediction in predictions:
        embedding = prediction.get("embeddings") if isinstance(prediction, Mapping) else None
        vectors.append(_values(embedding, provider))
        statistics = embedding.get("statistics") if isinstance(embedding, Mapping) else None
        count = statistics.get("token_count") if isinstance(statistics, Mapping) else None
        if count is not None:
            tokens = (tokens or 0) + int(count)
    return vectors, tokens


def _values(item: Any, provider: str) -> list[float]:
    values = item.get("values") if isinstance(item, Mapping) else None
    if not isinstance(values, list):
        raise protocol_error(provider, "an embedding without values")
    return [float(v) for v in values]
