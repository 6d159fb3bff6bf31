"""Request authentication per deployment: a Bedrock API key, fixed access keys, or the AWS
credential chain (the I/O part: the chain may read files or call the instance metadata service).

The chain goes through botocore, imported only when a deployment needs it (it costs ~200 ms), and
is consulted in a worker thread so the event loop never blocks; the credentials it returns are
reused for ``REFRESH_SECONDS`` (botocore refreshes temporary ones 15 minutes before they expire,
so a shorter reuse never sends expired credentials).
"""

from __future__ import annotations

import asyncio
from typing import Any

from switchboard.adapters.outbound.providers.bedrock.signing import AwsCredentials, SigV4Signer
from switchboard.adapters.outbound.providers.bedrock.target import BearerToken, CredentialChain, Target
from switchboard.domain.errors import AuthenticationError
from switchboard.domain.ports.clock import Clock

REFRESH_SECONDS = 300.0


def _load_chain(profile: str | None) -> Any:
    try:
        import botocore.session  # lazy: botocore (~300 ms), only for Bedrock
    except ImportError as exc:  # pragma: no cover - botocore ships with the dev extra
        raise AuthenticationError(
            "bedrock: no credentials configured (api_key, aws_access_key_id/aws_secret_access_key "
            "or the AWS_* variables), and botocore is not installed for the AWS credential chain.",
            provider="bedrock",
        ) from exc
    return botocore.session.Session(profile=profile).get_credentials()


class RequestSigner:
    """Headers that authenticate one request for one deployment."""

    def __init__(self, target: Target, clock: Clock) -> None:
        self._target = target
        self._clock = clock
        self._lock = asyncio.Lock()
        self._source: Any = None
        self._refresh_at = 0.0
        self._signer: SigV4Signer | None = None
        self._bearer: dict[str, str] | None = None
        auth = target.auth
        if isinstance(auth, BearerToken):
            self._bearer = {"content-type": "application/json", "authorization": f"Bearer {auth.token}"}
        elif isinstance(auth, AwsCredentials):
            self._signer = SigV4Signer(auth, target.region)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Credential values that must never appear in an error message."""
        auth = self._target.auth
        if isinstance(auth, BearerToken):
            return (auth.token,)
        if self._signer is not None:
            credentials = self._signer.credentials
            return (credentials.secret_key, credentials.token or "")
        return ()

    async def headers(self, path: str, body: bytes) -> dict[str, str]:
        if self._bearer is not None:
            return {**self._bearer, **self._target.extra_headers}
        if isinstance(self._target.auth, CredentialChain) and self._clock.monotonic() >= self._refresh_at:
            await self._refresh(self._target.auth)
        assert self._signer is not None
        signed = self._signer.headers(self._target.host, path, body, self._clock.now())
        return {**self._target.extra_headers, **signed}

    async def _refresh(self, chain: CredentialChain) -> None:
        async with self._lock:
            if self._clock.monotonic() < self._refresh_at:
                return
            credentials = await asyncio.to_thread(self._frozen, chain)
            if self._signer is None or self._signer.credentials != credentials:
                self._signer = SigV4Signer(credentials, self._target.region)
            self._refresh_at = self._clock.monotonic() + REFRESH_SECONDS

    def _frozen(self, chain: CredentialChain) -> AwsCredentials:
        try:
            if self._source is None:
                self._source = _load_chain(chain.profile)
            frozen = self._source.get_frozen_credentials() if self._source is not None else None
        except AuthenticationError:
            raise
        except Exception as exc:  # botocore's errors (ProfileNotFound, metadata service...)
            raise AuthenticationError(
                f"bedrock: the AWS credential chain failed ({type(exc).__name__}).", provider="bedrock"
            ) from exc
        if frozen is None:
            raise AuthenticationError(
                "bedrock: no AWS credentials found: set api_key (a Bedrock API key), "
                "aws_access_key_id/aws_secret_access_key, AWS_BEARER_TOKEN_BEDROCK or AWS_ACCESS_KEY_ID/"
                "AWS_SECRET_ACCESS_KEY, or configure an AWS profile or role.",
                provider="bedrock",
            )
        return AwsCredentials(frozen.access_key, frozen.secret_key, frozen.token or None)
