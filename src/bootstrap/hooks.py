"""Custom call hooks from the configuration (``litellm_settings.call_hooks``).

Each entry is ``"package.module:Class"`` or ``{"hook": "package.module:Class", "args": {...}}``.
The class must have ``async def pre_call(self, info)`` and ``async def post_call(self, outcome,
ticket)`` (``domain.ports.hooks.CallHook``); it is built once at start with ``args`` as keyword
arguments. Import paths come only from the configuration file, never from a request, and
anything that is not such a class (``os:system``, a module, a function) is refused at start.
Custom hooks run after the gateway's own access, rate-limit and budget hooks.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Sequence
from typing import Any, cast

from switchboard.bootstrap.config.problems import ConfigError, Problem
from switchboard.domain.ports.hooks import CallHook

_PATH = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


def _problem(index: int, message: str) -> ConfigError:
    return ConfigError([Problem(f"litellm_settings.call_hooks[{index}]", message)])


def _load(index: int, entry: str | dict[str, Any]) -> CallHook:
    path: object
    args: object
    if isinstance(entry, str):
        path, args = entry, {}
    else:
        path, args = entry.get("hook"), entry.get("args") or {}
        if set(entry) - {"hook", "args"} or not isinstance(args, dict):
            raise _problem(index, "write {hook: 'package.module:Class', args: {...}}")
    if not isinstance(path, str) or not _PATH.match(path):
        raise _problem(index, "write the hook as 'package.module:Class'")
    module_name, _, class_name = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise _problem(index, f"cannot import {module_name}: {exc}") from None
    cls = getattr(module, class_name, None)
    if not inspect.isclass(cls):
        raise _problem(index, f"{path} is not a class")
    for method in ("pre_call", "post_call"):
        if not inspect.iscoroutinefunction(getattr(cls, method, None)):
            raise _problem(index, f"{path} is not a call hook: it needs `async def {method}`")
    try:
        hook = cls(**args)
    except Exception as exc:
        raise _problem(index, f"{path}({', '.join(args)}) failed: {exc}") from None
    return cast(CallHook, hook)


def load_call_hooks(entries: Sequence[str | dict[str, Any]]) -> list[CallHook]:
    return [_load(i, entry) for i, entry in enumerate(entries)]
