"""Every OpenAI-compatible API as one adapter plus a table: ``profiles.json`` holds a row per
provider (base URL, key variables, endpoints, refused parameters, renames, quirks), and
``PROVIDERS`` declares each row's provider.

Importing this package reads the table only; the adapter (``client.CompatibleProvider``) is
imported when a row's provider is first built.
"""

from collections.abc import Mapping
from types import MappingProxyType

from switchboard.adapters.outbound.providers.compatible.profile import ProviderProfile, load_profiles, parse_profiles
from switchboard.adapters.outbound.providers.compatible.rows import provider_info
from switchboard.adapters.outbound.providers.info import ProviderInfo

PROVIDERS: Mapping[str, ProviderInfo] = MappingProxyType(
    {name: provider_info(profile) for name, profile in load_profiles().items()}
)

__all__ = ["PROVIDERS", "ProviderProfile", "load_profiles", "parse_profiles", "provider_info"]
