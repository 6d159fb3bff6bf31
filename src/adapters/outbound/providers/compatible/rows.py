"""Each row of the table as its provider's declaration (``ProviderInfo``)."""

from __future__ import annotations

from functools import partial

from switchboard.adapters.outbound.providers.compatible.profile import ProviderProfile
from switchboard.adapters.outbound.providers.compatible.request import supported_params
from switchboard.adapters.outbound.providers.info import Adapters, ProviderDeps, ProviderInfo


def provider_info(profile: ProviderProfile) -> ProviderInfo:
    """The declaration of ``profile``'s provider: what the row says, served by one
    ``CompatibleProvider``."""
    return ProviderInfo(
        name=profile.name,
        title=profile.title,
        endpoints=profile.endpoints,
        chat_params=partial(supported_params, profile),
        build=partial(_build, profile),
        key_env=profile.key_env,
        key_required=profile.key_required,
        api_base=profile.api_base,
        api_base_env=profile.api_base_env,
    )


def _build(profile: ProviderProfile, deps: ProviderDeps) -> Adapters:
    # the adapter and OpenAI's wire format cost ~50 ms to import; the table is read at start
    from switchboard.adapters.outbound.providers.compatible.client import CompatibleProvider  # lazy: see above

    adapter = CompatibleProvider(transport=deps.transport, profile=profile, environ=deps.environ)
    return Adapters.of(adapter, profile.endpoints)
