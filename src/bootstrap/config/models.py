"""``model_list`` entries."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class LitellmParams(BaseModel):
    """How to reach one deployment. Keys not named here are provider settings (``vertex_project``,
    ``aws_region_name``...) or request defaults (``temperature``), passed to the adapter as is."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    model: str = Field(min_length=1)
    api_base: str | None = None
    base_url: str | None = None
    api_key: SecretStr | None = None
    api_version: str | None = None
    rpm: int | None = Field(default=None, ge=0)
    tpm: int | None = Field(default=None, ge=0)
    weight: float | None = Field(default=None, ge=0)
    order: int | None = Field(default=None, ge=0)
    timeout: float | None = Field(default=None, gt=0)
    stream_timeout: float | None = Field(default=None, gt=0)
    max_parallel_requests: int | None = Field(default=None, ge=1)
    drop_params: bool | None = None
    num_retries: int | None = Field(default=None, ge=0)
    tags: list[str] | None = None


class ModelEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    model_name: str = Field(min_length=1)
    litellm_params: LitellmParams
    model_info: dict[str, Any] = Field(default_factory=dict)
