from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.azure.addresses import Address, azure_ai_address, azure_openai_address


@pytest.mark.parametrize(
    "api_base",
    [
        "https://res.openai.azure.com",
        "https://res.openai.azure.com/",
        "https://res.openai.azure.com/openai",
        "https://res.openai.azure.com/openai/deployments/other/chat/completions",
    ],
)
def test_a_dated_version_addresses_the_deployment(api_base: str) -> None:
    assert azure_openai_address(api_base, "gpt4o-prod", "2024-10-21") == Address(
        "https://res.openai.azure.com/openai/deployments/gpt4o-prod", "?api-version=2024-10-21"
    )


@pytest.mark.parametrize(
    ("version", "query"), [("v1", ""), ("preview", "?api-version=preview"), ("latest", "?api-version=latest")]
)
def test_the_v1_api_has_no_deployments_in_its_paths(version: str, query: str) -> None:
    assert azure_openai_address("https://res.openai.azure.com", "gpt4o-prod", version) == Address(
        "https://res.openai.azure.com/openai/v1", query
    )


def test_a_base_ending_in_openai_v1_means_the_v1_api() -> None:
    address = azure_openai_address("https://res.openai.azure.com/openai/v1/", "d", "2024-10-21")
    assert address == Address("https://res.openai.azure.com/openai/v1", "")


def test_a_deployment_name_is_escaped_in_the_path() -> None:
    assert azure_openai_address("https://r.test", "my dep/1", "v").base.endswith("/deployments/my%20dep%2F1")


def test_foundry_model_inference_gets_its_default_version() -> None:
    assert azure_ai_address("https://res.services.ai.azure.com/models", None) == Address(
        "https://res.services.ai.azure.com/models", "?api-version=2024-05-01-preview"
    )


def test_a_serverless_endpoint_is_used_as_given() -> None:
    assert azure_ai_address("https://ep.eastus2.models.ai.azure.com/", None) == Address(
        "https://ep.eastus2.models.ai.azure.com", ""
    )
    assert azure_ai_address("https://ep.test", "2024-08-01").query == "?api-version=2024-08-01"
