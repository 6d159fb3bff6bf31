"""Azure error bodies -> domain errors (pure).

Azure answers in OpenAI's shape (read by ``openai.errors.error_object``) with more detail: a
content-filter refusal is ``{"error": {"code": "content_filter", "innererror": {"code":
"ResponsibleAIPolicyViolation", "content_filter_result": {...}}}}`` (images:
``content_policy_violation`` with ``inner_error`` and ``content_filter_results``). Those become
``ContentPolicyViolation`` naming the categories that were filtered. Numeric codes (``"401"``,
``"429"``) say no more than the status and are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from switchboard.adapters.outbound.providers.failures import KNOWN_CODES, error_from_status, redact
from switchboard.adapters.outbound.providers.openai.errors import error_object
from switchboard.domain.errors import ContentPolicyViolation, SwitchboardError

_FILTER_CODES = frozenset(
    {"content_filter", "contentFilter", "content_policy_violation", "ResponsibleAIPolicyViolation"}
)


def filtered_categories(inner: Mapping[str, Any]) -> list[str]:
    """The content-filter categories marked ``filtered`` (hate, jailbreak...), sorted."""
    results = inner.get("content_filter_result") or inner.get("content_filter_results") or {}
    if not isinstance(results, Mapping):
        return []
    return sorted(name for name, verdict in results.items() if isinstance(verdict, Mapping) and verdict.get("filtered"))


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    provider: str,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> SwitchboardError:
    error = error_object(status, body)
    inner: Any = error.get("innererror") or error.get("inner_error") or {}
    inner = inner if isinstance(inner, Mapping) else {}
    code = str(error.get("code") or "")
    message = redact(str(error.get("message") or f"HTTP {status}"), secrets)
    param = error.get("param")
    if code in _FILTER_CODES or str(inner.get("code") or "") in _FILTER_CODES:
        categories = filtered_categories(inner)
        if categories:
            message += f" (filtered: {', '.join(categories)})"
        kind: type[SwitchboardError] | None = ContentPolicyViolation
        code = ""  # one code for every provider's safety refusal: content_policy_violation
    else:
        kind = KNOWN_CODES.get(code) or KNOWN_CODES.get(str(error.get("type") or ""))
    return error_from_status(
        status,
        message,
        provider=provider,
        deployment=deployment,
        headers=headers,
        param=str(param) if param else None,
        code=code if code and not code.isdigit() else None,
        kind=kind,
    )
