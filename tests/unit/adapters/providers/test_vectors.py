from __future__ import annotations

import base64
import struct

from switchboard.adapters.outbound.providers.vectors import embedding_items, encode_vector, to_embedding_response


def test_base64_encoding_packs_little_endian_float32() -> None:
    [item] = embedding_items([[0.5, -1.0]], "base64")
    assert isinstance(item.embedding, str)
    assert struct.unpack("<2f", base64.b64decode(item.embedding)) == (0.5, -1.0)
    assert [i.index for i in embedding_items([[1.0], [2.0]], None)] == [0, 1]


def test_float_encoding_keeps_the_values_as_a_list() -> None:
    assert encode_vector((0.25, 2.0), "float") == [0.25, 2.0]
    assert encode_vector((0.25, 2.0), None) == [0.25, 2.0]


def test_an_embedding_response_counts_every_token_as_prompt() -> None:
    response = to_embedding_response([[0.5, -1.0]], "m", 3, "base64")
    embedding = response.data[0].embedding
    assert isinstance(embedding, str)
    packed = base64.b64decode(embedding)
    assert struct.unpack("<2f", packed) == (0.5, -1.0)
    assert response.model == "m"
    assert response.usage.prompt_tokens == 3 and response.usage.total_tokens == 3
