"""``general_settings.custom_auth``: a function next to the config file decides who is calling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from switchboard.application.auth import Authenticator
from switchboard.bootstrap.config.check import check_config
from switchboard.bootstrap.custom_auth import configured_custom_auth, load_custom_auth
from switchboard.bootstrap.providers import known_providers
from switchboard.domain.errors import AuthenticationError, PermissionDenied
from switchboard.domain.principal import PrincipalKind

AUTH_MODULE = """
import asyncio

async def user_api_key_auth(request, api_key):
    await asyncio.sleep(0)
    if request.headers.get("x-tenant") == "acme" and api_key == "sk-acme":
        return {"api_key": api_key, "user_id": "alice", "team_id": "acme", "models": ["gpt-4o"]}
    if api_key == "sk-budget":
        return {"user_id": "bob", "max_budget": 10}
    if api_key == "sk-defer":
        return None
    raise Exception("Failed custom auth")

def sync_auth(request, api_key):
    return {"user_id": "sync-" + request.method}
"""

SCOPE: dict[str, Any] = {
    "type": "http",
    "method": "POST",
    "path": "/v1/chat/completions",
    "headers": [(b"x-tenant", b"acme"), (b"authorization", b"Bearer sk-acme")],
}


def write_config(tmp_path: Path, spec: str) -> Path:
    (tmp_path / "my_auth.py").write_text(AUTH_MODULE)
    path = tmp_path / "config.yaml"
    path.write_text(
        "model_list:\n  - model_name: m\n    litellm_params: {model: mock/mock}\n"
        f"general_settings:\n  master_key: sk-master\n  custom_auth: {spec}\n"
    )
    return path


def authenticator(tmp_path: Path, spec: str = "my_auth:user_api_key_auth") -> Authenticator:
    path = write_config(tmp_path, spec)
    return Authenticator("sk-master", custom=configured_custom_auth(spec, str(path)))


async def test_the_function_sees_the_request_and_the_key_and_names_the_caller(tmp_path: Path) -> None:
    principal = await authenticator(tmp_path).authenticate("sk-acme", SCOPE)
    assert principal.kind is PrincipalKind.KEY
    assert (principal.user_id, principal.team_id, principal.models) == ("alice", "acme", (("gpt-4o",),))


async def test_the_function_raising_refuses_the_call(tmp_path: Path) -> None:
    with pytest.raises(AuthenticationError):
        await authenticator(tmp_path).authenticate("sk-wrong", SCOPE)


async def test_the_master_key_is_checked_before_the_function(tmp_path: Path) -> None:
    principal = await authenticator(tmp_path).authenticate("sk-master", SCOPE)
    assert principal.kind is PrincipalKind.MASTER


async def test_limits_in_the_result_are_refused_not_dropped(tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied, match="max_budget"):
        await authenticator(tmp_path).authenticate("sk-budget", SCOPE)


async def test_none_lets_the_built_in_checks_decide(tmp_path: Path) -> None:
    with pytest.raises(AuthenticationError):  # no virtual key store: an unknown key is refused
        await authenticator(tmp_path).authenticate("sk-defer", SCOPE)


async def test_litellms_dotted_spelling_and_a_sync_function_work(tmp_path: Path) -> None:
    principal = await authenticator(tmp_path, "my_auth.sync_auth").authenticate("anything", SCOPE)
    assert principal.user_id == "sync-POST"


def test_the_module_is_looked_up_next_to_the_config_only(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no module 'os'"):
        load_custom_auth("os:system", tmp_path)


def test_config_check_reports_a_function_that_is_not_there(tmp_path: Path) -> None:
    path = write_config(tmp_path, "my_auth:nope")
    _, problems = check_config(path, environ={}, known_providers=known_providers())
    [problem] = [p for p in problems if p.severity == "error"]
    assert problem.path == "general_settings.custom_auth"
    assert "no function 'nope'" in problem.message
