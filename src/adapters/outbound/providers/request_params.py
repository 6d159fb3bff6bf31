"""Reading request parameters with deployment-level defaults (``litellm_params: {temperature: 0}``).

A value the caller sent wins; otherwise the deployment's ``params`` entry of the same name is
used. Provider-specific parameters arrive as extra fields of the canonical request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel


def param(request: BaseModel, defaults: Mapping[str, Any], name: str) -> Any:
    """The caller's value of ``name`` (declared field or extra), else the deployment default."""
    value = getattr(request, name, None) if name in type(request).model_fields else None
    if value is None and request.model_extra:
        value = request.model_extra.get(name)
    if value is None:
        value = defaults.get(name)
    return value
