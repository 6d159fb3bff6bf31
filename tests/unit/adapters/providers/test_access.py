from __future__ import annotations

from typing import Any

from switchboard.adapters.outbound.providers.access import api_key, extra_headers, missing_key
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import AuthenticationError


def deployment(**fields: Any) -> Deployment:
    return Deployment.model_validate({"id": "d1", "model_name": "m", "provider": "p", "model": "m", **fields})


def test_the_deployments_own_key_wins_over_the_environment() -> None:
    assert api_key(deployment(api_key="own"), {"A_KEY": "env"}, ("A_KEY",)) == "own"


def test_the_first_set_variable_gives_the_key_when_the_deployment_has_none() -> None:
    environ = {"A_KEY": "", "B_KEY": "b", "C_KEY": "c"}
    assert api_key(deployment(), environ, ("A_KEY", "B_KEY", "C_KEY")) == "b"
    assert api_key(deployment(), {}, ("A_KEY",)) == ""


def test_a_missing_key_says_where_to_put_one() -> None:
    error = missing_key("cohere", "d1", "COHERE_API_KEY")
    assert isinstance(error, AuthenticationError)
    assert (error.provider, error.deployment) == ("cohere", "d1")
    assert error.message == (
        "No API key for cohere: set api_key on the deployment or the COHERE_API_KEY environment variable."
    )
    assert missing_key("x", "d1", None).message == "No API key for x: set api_key on the deployment."


def test_extra_headers_come_lower_cased_from_either_param_name() -> None:
    given = deployment(params={"extra_headers": {"X-Team": "a", "Retries": 2}})
    assert extra_headers(given) == {"x-team": "a", "retries": "2"}
    assert extra_headers(deployment(params={"headers": {"X-Team": "b"}})) == {"x-team": "b"}
    assert extra_headers(deployment()) == {}
