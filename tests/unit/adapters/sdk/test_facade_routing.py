"""The facade routes like the gateway: retries, fallbacks, and the route on the response."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard import Client
from switchboard.domain.errors import ProviderUnavailable

DOWN = {"status": 503, "message": "down"}


def config(**router: Any) -> dict[str, Any]:
    return {
        "model_list": [
            {"model_name": "a", "litellm_params": {"model": "mock/x", "mock_error": DOWN}, "model_info": {"id": "a1"}},
            {
                "model_name": "b",
                "litellm_params": {"model": "mock/y", "mock_response": "from b"},
                "model_info": {"id": "b1"},
            },
        ],
        "router_settings": router,
    }


def test_the_response_says_which_deployment_served_it_and_what_failed_before() -> None:
    reply = Client(config(fallbacks=[{"a": ["b"]}])).chat(model="a", messages=[{"role": "user", "content": "hi"}])
    assert reply.text == "from b"
    assert reply.route is not None
    assert (reply.route.deployment_id, reply.route.attempted) == ("b1", ["a1"])


def test_without_a_fallback_the_providers_error_is_raised() -> None:
    with pytest.raises(ProviderUnavailable):
        Client(config()).chat(model="a", messages=[{"role": "user", "content": "hi"}])


def test_a_bad_router_setting_is_refused_with_its_path() -> None:
    with pytest.raises(Exception, match="routing_strategy"):
        Client(config(routing_strategy="fastest-please"))
