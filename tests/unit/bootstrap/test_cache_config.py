"""``litellm_settings.cache`` and ``cache_params``: LiteLLM's keys and values, precise errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from switchboard.bootstrap.config.check import check_config
from switchboard.bootstrap.config.problems import ConfigError
from switchboard.bootstrap.providers import known_providers
from switchboard.bootstrap.settings import load_settings

KNOWN = known_providers()
MODELS = [
    {"model_name": "mock", "litellm_params": {"model": "mock/mock"}},
    {"model_name": "embedder", "litellm_params": {"model": "mock/mock-embedding"}},
]


def config(cache: bool = True, **params: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {"cache": cache}
    if params:
        settings["cache_params"] = params
    return {"model_list": MODELS, "litellm_settings": settings}


def problems(data: dict[str, Any]) -> dict[str, str]:
    _, found = check_config(data, known_providers=KNOWN)
    return {p.path: p.message for p in found if p.severity == "error"}


def test_without_cache_true_there_is_no_cache() -> None:
    assert load_settings(config(cache=False, type="local"), KNOWN).cache is None


def test_cache_true_alone_is_a_local_cache_for_chat_and_embeddings() -> None:
    settings = load_settings(config(), KNOWN).cache
    assert settings is not None
    assert settings.type == "local"
    assert settings.policy.kinds == frozenset({"chat", "embeddings"})


def test_litellm_params_are_read() -> None:
    settings = load_settings(
        config(
            type="local",
            ttl=600,
            namespace="prod",
            mode="default_off",
            supported_call_types=["acompletion", "atranscription"],
            max_size_in_memory=50,
        ),
        KNOWN,
    ).cache
    assert settings is not None
    assert (settings.policy.ttl, settings.policy.namespace, settings.policy.default_off) == (600, "prod", True)
    assert settings.policy.kinds == frozenset({"chat"})
    assert settings.max_entries == 50


def test_an_unsupported_litellm_type_says_what_to_use_instead() -> None:
    found = problems(config(type="qdrant-semantic"))
    assert "not supported" in found["litellm_settings.cache_params.type"]
    assert "redis-semantic" in found["litellm_settings.cache_params.type"]


def test_an_unknown_type_lists_the_known_ones() -> None:
    found = problems(config(type="memcached"))
    assert "local, redis, dual, disk" in found["litellm_settings.cache_params.type"]


def test_an_unknown_call_type_is_named() -> None:
    found = problems(config(supported_call_types=["acompletion", "chat"]))
    assert "'chat'" in found["litellm_settings.cache_params.supported_call_types"]


def test_an_unknown_cache_param_is_reported_with_its_path() -> None:
    _, found = check_config(config(tll=60), known_providers=KNOWN)
    assert [p.path for p in found] == ["litellm_settings.cache_params.tll"]


def test_a_semantic_type_needs_its_threshold_and_model() -> None:
    found = problems(config(type="redis-semantic"))
    message = found["litellm_settings.cache_params"]
    assert "similarity_threshold" in message and "redis_semantic_cache_embedding_model" in message


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_the_similarity_threshold_is_between_0_and_1(value: float) -> None:
    found = problems(
        config(type="local-semantic", similarity_threshold=value, redis_semantic_cache_embedding_model="e")
    )
    assert "litellm_settings.cache_params.similarity_threshold" in found


def test_the_semantic_embedding_model_must_be_a_model_group() -> None:
    data = config(type="local-semantic", similarity_threshold=0.9, redis_semantic_cache_embedding_model="nope")
    with pytest.raises(ConfigError) as caught:
        load_settings(data, KNOWN)
    [problem] = caught.value.problems
    assert problem.path == "litellm_settings.cache_params.redis_semantic_cache_embedding_model"


def test_a_redis_cache_without_any_redis_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    with pytest.raises(ConfigError) as caught:
        load_settings(config(type="redis"), KNOWN)
    [problem] = caught.value.problems
    assert problem.path == "litellm_settings.cache_params.type"
    assert "needs Redis" in problem.message


def test_a_redis_cache_uses_its_own_host_or_else_the_shared_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    own = load_settings(config(type="redis", host="cache.internal", port=6380, password="p@ss"), KNOWN).cache
    shared = load_settings({**config(type="dual"), "general_settings": {"redis_url": "redis://r:6379/0"}}, KNOWN)
    assert own is not None and own.redis_url == "redis://:p%40ss@cache.internal:6380/0"
    assert shared.cache is not None and shared.cache.redis_url is None and shared.redis_url == "redis://r:6379/0"


def test_a_valid_semantic_config_loads(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        """
model_list:
  - model_name: embedder
    litellm_params: {model: mock/mock-embedding}
litellm_settings:
  cache: true
  cache_params:
    type: local-semantic
    similarity_threshold: 0.8
    redis_semantic_cache_embedding_model: embedder
    namespace_by: team
"""
    )
    settings = load_settings(path, KNOWN).cache
    assert settings is not None and settings.semantic
    assert (settings.similarity_threshold, settings.policy.namespace_by) == (0.8, "team")
