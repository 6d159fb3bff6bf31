"""``general_settings.custom_auth``: your own function decides who is calling.

LiteLLM's contract, adapted: ``custom_auth: my_auth:user_api_key_auth`` (or LiteLLM's dotted
``my_auth.user_api_key_auth``) names a function in ``my_auth.py`` **next to the configuration
file** (only there: never ``sys.path``, never a request). It is called, sync or async, as
``user_api_key_auth(request, api_key)`` with an ``AuthRequest`` (method, path, headers) and
the presented key (``""`` if none), after the master key is checked, and returns:

- a ``switchboard.Principal``: the caller;
- an object or mapping with LiteLLM's ``UserAPIKeyAuth`` fields (``user_id``, ``team_id``,
  ``key_alias``, ``models``, ``allowed_routes``, ``user_role``): the caller as a key;
- ``None``: Switchboard's own checks (virtual keys, JWT) decide;

or raises to refuse (401). Limits in the result (``max_budget``, ``tpm_limit``...) are refused
(403): Switchboard charges budgets to keys, teams and users it stores.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from switchboard.domain.errors import PermissionDenied
from switchboard.domain.governance.keys import hash_key
from switchboard.domain.governance.roles import UserRole
from switchboard.domain.principal import Principal, PrincipalKind

_LIMITS = ("max_budget", "soft_budget", "tpm_limit", "rpm_limit", "max_parallel_requests", "budget_duration")


@dataclass(frozen=True, slots=True)
class AuthRequest:
    """What a custom auth function sees of the request. Header names are lower-case."""

    method: str = ""
    path: str = ""
    query_string: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    client: str | None = None

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query_string}" if self.query_string else self.path


def auth_request(scope: Any) -> AuthRequest:
    """The view of an ASGI scope (an empty view for calls that are not HTTP requests)."""
    if not isinstance(scope, Mapping):
        return AuthRequest()
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or ()}
    client = scope.get("client")
    return AuthRequest(
        method=str(scope.get("method") or ""),
        path=str(scope.get("path") or ""),
        query_string=(scope.get("query_string") or b"").decode("latin-1"),
        headers=headers,
        client=str(client[0]) if client else None,
    )


class CustomAuthFunction:
    """The configured function, as ``Authenticator`` calls it."""

    def __init__(self, function: Callable[..., Any], name: str) -> None:
        self._function = function
        self.name = name

    async def __call__(self, request: Any, api_key: str) -> Principal | None:
        result = self._function(auth_request(request), api_key)
        if inspect.isawaitable(result):
            result = await result
        return to_principal(result, api_key)


def to_principal(result: Any, api_key: str) -> Principal | None:
    """The caller a custom auth function returned (see the module's docstring)."""
    if result is None or isinstance(result, Principal):
        return result

    def get(name: str) -> Any:
        return result.get(name) if isinstance(result, Mapping) else getattr(result, name, None)

    limits = [name for name in _LIMITS if get(name) is not None]
    if limits:
        raise PermissionDenied(
            f"custom_auth returned {', '.join(limits)}; Switchboard applies limits only to keys, teams and "
            "users it stores. Return the key's user_id or team_id instead.",
            code="custom_auth_limits",
        )
    models = get("models")
    routes = get("allowed_routes")
    role = get("user_role")
    role_value = getattr(role, "value", role)
    key = get("api_key") or api_key
    return Principal(
        PrincipalKind.KEY,
        key_hash=hash_key(str(key)) if key else "",
        key_alias=_text(get("key_alias") or get("key_name")),
        user_id=_text(get("user_id")),
        team_id=_text(get("team_id")),
        org_id=_text(get("org_id")),
        role=UserRole(role_value) if role_value in UserRole.__members__.values() else None,
        models=(tuple(str(m) for m in models),) if models else (),
        routes=frozenset(str(r) for r in routes) if routes else None,
    )


def _text(value: Any) -> str | None:
    return str(value) if value else None


def load_custom_auth(spec: str, base_dir: Path | None) -> CustomAuthFunction:
    """The function ``spec`` names, from a module next to the configuration file. Raises
    ``ValueError`` saying what is wrong."""
    module_name, function_name = _split(spec)
    if base_dir is None:
        raise ValueError("custom_auth needs the configuration to be a file (its module is looked up next to it)")
    relative = Path(*module_name.split("."))
    candidates = [base_dir / relative.with_suffix(".py"), base_dir / relative / "__init__.py"]
    path = next((c for c in candidates if c.is_file()), None)
    if path is None:
        raise ValueError(f"custom_auth: no module {module_name!r} next to the configuration ({base_dir})")
    unique = f"switchboard_custom_auth_{abs(hash(str(path))):x}_{module_name.replace('.', '_')}"
    loaded = sys.modules.get(unique)
    if loaded is None:
        found = importlib.util.spec_from_file_location(unique, path)
        if found is None or found.loader is None:
            raise ValueError(f"custom_auth: cannot load {path}")
        loaded = importlib.util.module_from_spec(found)
        sys.modules[unique] = loaded
        try:
            found.loader.exec_module(loaded)
        except Exception as exc:
            del sys.modules[unique]
            raise ValueError(f"custom_auth: importing {path} failed: {type(exc).__name__}: {exc}") from exc
    function = getattr(loaded, function_name, None)
    if function is None or not callable(function) or inspect.isclass(function):
        raise ValueError(f"custom_auth: {path} has no function {function_name!r}")
    try:
        inspect.signature(function).bind(None, "")
    except TypeError:
        raise ValueError(f"custom_auth: {function_name}() must take (request, api_key)") from None
    return CustomAuthFunction(function, spec)


def _split(spec: str) -> tuple[str, str]:
    module, sep, function = spec.partition(":")
    if not sep:
        module, sep, function = spec.rpartition(".")
    if not sep or not module or not function:
        raise ValueError(f"custom_auth {spec!r}: write it as 'module:function' (a module next to the config file)")
    return module, function


def configured_custom_auth(spec: str | None, source: str) -> CustomAuthFunction | None:
    """``general_settings.custom_auth`` of the configuration read from ``source``, if set."""
    if not spec:
        return None
    base_dir = None if source.startswith("<") else Path(source).resolve().parent
    return load_custom_auth(spec, base_dir)
