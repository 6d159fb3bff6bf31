"""What sets one OpenAI-compatible API apart from OpenAI's: a row of ``profiles.json``.

A row holds facts, not code: where the API lives, which environment variables hold its key,
which OpenAI parameters it refuses or names differently, and a few quirks as flags. Rows are
validated strictly (an unknown key is an error), so a typo in the table fails the tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from switchboard.domain.endpoints import Endpoint


class Setting(BaseModel):
    """A value read from the deployment's ``litellm_params`` (``param``), else from the
    environment (``env``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    param: str | None = None
    env: str | None = None


class ModelRule(BaseModel):
    """Parameters refused by the models whose name matches ``match`` (a regular expression)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    match: str
    rejects: frozenset[str]
    why: str = ""

    def applies_to(self, model: str) -> bool:
        return re.search(self.match, model, re.IGNORECASE) is not None


class ProviderProfile(BaseModel):
    """One OpenAI-compatible provider.

    - ``api_base``: the default base URL; ``{name}`` placeholders are filled from ``base_params``.
      ``None`` means the deployment must give ``api_base`` (or ``api_base_env`` must be set).
    - ``key_env``: variables tried in order when the deployment has no ``api_key``.
    - ``rejects``: OpenAI parameters the API refuses or ignores; ``only``: when set, the
      complete list of OpenAI parameters it takes. ``model_rules`` refuse more per model.
    - ``renames``: OpenAI name -> the API's name (``max_completion_tokens`` -> ``max_tokens``).
    - ``extra_params``: provider parameters that pass through as they are; ``"any"`` lets every
      unknown parameter through (self-hosted servers judge them themselves).
    - ``single_choice``: ``n`` must be 1 (it is dropped when 1, refused otherwise).
    - ``stream_options``: whether the API takes ``stream_options`` (usage in streams).
    - ``reasoning_field``: the field where the API puts reasoning text instead of
      ``reasoning_content``.
    - ``headers``: extra request headers, each read from a param or the environment.
    - ``endpoints``: what the API serves with OpenAI's wire format: chat, and often embeddings
      (Groq's Whisper: transcriptions).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    docs: str
    api_base: str | None = None
    api_base_env: str | None = None
    base_params: Mapping[str, Setting] = Field(default_factory=dict)
    base_suffix: str | None = None
    key_env: tuple[str, ...] = ()
    key_required: bool = True
    headers: Mapping[str, Setting] = Field(default_factory=dict)
    rejects: frozenset[str] = frozenset()
    only: frozenset[str] | None = None
    model_rules: tuple[ModelRule, ...] = ()
    renames: Mapping[str, str] = Field(default_factory=dict)
    extra_params: Literal["any"] | frozenset[str] = frozenset()
    single_choice: bool = False
    stream_options: bool = True
    reasoning_field: str | None = None
    endpoints: frozenset[Endpoint] = frozenset({Endpoint.CHAT})

    @model_validator(mode="after")
    def _placeholders_have_sources(self) -> ProviderProfile:
        wanted = set(re.findall(r"{(\w+)}", self.api_base or ""))
        missing = wanted - set(self.base_params)
        if missing:
            raise ValueError(f"api_base placeholders without a source: {sorted(missing)}")
        return self

    @model_validator(mode="after")
    def _serves_chat(self) -> ProviderProfile:
        if Endpoint.CHAT not in self.endpoints:
            raise ValueError("an OpenAI-compatible provider serves chat")
        return self

    @property
    def needs_api_base(self) -> bool:
        """Whether a deployment must say where the API is (no usable default)."""
        return self.api_base is None


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    comment: str = Field(default="", alias="$comment")
    providers: tuple[ProviderProfile, ...]


def parse_profiles(text: str | bytes) -> dict[str, ProviderProfile]:
    """Profiles by name from the JSON text of a table; duplicate names are an error."""
    table = _Table.model_validate(json.loads(text))
    profiles: dict[str, ProviderProfile] = {}
    for profile in table.providers:
        if profile.name in profiles:
            raise ValueError(f"provider {profile.name!r} appears twice in the table")
        profiles[profile.name] = profile
    return profiles


@cache
def load_profiles() -> Mapping[str, ProviderProfile]:
    """The packaged table (``profiles.json``), read once."""
    text = resources.files(__package__).joinpath("profiles.json").read_bytes()
    return MappingProxyType(parse_profiles(text))
