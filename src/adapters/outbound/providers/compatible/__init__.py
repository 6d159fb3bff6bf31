"""Every OpenAI-compatible API as one adapter plus a table: ``profiles.json`` holds a row per
provider (base URL, key variables, refused parameters, renames, quirks)."""

from switchboard.adapters.outbound.providers.compatible.client import CompatibleProvider
from switchboard.adapters.outbound.providers.compatible.profile import ProviderProfile, load_profiles, parse_profiles

__all__ = ["CompatibleProvider", "ProviderProfile", "load_profiles", "parse_profiles"]
