"""The one error tree of Switchboard.

Every failure a caller can see is one of these. Errors carry their facts as attributes
(``retryable``, ``retry_after``, ``provider``, ``param``); retry, fallback and cooldown policies
read those attributes, and the HTTP adapter picks status and OpenAI error ``type``/``code`` from
one table keyed by class. Messages are safe to show: they never contain a credential.

    SwitchboardError
    ├── RequestRejected                 the caller's request cannot succeed as sent; never retried
    │   ├── BadRequest                  (param) malformed body, wrong type, missing field
    │   │   ├── UnsupportedParameter    (param, provider) the deployment cannot honour a parameter
    │   │   ├── ContextWindowExceeded   the prompt does not fit the model
    │   │   └── ContentPolicyViolation  the provider's safety system refused
    │   ├── PayloadTooLarge             the body is over the configured limit
    │   ├── AuthenticationError         no, or a wrong, credential
    │   ├── PermissionDenied            a valid credential that may not do this
    │   └── NotFound
    │       └── ModelNotFound           no deployment serves that model name
    ├── LimitReached
    │   ├── RateLimited                 (retry_after) rpm / tpm / parallel limit, ours or upstream's
    │   └── BudgetExceeded              (resets_at) a spend budget is used up
    ├── UpstreamFailure                 the provider did not give an answer
    │   ├── Timeout                     no (complete) answer in time
    │   ├── ProviderUnavailable         5xx, overload, connection refused or dropped
    │   └── UpstreamProtocolError       a body or stream we could not understand
    ├── ServiceUnavailable              a dependency of the gateway itself (database) is down
    ├── ClientAborted                   the caller went away before the call ended
    ├── InternalError                   a bug: never shows internals to the caller
    └── AllDeploymentsFailed            every deployment tried failed; ``attempts`` says which and how

Errors raised because of an upstream answer carry ``provider`` (and ``deployment``); errors the
gateway raises itself leave it ``None``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict, Unpack


class SwitchboardError(Exception):
    """Base of every error Switchboard raises on purpose."""

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        provider: str | None = None,
        deployment: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        retryable: bool | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.provider = provider
        self.deployment = deployment
        self.status = status
        self.retry_after = retry_after
        self.code = code
        if retryable is not None:
            self.retryable = retryable

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        facts = ", ".join(
            f"{name}={value!r}"
            for name in ("param", "provider", "deployment", "status", "retry_after")
            if (value := getattr(self, name)) is not None
        )
        return f"{type(self).__name__}({self.message!r}{', ' + facts if facts else ''})"


class RequestRejected(SwitchboardError):
    """The request cannot succeed as sent; retrying it unchanged is pointless."""


class BadRequest(RequestRejected):
    """Malformed or invalid input; ``param`` names the offending field when known."""


class UnsupportedParameter(BadRequest):
    """A deployment cannot honour a parameter and ``drop_params`` is off."""


class ContextWindowExceeded(BadRequest):
    """The prompt (plus requested output) does not fit the model's context window."""


class ContentPolicyViolation(BadRequest):
    """The provider's safety system refused the request or its answer."""


class PayloadTooLarge(RequestRejected):
    """The request body is larger than the gateway accepts."""


class UnsupportedMediaType(RequestRejected):
    """The body is declared as a media type the route does not read (``text/plain`` on a JSON route)."""


class AuthenticationError(RequestRejected):
    """Missing or wrong credential. The message never says whether a key exists."""


class PermissionDenied(RequestRejected):
    """A valid credential that is not allowed to do this (model, route, team)."""


class NotFound(RequestRejected):
    """A named thing does not exist."""


class ModelNotFound(NotFound):
    """No deployment serves the requested model name."""


class LimitReached(SwitchboardError):
    """A limit stops the request for now."""


class RateLimited(LimitReached):
    """Too many requests or tokens; ``retry_after`` (seconds) says when to try again, if known."""

    retryable = True


class ErrorFacts(TypedDict, total=False):
    """The facts every ``SwitchboardError`` takes by keyword, for subclasses that pass them on."""

    param: str | None
    provider: str | None
    deployment: str | None
    status: int | None
    retry_after: float | None
    retryable: bool | None
    code: str | None


class BudgetExceeded(LimitReached):
    """A spend budget is used up; ``resets_at`` (epoch seconds) is when it resets, if ever."""

    def __init__(self, message: str, *, resets_at: float | None = None, **facts: Unpack[ErrorFacts]) -> None:
        super().__init__(message, **facts)
        self.resets_at = resets_at


