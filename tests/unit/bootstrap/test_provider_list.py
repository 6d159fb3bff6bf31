"""The list of providers: each line loads its provider's declaration, each declaration builds
exactly what it says it serves, and knowing the names imports no provider's adapter."""

from __future__ import annotations

import subprocess
import sys

import pytest

from switchboard.adapters.outbound.providers.info import ProviderDeps
from switchboard.bootstrap.providers import NATIVE, declarations, known_providers
from switchboard.domain.endpoints import Endpoint
from tests.fakes import FakeClock, FakeIds, FakeTokenCounter
from tests.fakes.transport import UnusedTransport

DEPS = ProviderDeps(
    transport=UnusedTransport(), clock=FakeClock(), ids=FakeIds(), tokens=FakeTokenCounter(), environ={}
)


@pytest.mark.parametrize("name", list(NATIVE))
def test_each_native_line_loads_the_declaration_of_its_provider(name: str) -> None:
    assert declarations()[name].name == name


@pytest.mark.parametrize("name", sorted(known_providers()))
def test_each_provider_builds_adapters_for_exactly_the_endpoints_it_declares(name: str) -> None:
    info = declarations()[name]
    assert info.adapters(DEPS).endpoints() == info.endpoints


@pytest.mark.parametrize("name", sorted(known_providers()))
def test_each_provider_serves_chat_and_takes_max_tokens(name: str) -> None:
    info = declarations()[name]
    assert Endpoint.CHAT in info.endpoints
    assert {"max_tokens", "max_completion_tokens"} & info.chat_params("some-model")


def test_the_compatible_rows_follow_the_native_providers_in_table_order() -> None:
    names = list(declarations())
    assert names[: len(NATIVE)] == list(NATIVE)
    assert "groq" in names[len(NATIVE) :]


def test_knowing_the_providers_imports_no_adapter() -> None:
    code = (
        "import sys; from switchboard.bootstrap.providers import known_providers; known_providers();"
        "print(sorted(m for m in sys.modules if m.endswith('.client') and '.providers.' in m))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
