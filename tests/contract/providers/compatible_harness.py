"""OpenAI-compatible providers in the kit: a row's declaration, the adapter it builds, and the fake
OpenAI upstream.

One harness class per chosen row (a hosted API with a required key, one with attribution headers
and pass-through parameters, a self-hosted server with no key), each reached through its own
default address or the environment, as a deployment with no ``api_base`` would be.
"""

from __future__ import annotations

from collections.abc import Mapping

from switchboard.adapters.outbound.providers.compatible import PROVIDERS
from switchboard.adapters.outbound.providers.info import ProviderDeps
from switchboard.domain.deployments import Deployment
from switchboard.domain.ports.providers import ChatProvider
from tests.contract.providers.openai_harness import upstream_handler
from tests.contract.providers.recorded import RecordedHarness
from tests.contract.providers.scenario import ProviderHarness, Scenario
from tests.fakes import FakeClock, FakeIds, FakeTokenCounter

OPENAI_WIRE = frozenset({"tools", "usage_details", "cut_stream", "retry_after", "usage_exact"})


def compatible_harness(
    provider: str, model: str, *, environ: Mapping[str, str], api_key: str | None = None
) -> type[ProviderHarness]:
    """A harness class for the table row ``provider``."""

    class CompatibleHarness(RecordedHarness):
        name = provider
        capabilities = OPENAI_WIRE

        def build(self, scenario: Scenario) -> tuple[ChatProvider, Deployment]:
            transport = self._record(upstream_handler(scenario))
            deps = ProviderDeps(
                transport=transport, clock=FakeClock(), ids=FakeIds(), tokens=FakeTokenCounter(), environ=environ
            )
            adapter = PROVIDERS[provider].adapters(deps).chat
            assert adapter is not None
            deployment = Deployment(
                id=f"d-{provider}", model_name="kit", provider=provider, model=model, api_key=api_key
            )
            return adapter, deployment

    CompatibleHarness.__name__ = CompatibleHarness.__qualname__ = f"{provider.title()}Harness"
    return CompatibleHarness


GroqHarness = compatible_harness("groq", "llama-3.1-8b-instant", environ={}, api_key="sk-test-key-groq")
OpenRouterHarness = compatible_harness(
    "openrouter", "openai/gpt-4o-mini", environ={"OPENROUTER_API_KEY": "sk-test-key-or", "OR_APP_NAME": "kit"}
)
HostedVllmHarness = compatible_harness(
    "hosted_vllm", "Qwen/Qwen3-8B", environ={"HOSTED_VLLM_API_BASE": "http://vllm.test:8000/v1"}
)
