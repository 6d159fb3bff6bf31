"""The gateway reports each answer's cost in ``x-switchboard-response-cost``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from switchboard.bootstrap.http import create_app

INPUT, OUTPUT = 0.000002, 0.000008
CONFIG = {
    "model_list": [
        {
            "model_name": "priced",
            "litellm_params": {"model": "mock/some-model", "mock_response": "a priced answer"},
            "model_info": {"input_cost_per_token": INPUT, "output_cost_per_token": OUTPUT},
        },
        {"model_name": "unpriced", "litellm_params": {"model": "mock/some-model"}},
        {
            "model_name": "embed",
            "litellm_params": {"model": "mock/mock-embedding"},
            "model_info": {"input_cost_per_token": INPUT},
        },
    ]
}


@pytest.fixture
def client() -> Iterator[TestClient[Any]]:
    with TestClient(create_app(CONFIG)) as test_client:
        yield test_client


def test_a_chat_answer_reports_its_cost(client: TestClient[Any]) -> None:
    reply = client.post(
        "/v1/chat/completions", json={"model": "priced", "messages": [{"role": "user", "content": "hi"}]}
    )
    usage = reply.json()["usage"]
    expected = usage["prompt_tokens"] * INPUT + usage["completion_tokens"] * OUTPUT
    assert float(reply.headers["x-switchboard-response-cost"]) == pytest.approx(expected, abs=1e-10)


def test_an_answer_of_unknown_price_reports_no_cost(client: TestClient[Any]) -> None:
    reply = client.post(
        "/v1/chat/completions", json={"model": "unpriced", "messages": [{"role": "user", "content": "hi"}]}
    )
    assert reply.status_code == 200
    assert "x-switchboard-response-cost" not in reply.headers


def test_an_embeddings_answer_reports_its_cost(client: TestClient[Any]) -> None:
    reply = client.post("/v1/embeddings", json={"model": "embed", "input": ["one two", "three"]})
    expected = reply.json()["usage"]["prompt_tokens"] * INPUT
    assert float(reply.headers["x-switchboard-response-cost"]) == pytest.approx(expected, abs=1e-10)
