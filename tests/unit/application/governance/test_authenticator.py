"""Every path through authentication ends in a principal, 401 or 503; never a default."""

from __future__ import annotations

import pytest

from switchboard.application.auth import Authenticator
from switchboard.application.governance.identity_cache import IdentityCache
from switchboard.application.governance.principals import Identity, Refusal
from switchboard.domain.errors import AuthenticationError, ServiceUnavailable
from switchboard.domain.governance.keys import hash_key
from switchboard.domain.principal import Principal, PrincipalKind
from tests.fakes import FakeClock

MASTER = "sk-master"
KEY = "sk-user-key"


class Keys:
    def __init__(self) -> None:
        self.table: dict[str, Identity] = {
            hash_key(KEY): Identity(Principal(PrincipalKind.KEY, key_hash=hash_key(KEY), expires_at=2_000_000_000))
        }
        self.failure: Exception | None = None

    async def load(self, token: str) -> Identity:
        if self.failure is not None:
            raise self.failure
        return self.table.get(token, Identity(refusal=Refusal.UNKNOWN))


def auth(keys: Keys, clock: FakeClock | None = None, master: str | None = MASTER) -> Authenticator:
    clock = clock or FakeClock()
    return Authenticator(master, keys=IdentityCache(keys.load, clock, ttl=5), clock=clock)


async def test_the_master_key_is_the_master() -> None:
    assert (await auth(Keys()).authenticate(MASTER)).kind is PrincipalKind.MASTER


async def test_a_known_key_is_its_principal() -> None:
    principal = await auth(Keys()).authenticate(KEY)
    assert principal.key_hash == hash_key(KEY)


@pytest.mark.parametrize("credential", [None, "", "sk-unknown", MASTER + "x", MASTER[:-1]])
async def test_anything_else_is_refused(credential: str | None) -> None:
    with pytest.raises(AuthenticationError) as refused:
        await auth(Keys()).authenticate(credential)
    assert refused.value.code == "invalid_api_key"


async def test_a_blocked_key_is_refused_as_blocked() -> None:
    keys = Keys()
    keys.table[hash_key(KEY)] = Identity(refusal=Refusal.BLOCKED)
    with pytest.raises(AuthenticationError) as refused:
        await auth(keys).authenticate(KEY)
    assert refused.value.code == "key_blocked"


async def test_an_expired_key_is_refused_even_from_the_cache() -> None:
    clock = FakeClock(start=1_999_999_990)
    authenticator = auth(Keys(), clock)
    await authenticator.authenticate(KEY)
    clock.advance(11)
    with pytest.raises(AuthenticationError) as refused:
        await authenticator.authenticate(KEY)
    assert refused.value.code == "key_expired"


async def test_a_database_outage_is_a_503_not_a_401() -> None:
    keys = Keys()
    keys.failure = ServiceUnavailable("down", code="database_unavailable")
    with pytest.raises(ServiceUnavailable):
        await auth(keys).authenticate(KEY)


async def test_a_cached_key_outlives_an_outage_until_its_ttl() -> None:
    keys, clock = Keys(), FakeClock()
    authenticator = auth(keys, clock)
    await authenticator.authenticate(KEY)
    keys.failure = ServiceUnavailable("down", code="database_unavailable")
    clock.advance(4)
    assert (await authenticator.authenticate(KEY)).key_hash == hash_key(KEY)
    clock.advance(2)
    with pytest.raises(ServiceUnavailable):
        await authenticator.authenticate(KEY)


async def test_a_bug_in_a_lookup_refuses_rather_than_admits() -> None:
    keys = Keys()
    keys.failure = KeyError("oops")
    with pytest.raises(AuthenticationError):
        await auth(keys).authenticate(KEY)


async def test_without_a_master_key_strangers_are_anonymous_but_keys_still_count() -> None:
    authenticator = auth(Keys(), master=None)
    assert (await authenticator.authenticate(None)).kind is PrincipalKind.ANONYMOUS
    assert (await authenticator.authenticate("sk-anything")).kind is PrincipalKind.ANONYMOUS
    assert (await authenticator.authenticate(KEY)).kind is PrincipalKind.KEY
