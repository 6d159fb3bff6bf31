"""The built-in mock provider in the kit: scenarios become deployment params."""

from __future__ import annotations

from typing import Any

from switchboard.adapters.outbound.providers.mock import MockProvider
from switchboard.domain.deployments import Deployment
from tests.contract.providers.scenario import Scenario
from tests.fakes import FakeClock, FakeIds, FakeTokenCounter

STATUS = {
    "rate_limited": 429,
    "auth": 401,
    "not_found": 404,
    "bad_request": 400,
    "server_error": 500,
    "overloaded": 503,
}
CODES = {
    "context_window": (400, "context_length_exceeded"),
    "content_policy": (400, "content_policy_violation"),
}


class MockHarness:
    name = "mock"
    capabilities = frozenset({"retry_after", "context_window_errors", "content_policy_errors"})

    def build(self, scenario: Scenario) -> tuple[MockProvider, Deployment]:
        params: dict[str, Any] = {"mock_response": scenario.text}
        words = len(scenario.text.split(" "))
        params["mock_chunk_size"] = max(1, -(-words // max(scenario.chunks, 1)))
        if scenario.error in STATUS:
            params["mock_error"] = {"status": STATUS[scenario.error], "retry_after": scenario.retry_after}
        elif scenario.error in CODES:
            status, code = CODES[scenario.error]
            params["mock_error"] = {"status": status, "code": code}
        deployment = Deployment(id="d-mock", model_name="mock", provider="mock", model="mock", params=params)
        return MockProvider(FakeClock(), FakeIds(), FakeTokenCounter()), deployment

    def sent(self) -> list[dict[str, Any]]:
        return []

    def open_streams(self) -> int:
        return 0
