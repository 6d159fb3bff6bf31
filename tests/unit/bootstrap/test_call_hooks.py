"""Custom hooks from the configuration: only classes with async pre_call/post_call (CVE-2024-6825)."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.bootstrap.config.problems import ConfigError
from switchboard.bootstrap.hooks import load_call_hooks
from tests.support.custom_hooks import RefuseWord


def test_a_hook_class_is_built_with_its_arguments() -> None:
    (hook,) = load_call_hooks([{"hook": "tests.support.custom_hooks:RefuseWord", "args": {"word": "x"}}])
    assert isinstance(hook, RefuseWord)
    assert hook.word == "x"


@pytest.mark.parametrize(
    "entry",
    [
        "os:system",
        "os.path:join",
        "builtins:eval",
        "tests.support.custom_hooks:NotAHook",
        "tests.support.custom_hooks:Missing",
        "no_such_module_anywhere:Hook",
        "tests.support.custom_hooks.RefuseWord",
        "__import__('os').system('id'):X",
        {"hook": "tests.support.custom_hooks:RefuseWord", "args": {"colour": "red"}},
        {"hook": "tests.support.custom_hooks:RefuseWord", "extra": 1},
    ],
)
def test_anything_else_is_a_config_error_naming_the_entry(entry: Any) -> None:  # wrong on purpose
    with pytest.raises(ConfigError) as refused:
        load_call_hooks([entry])
    assert refused.value.problems[0].path == "litellm_settings.call_hooks[0]"
