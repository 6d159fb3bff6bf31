"""The real gateway app, in process, on the built-in mock provider."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from switchboard.bootstrap.http import create_app

MASTER = "sk-test-master"

CONFIG: dict[str, Any] = {
    "model_list": [
        {
            "model_name": "mock",
            "litellm_params": {"model": "mock/mock", "mock_response": "Hello there friend"},
        },
        {"model_name": "mock-embedding", "litellm_params": {"model": "mock/mock-embedding"}},
        {
            "model_name": "failing",
            "litellm_params": {"model": "mock/x", "mock_error": {"status": 429, "retry_after": 7}},
        },
    ],
    "general_settings": {"master_key": MASTER, "max_request_size_mb": 0.01},
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Any]]:
    with TestClient(app=create_app(CONFIG)) as test_client:
        test_client.headers["authorization"] = f"Bearer {MASTER}"
        yield test_client


CHAT = {"model": "mock", "messages": [{"role": "user", "content": "hi"}]}
