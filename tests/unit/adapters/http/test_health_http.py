"""``GET /health`` through the real app: the mock provider, and an OpenAI deployment nobody listens for."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from switchboard.bootstrap.http import create_app

MASTER = "sk-health-master"
SECRET = "sk-upstream-secret-0123456789"

MODELS: list[dict[str, Any]] = [
    {"model_name": "mock", "litellm_params": {"model": "mock/mock"}},
    {
        "model_name": "embed",
        "litellm_params": {"model": "mock/mock-embedding"},
        "model_info": {"mode": "embedding"},
    },
    {"model_name": "failing", "litellm_params": {"model": "mock/x", "mock_error": {"status": 503}}},
    {
        "model_name": "unreachable",
        "litellm_params": {"model": "openai/gpt-4o", "api_base": "http://127.0.0.1:1/v1", "api_key": SECRET},
    },
    {"model_name": "openai/*", "litellm_params": {"model": "openai/*", "api_key": SECRET}},
]


@pytest.fixture(scope="module")
def open_gateway() -> Iterator[TestClient[Any]]:
    with TestClient(create_app({"model_list": MODELS})) as client:
        yield client


@pytest.fixture(scope="module")
def guarded_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient[Any]]:
    database = tmp_path_factory.mktemp("health") / "gateway.db"
    config = {
        "model_list": MODELS,
        "general_settings": {"master_key": MASTER, "database_url": f"sqlite:///{database}", "auto_migrate": True},
    }
    with TestClient(create_app(config)) as client:
        yield client


def by_group(endpoints: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["model_name"]: e for e in endpoints}


def test_health_reports_healthy_and_unhealthy_deployments_with_200(open_gateway: TestClient[Any]) -> None:
    reply = open_gateway.get("/health")
    assert reply.status_code == 200
    body = reply.json()
    assert set(by_group(body["healthy_endpoints"])) == {"mock", "embed"}
    unhealthy = by_group(body["unhealthy_endpoints"])
    assert set(unhealthy) == {"failing", "unreachable"}
    assert body["healthy_count"] == 2 and body["unhealthy_count"] == 2
    assert unhealthy["failing"]["error"].startswith("ProviderUnavailable: ")
    assert unhealthy["unreachable"]["api_base"] == "http://127.0.0.1:1/v1"
    assert unhealthy["unreachable"]["model"] == "openai/gpt-4o"


def test_health_never_shows_an_api_key(open_gateway: TestClient[Any]) -> None:
    assert SECRET not in open_gateway.get("/health").text


def test_health_for_one_model_probes_only_that_group(open_gateway: TestClient[Any]) -> None:
    body = open_gateway.get("/health", params={"model": "embed"}).json()
    assert [e["model_name"] for e in body["healthy_endpoints"]] == ["embed"]
    assert body["unhealthy_endpoints"] == []


def test_health_for_an_unknown_model_is_404(open_gateway: TestClient[Any]) -> None:
    reply = open_gateway.get("/health", params={"model": "nope"})
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "model_not_found"


def test_health_is_in_the_openapi_document(open_gateway: TestClient[Any]) -> None:
    paths = open_gateway.get("/schema/openapi.json").json()["paths"]
    assert "get" in paths["/health"]


def test_with_a_master_key_health_needs_a_credential(guarded_gateway: TestClient[Any]) -> None:
    reply = guarded_gateway.get("/health")
    assert reply.status_code == 401
    assert reply.json()["error"]["type"] == "authentication_error"


def test_with_a_master_key_health_refuses_a_wrong_key(guarded_gateway: TestClient[Any]) -> None:
    reply = guarded_gateway.get("/health", headers={"authorization": "Bearer sk-wrong"})
    assert reply.status_code == 401


def test_with_a_master_key_health_answers_the_master_key(guarded_gateway: TestClient[Any]) -> None:
    reply = guarded_gateway.get("/health", headers={"authorization": f"Bearer {MASTER}"})
    assert reply.status_code == 200
    assert reply.json()["healthy_count"] == 2


def test_with_a_master_key_health_refuses_a_plain_virtual_key(guarded_gateway: TestClient[Any]) -> None:
    master = {"authorization": f"Bearer {MASTER}"}
    created = guarded_gateway.post("/key/generate", json={"allowed_routes": ["/*"]}, headers=master)
    assert created.status_code == 200, created.text
    reply = guarded_gateway.get("/health", headers={"authorization": f"Bearer {created.json()['key']}"})
    assert reply.status_code == 403
    assert reply.json()["error"]["type"] == "permission_error"


def test_the_health_routes_of_kubernetes_stay_open(guarded_gateway: TestClient[Any]) -> None:
    assert guarded_gateway.get("/health/liveliness").status_code == 200
    assert guarded_gateway.get("/health/readiness").status_code == 200