class UpstreamFailure(SwitchboardError):
    """The provider did not give a usable answer."""

    retryable = True


class Timeout(UpstreamFailure):
    """No (complete) answer within the timeout; the upstream request was cancelled."""


class ProviderUnavailable(UpstreamFailure):
    """The provider failed (5xx), is overloaded, or the connection failed or dropped."""


class UpstreamProtocolError(UpstreamFailure):
    """The provider answered with a body or stream we could not understand."""


class ServiceUnavailable(SwitchboardError):
    """A dependency of the gateway itself (database, state store) is unavailable."""

    retryable = True


CLIENT_LEFT = "the client disconnected"
"""The message of the cancellation an inbound adapter sends into a call whose client has left
(``Task.cancel(CLIENT_LEFT)``): the call path records such a call as ``ClientAborted``."""


def client_left(exc: BaseException) -> bool:
    """Whether ``exc`` is the cancellation of a call whose client disconnected (``CLIENT_LEFT``)."""
    return isinstance(exc, asyncio.CancelledError) and exc.args == (CLIENT_LEFT,)


class ClientAborted(SwitchboardError):
    """The caller went away (an HTTP client disconnected) before the call ended; the upstream
    request was cancelled. Nobody is left to see it: it is what the call's outcome records."""

    def __init__(self, message: str = "The client disconnected before the call ended.") -> None:
        super().__init__(message, code="client_aborted")


class InternalError(SwitchboardError):
    """An unexpected failure inside the gateway. The message hides the details."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt that failed: on which deployment (its id), of which provider, and how."""

    deployment: str
    provider: str
    error: SwitchboardError


class AllDeploymentsFailed(SwitchboardError):
    """Every deployment tried for a call failed. ``attempts`` says which were tried, in order, and
    how each failed; ``last`` is the error that ended the call: the last attempt's, or why no
    deployment was left to try (all cooling down, say). Its facts (status, ``retry_after``,
    ``code``...) are this error's too.

    The router raises it. The call path records the attempts on the call's outcome and raises
    ``last`` to the caller, chained from this error (``__cause__``): a facade user catches the
    classes they know (``except RateLimited``), an HTTP client gets the status and body of
    ``last``, and ``exc.__cause__.attempts`` still says what was tried.
    """

    def __init__(self, attempts: Sequence[Attempt], last: SwitchboardError | None = None) -> None:
        if not attempts:
            raise ValueError("AllDeploymentsFailed needs at least one attempt")
        last = last if last is not None else attempts[-1].error
        super().__init__(
            last.message,
            param=last.param,
            provider=last.provider,
            deployment=last.deployment,
            status=last.status,
            retry_after=last.retry_after,
            retryable=last.retryable,
            code=last.code,
        )
        self.attempts = tuple(attempts)
        self.last = last

    @property
    def attempted(self) -> tuple[str, ...]:
        """The ids of the deployments tried, in order (one may appear more than once)."""
        return tuple([attempt.deployment for attempt in self.attempts])


# The code an error is recorded with when it carries none of its own (spend rows, events): a
# stable word of the error contract, never a class name.
_DEFAULT_CODES: tuple[tuple[type[SwitchboardError], str], ...] = (
    (ContextWindowExceeded, "context_length_exceeded"),
    (ContentPolicyViolation, "content_policy_violation"),
    (UnsupportedParameter, "unsupported_parameter"),
    (BadRequest, "invalid_request"),
    (PayloadTooLarge, "payload_too_large"),
    (AuthenticationError, "invalid_api_key"),
    (PermissionDenied, "permission_denied"),
    (ModelNotFound, "model_not_found"),
    (NotFound, "not_found"),
    (RateLimited, "rate_limit_exceeded"),
    (BudgetExceeded, "budget_exceeded"),
    (Timeout, "timeout"),
    (ProviderUnavailable, "provider_unavailable"),
    (UpstreamProtocolError, "bad_upstream_response"),
    (ServiceUnavailable, "service_unavailable"),
)


def error_code(error: SwitchboardError) -> str:
    """The error's ``code``, else the contract's code for its kind (``timeout``...); an
    ``AllDeploymentsFailed`` has its last attempt's."""
    if isinstance(error, AllDeploymentsFailed):
        return error_code(error.last)
    if error.code:
        return error.code
    for kind, code in _DEFAULT_CODES:
        if isinstance(error, kind):
            return code
    return "internal_error"
