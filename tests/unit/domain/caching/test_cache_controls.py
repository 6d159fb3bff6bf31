"""Per-request cache controls (LiteLLM's ``cache`` dict) and the plan they make with the policy."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.domain.caching.controls import CacheControls, controls_of
from switchboard.domain.caching.policy import CachePolicy, plan_call
from switchboard.domain.errors import BadRequest
from switchboard.domain.principal import ANONYMOUS, Principal, PrincipalKind


def test_no_cache_field_asks_nothing_special() -> None:
    assert controls_of(None) == CacheControls()
    assert controls_of({"temperature": 1}) == CacheControls()


def test_every_litellm_control_is_read() -> None:
    controls = controls_of(
        {"cache": {"no-cache": True, "no-store": True, "ttl": 30, "s-maxage": 10, "namespace": "eval"}}
    )
    assert controls == CacheControls(no_cache=True, no_store=True, ttl=30.0, max_age=10.0, namespace="eval")


def test_s_max_age_is_accepted_as_litellm_also_spells_it() -> None:
    assert controls_of({"cache": {"s-max-age": 5}}).max_age == 5.0


def test_caching_false_turns_the_cache_off() -> None:
    assert controls_of({"caching": False}).disabled


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"cache": "no-cache"}, "cache"),
        ({"cache": {"no-cache": "yes"}}, "cache.no-cache"),
        ({"cache": {"ttl": -1}}, "cache.ttl"),
        ({"cache": {"ttl": 0}}, "cache.ttl"),
        ({"cache": {"ttl": "60"}}, "cache.ttl"),
        ({"cache": {"ttl": True}}, "cache.ttl"),
        ({"cache": {"s-maxage": -5}}, "cache.s-maxage"),
        ({"cache": {"namespace": ""}}, "cache.namespace"),
        ({"cache": {"namespace": "a\nb"}}, "cache.namespace"),
        ({"cache": {"max-age": 5}}, "cache.max-age"),
        ({"caching": "off"}, "caching"),
    ],
)
def test_a_wrong_control_is_a_bad_request_naming_it(extra: dict[str, Any], param: str) -> None:
    with pytest.raises(BadRequest) as caught:
        controls_of(extra)
    assert caught.value.param == param
    assert param in caught.value.message


def test_a_zero_s_maxage_is_allowed_and_accepts_only_fresh_entries() -> None:
    assert controls_of({"cache": {"s-maxage": 0}}).max_age == 0.0


POLICY = CachePolicy(ttl=100.0)


def test_the_plan_reads_and_writes_with_the_policys_ttl_by_default() -> None:
    plan = plan_call(POLICY, "chat", CacheControls(), ANONYMOUS)
    assert plan is not None
    assert (plan.read, plan.write, plan.ttl, plan.max_age, plan.prefix) == (True, True, 100.0, None, "")


def test_no_cache_skips_the_read_and_no_store_the_write() -> None:
    fresh = plan_call(POLICY, "chat", CacheControls(no_cache=True), ANONYMOUS)
    unstored = plan_call(POLICY, "chat", CacheControls(no_store=True), ANONYMOUS)
    assert fresh is not None and (fresh.read, fresh.write) == (False, True)
    assert unstored is not None and (unstored.read, unstored.write) == (True, False)
    assert plan_call(POLICY, "chat", CacheControls(no_cache=True, no_store=True), ANONYMOUS) is None


def test_the_requests_ttl_wins_over_the_policys() -> None:
    plan = plan_call(POLICY, "chat", CacheControls(ttl=5), ANONYMOUS)
    assert plan is not None and plan.ttl == 5


def test_a_kind_outside_the_policy_is_not_cached() -> None:
    policy = CachePolicy(kinds=frozenset({"embeddings"}))
    assert plan_call(policy, "chat", CacheControls(), ANONYMOUS) is None


def test_default_off_caches_only_requests_that_opt_in() -> None:
    policy = CachePolicy(default_off=True)
    assert plan_call(policy, "chat", CacheControls(), ANONYMOUS) is None
    assert plan_call(policy, "chat", controls_of({"cache": {"use-cache": True}}), ANONYMOUS) is not None


def test_the_prefix_holds_the_configured_then_the_requests_namespace() -> None:
    policy = CachePolicy(namespace="prod")
    plan = plan_call(policy, "chat", CacheControls(namespace="eval"), ANONYMOUS)
    assert plan is not None and plan.prefix == "prod:eval:"


def test_namespace_by_key_keeps_two_keys_apart() -> None:
    policy = CachePolicy(namespace_by="key")
    alice = Principal(PrincipalKind.MASTER, key_hash="a" * 64)
    bob = Principal(PrincipalKind.MASTER, key_hash="b" * 64)
    prefixes = {plan.prefix for p in (alice, bob) if (plan := plan_call(policy, "chat", CacheControls(), p))}
    assert len(prefixes) == 2
    assert all("a" * 64 not in prefix for prefix in prefixes)  # a prefix of the hash, not all of it


def test_namespace_by_team_falls_back_to_the_key_for_callers_without_a_team() -> None:
    policy = CachePolicy(namespace_by="team")
    caller = Principal(PrincipalKind.MASTER, key_hash="c" * 64)
    plan = plan_call(policy, "chat", CacheControls(), caller)
    assert plan is not None and plan.prefix == f"key={'c' * 32}:"
