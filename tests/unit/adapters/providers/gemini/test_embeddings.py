"""Embedding bodies and answers for batchEmbedContents (Gemini API) and predict (Vertex AI)."""

from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.gemini.embeddings import (
    batch_body,
    batch_vectors,
    predict_body,
    predict_vectors,
    texts_of,
)
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest, UpstreamProtocolError
from tests.support.google_schema import validate_batch_embed_request, validate_predict_request
from tests.unit.adapters.providers.gemini.recorded import load


def test_a_batch_body_has_one_request_per_text_with_dimensions_and_task() -> None:
    body = batch_body(["a", "b"], "gemini-embedding-001", 256, "RETRIEVAL_QUERY")
    validate_batch_embed_request(body)
    assert body["requests"][1] == {
        "model": "models/gemini-embedding-001",
        "content": {"parts": [{"text": "b"}]},
        "outputDimensionality": 256,
        "taskType": "RETRIEVAL_QUERY",
    }


def test_batch_vectors_are_read_in_order_without_a_token_count() -> None:
    vectors, tokens = batch_vectors(load("batch_embed_response.json"), "gemini")
    assert vectors[0][:2] == [0.013168523, -0.008711934] and len(vectors) == 2
    assert tokens is None


def test_a_predict_body_has_instances_and_output_dimensionality() -> None:
    body = predict_body(["a", "b"], 128, "SEMANTIC_SIMILARITY")
    validate_predict_request(body)
    assert body == {
        "instances": [
            {"content": "a", "task_type": "SEMANTIC_SIMILARITY"},
            {"content": "b", "task_type": "SEMANTIC_SIMILARITY"},
        ],
        "parameters": {"outputDimensionality": 128},
    }


def test_predict_vectors_sum_their_token_counts() -> None:
    vectors, tokens = predict_vectors(load("predict_response.json"), "vertex_ai")
    assert [v[0] for v in vectors] == [0.0058, 0.0311]
    assert tokens == 10


def test_an_answer_without_embeddings_is_a_protocol_error() -> None:
    with pytest.raises(UpstreamProtocolError):
        batch_vectors({"oops": []}, "gemini")
    with pytest.raises(UpstreamProtocolError):
        predict_vectors({"predictions": [{"embeddings": {}}]}, "vertex_ai")


def test_token_arrays_are_refused() -> None:
    with pytest.raises(BadRequest) as caught:
        texts_of(EmbeddingRequest(model="m", input=[1, 2, 3]))
    assert caught.value.param == "input"
