from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from switchboard.adapters.outbound.providers.azure.errors import error_from_response, filtered_categories
from switchboard.domain.errors import (
    AuthenticationError,
    ContentPolicyViolation,
    ContextWindowExceeded,
    NotFound,
    RateLimited,
)

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_prompt_refused_by_the_content_filter_is_a_content_policy_violation() -> None:
    error = error_from_response(400, {}, (FIXTURES / "content_filter_error.json").read_bytes(), provider="azure")
    assert isinstance(error, ContentPolicyViolation)
    assert error.message.endswith("(filtered: hate, violence)")
    assert error.code is None  # the HTTP table names it content_policy_violation, as for every provider
    assert error.param == "prompt"


def test_an_image_refused_by_the_safety_system_is_a_content_policy_violation() -> None:
    error = error_from_response(400, {}, (FIXTURES / "image_policy_error.json").read_bytes(), provider="azure")
    assert isinstance(error, ContentPolicyViolation)
    assert "(filtered: violence)" in error.message


def test_an_inner_responsible_ai_code_alone_is_enough() -> None:
    body = orjson.dumps(
        {
            "error": {
                "code": "BadRequest",
                "message": "no",
                "innererror": {"code": "ResponsibleAIPolicyViolation"},
            }
        }
    )
    assert isinstance(error_from_response(400, {}, body, provider="azure"), ContentPolicyViolation)


def test_a_rate_limit_carries_retry_after_in_milliseconds() -> None:
    body = orjson.dumps(
        {
            "error": {
                "code": "429",
                "message": "Requests to the ChatCompletions_Create Operation have exceeded",
            }
        }
    )
    error = error_from_response(429, {"retry-after-ms": "1500"}, body, provider="azure")
    assert isinstance(error, RateLimited)
    assert error.retry_after == 1.5
    assert error.code is None  # "429" says no more than the status


def test_a_wrong_key_is_an_authentication_error_without_the_key() -> None:
    body = orjson.dumps(
        {
            "error": {
                "code": "401",
                "message": "Access denied due to invalid subscription key azure-key-123456.",
            }
        }
    )
    error = error_from_response(401, {}, body, provider="azure", secrets=("azure-key-123456",))
    assert isinstance(error, AuthenticationError)
    assert "azure-key-123456" not in error.message


def test_a_missing_deployment_is_not_found() -> None:
    body = orjson.dumps(
        {
            "error": {
                "code": "DeploymentNotFound",
                "message": "The API deployment for this resource does not exist.",
            }
        }
    )
    error = error_from_response(404, {}, body, provider="azure")
    assert isinstance(error, NotFound)
    assert error.code == "DeploymentNotFound"


def test_a_context_overflow_keeps_its_meaning() -> None:
    body = orjson.dumps({"error": {"code": "context_length_exceeded", "message": "too long", "param": "messages"}})
    assert isinstance(error_from_response(400, {}, body, provider="azure"), ContextWindowExceeded)


@pytest.mark.parametrize("inner", [{}, {"content_filter_result": "odd"}, {"content_filter_results": {"hate": True}}])
def test_odd_filter_results_name_no_category(inner: dict[str, object]) -> None:
    assert filtered_categories(inner) == []
