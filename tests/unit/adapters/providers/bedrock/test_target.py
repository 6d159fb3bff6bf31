from __future__ import annotations

from typing import Any

import pytest

from switchboard.adapters.outbound.providers.bedrock.signing import AwsCredentials
from switchboard.adapters.outbound.providers.bedrock.target import BearerToken, CredentialChain, resolve
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
ARN = "arn:aws:bedrock:eu-central-1:123456789012:application-inference-profile/a1b2c3"
KEYS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


def deployment(
    model: str = HAIKU, api_key: str | None = None, api_base: str | None = None, **params: Any
) -> Deployment:
    return Deployment(
        id="d1",
        model_name="m",
        provider="bedrock",
        model=model,
        api_key=api_key,
        api_base=api_base,
        params=params,
    )


def test_the_default_endpoint_is_the_regional_runtime_host() -> None:
    target = resolve(deployment(aws_region_name="us-east-1", **KEYS), {})
    assert (
        target.url("converse")
        == "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"
    )
    assert target.host == "bedrock-runtime.us-east-1.amazonaws.com"


def test_the_model_id_is_percent_encoded_in_the_path() -> None:
    target = resolve(deployment(ARN, **KEYS), {})
    assert target.path("converse-stream") == (
        "/model/arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012%3Aapplication-inference-profile%2Fa1b2c3"
        "/converse-stream"
    )


@pytest.mark.parametrize("prefix", ["converse/", "invoke/"])
def test_litellm_route_prefixes_are_not_part_of_the_model_id(prefix: str) -> None:
    assert resolve(deployment(prefix + "us." + HAIKU, **KEYS), {}).model_id == "us." + HAIKU


def test_a_model_id_param_overrides_the_model() -> None:
    assert resolve(deployment(HAIKU, model_id=ARN, **KEYS), {}).model_id == ARN


def test_the_region_comes_from_the_param_first() -> None:
    env = {"AWS_REGION": "eu-west-1"}
    assert resolve(deployment(ARN, aws_region_name="ap-south-1", **KEYS), env).region == "ap-south-1"


def test_the_region_comes_from_an_arn_model_before_the_environment() -> None:
    assert resolve(deployment(ARN, **KEYS), {"AWS_REGION": "eu-west-1"}).region == "eu-central-1"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"AWS_REGION_NAME": "a", "AWS_REGION": "b", "AWS_DEFAULT_REGION": "c"}, "a"),
        ({"AWS_REGION": "b", "AWS_DEFAULT_REGION": "c"}, "b"),
        ({"AWS_DEFAULT_REGION": "c"}, "c"),
        ({}, "us-west-2"),
    ],
)
def test_the_region_falls_back_through_the_environment(environ: dict[str, str], expected: str) -> None:
    assert resolve(deployment(**KEYS), environ).region == expected


def test_api_base_wins_over_the_runtime_endpoint_settings() -> None:
    target = resolve(
        deployment(api_base="http://127.0.0.1:9000/proxy/", aws_bedrock_runtime_endpoint="https://x", **KEYS),
        {"AWS_BEDROCK_RUNTIME_ENDPOINT": "https://y"},
    )
    assert (
        target.url("converse") == "http://127.0.0.1:9000/proxy/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"
    )
    assert target.path("converse").startswith("/proxy/model/")
    assert target.host == "127.0.0.1:9000"


def test_the_runtime_endpoint_param_wins_over_the_environment() -> None:
    target = resolve(
        deployment(aws_bedrock_runtime_endpoint="https://vpce-1.example.com", **KEYS),
        {"AWS_BEDROCK_RUNTIME_ENDPOINT": "https://y"},
    )
    assert target.origin == "https://vpce-1.example.com"
    assert (
        resolve(deployment(**KEYS), {"AWS_BEDROCK_RUNTIME_ENDPOINT": "https://y.example"}).origin == "https://y.example"
    )


def test_an_endpoint_that_is_not_http_is_refused() -> None:
    with pytest.raises(BadRequest):
        resolve(deployment(api_base="bedrock-runtime.us-east-1.amazonaws.com", **KEYS), {})


def test_an_api_key_is_a_bearer_token() -> None:
    assert resolve(deployment(api_key="bedrock-api-key-abc", **KEYS), {}).auth == BearerToken("bedrock-api-key-abc")


def test_access_keys_from_params_sign_requests() -> None:
    target = resolve(deployment(aws_session_token="tok", **KEYS), {"AWS_BEARER_TOKEN_BEDROCK": "x"})
    assert target.auth == AwsCredentials("AKIDEXAMPLE", "secret", "tok")


def test_half_a_key_pair_is_a_configuration_error() -> None:
    with pytest.raises(BadRequest) as caught:
        resolve(deployment(aws_access_key_id="AKIDEXAMPLE"), {})
    assert caught.value.param == "aws_secret_access_key"


def test_the_bedrock_api_key_variable_comes_before_access_key_variables() -> None:
    environ = {"AWS_BEARER_TOKEN_BEDROCK": "abc", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s"}
    assert resolve(deployment(), environ).auth == BearerToken("abc")


def test_access_key_variables_sign_requests() -> None:
    environ = {"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t"}
    assert resolve(deployment(), environ).auth == AwsCredentials("AKID", "s", "t")


def test_a_profile_or_nothing_at_all_uses_the_aws_credential_chain() -> None:
    assert resolve(deployment(aws_profile_name="prod"), {}).auth == CredentialChain("prod")
    assert resolve(deployment(), {"AWS_PROFILE": "dev"}).auth == CredentialChain("dev")
    assert resolve(deployment(), {}).auth == CredentialChain(None)


def test_a_bearer_token_never_prints_itself() -> None:
    assert "abc" not in repr(BearerToken("abc"))


def test_extra_headers_are_kept_lower_cased() -> None:
    target = resolve(deployment(extra_headers={"X-Team": "ml"}, **KEYS), {})
    assert target.extra_headers == {"x-team": "ml"}
