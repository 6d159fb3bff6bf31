from __future__ import annotations

from typing import Any

import orjson
import pytest

from switchboard.adapters.outbound.providers.bedrock import embeddings as wire
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.errors import BadRequest, UpstreamProtocolError
from tests.support.bedrock_upstream import cohere_response, titan_response


def request(**fields: Any) -> EmbeddingRequest:
    return EmbeddingRequest.model_validate({"model": "e", "input": "hello", **fields})


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("amazon.titan-embed-text-v2:0", "titan-v2"),
        ("amazon.titan-embed-text-v1", "titan"),
        ("amazon.titan-embed-g1-text-02", "titan"),
        ("cohere.embed-english-v3", "cohere"),
        ("cohere.embed-multilingual-v3", "cohere"),
        ("us.cohere.embed-v4:0", "cohere-v4"),
    ],
)
def test_the_model_id_names_the_family(model: str, expected: str) -> None:
    assert wire.family(model) == expected


def test_other_models_cannot_embed() -> None:
    with pytest.raises(BadRequest, match="Titan"):
        wire.family("anthropic.claude-3-haiku-20240307-v1:0")


def test_titan_v2_takes_dimensions_and_normalize() -> None:
    body = wire.titan_body("hello", "titan-v2", request(dimensions=256, normalize=False), {})
    assert orjson.loads(body) == {"inputText": "hello", "dimensions": 256, "normalize": False}


def test_titan_v2_reads_defaults_from_the_deployment() -> None:
    body = wire.titan_body("hello", "titan-v2", request(), {"dimensions": 512, "normalize": True})
    assert orjson.loads(body) == {"inputText": "hello", "dimensions": 512, "normalize": True}


def test_titan_v1_has_a_fixed_size() -> None:
    assert orjson.loads(wire.titan_body("hi", "titan", request(), {})) == {"inputText": "hi"}
    with pytest.raises(BadRequest) as caught:
        wire.titan_body("hi", "titan", request(dimensions=256), {})
    assert caught.value.param == "dimensions"


def test_cohere_batches_at_most_96_texts_per_call() -> None:
    texts = [f"t{i}" for i in range(200)]
    bodies = [orjson.loads(b) for b in wire.cohere_bodies(texts, "cohere", request(input=texts), {})]
    assert [len(b["texts"]) for b in bodies] == [96, 96, 8]
    assert [t for b in bodies for t in b["texts"]] == texts
    assert {b["input_type"] for b in bodies} == {"search_document"}


def test_cohere_input_type_comes_from_the_request_or_the_deployment() -> None:
    [body] = wire.cohere_bodies(["q"], "cohere", request(input_type="search_query"), {"input_type": "clustering"})
    assert orjson.loads(body)["input_type"] == "search_query"
    [body] = wire.cohere_bodies(["q"], "cohere", request(), {"input_type": "clustering", "truncate": "END"})
    assert orjson.loads(body) == {"input_type": "clustering", "truncate": "END", "texts": ["q"]}


def test_a_wrong_cohere_input_type_is_refused() -> None:
    with pytest.raises(BadRequest):
        wire.cohere_bodies(["q"], "cohere", request(input_type="query"), {})


def test_cohere_v4_takes_an_output_dimension_and_v3_does_not() -> None:
    [body] = wire.cohere_bodies(["q"], "cohere-v4", request(dimensions=512), {})
    assert orjson.loads(body)["output_dimension"] == 512
    with pytest.raises(BadRequest):
        wire.cohere_bodies(["q"], "cohere", request(dimensions=512), {})


def test_token_arrays_are_refused() -> None:
    with pytest.raises(BadRequest) as caught:
        wire.texts(request(input=[1, 2, 3]))
    assert caught.value.param == "input"


def test_titan_answers_give_the_vector_and_token_count() -> None:
    vector, tokens = wire.titan_vector(orjson.dumps(titan_response("two words")))
    assert vector == titan_response("two words")["embedding"]
    assert tokens == 2


def test_cohere_answers_give_one_vector_per_text_in_both_shapes() -> None:
    plain = cohere_response(["a", "bb"])
    assert wire.cohere_vectors(orjson.dumps(plain)) == plain["embeddings"]
    typed = {
        "embeddings": {"float": plain["embeddings"]},
        "response_type": "embeddings_by_type",
        "id": "x",
        "texts": ["a", "bb"],
    }
    assert wire.cohere_vectors(orjson.dumps(typed)) == plain["embeddings"]


@pytest.mark.parametrize("body", [b"nope", b"{}", b'{"embedding": "x"}'])
def test_unreadable_embedding_answers_are_protocol_errors(body: bytes) -> None:
    with pytest.raises(UpstreamProtocolError):
        wire.titan_vector(body)
