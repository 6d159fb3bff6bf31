"""The sealing of provider credentials: round trip, fresh nonces, and where the key comes from."""

from __future__ import annotations

from switchboard.adapters.outbound.persistence.secrets import PREFIX, SecretBox, salt_key


def test_a_sealed_value_opens_to_itself_and_never_shows_it() -> None:
    box = SecretBox("salt")
    sealed = box.seal("sk-secret")
    assert sealed.startswith(PREFIX)
    assert "sk-secret" not in sealed
    assert box.open(sealed) == "sk-secret"


def test_sealing_twice_gives_two_ciphertexts() -> None:
    box = SecretBox("salt")
    assert box.seal("sk-secret") != box.seal("sk-secret")


def test_only_credential_params_are_sealed() -> None:
    sealed = SecretBox("salt").seal_params({"model": "openai/gpt-4o", "api_key": "sk-1", "temperature": 0})
    assert sealed["model"] == "openai/gpt-4o"
    assert sealed["temperature"] == 0
    assert str(sealed["api_key"]).startswith(PREFIX)


def test_the_salt_key_comes_from_switchboard_then_litellm_then_the_master_key() -> None:
    assert salt_key("sk-master", {"SWITCHBOARD_SALT_KEY": "a", "LITELLM_SALT_KEY": "b"}) == "a"
    assert salt_key("sk-master", {"LITELLM_SALT_KEY": "b"}) == "b"
    assert salt_key("sk-master", {}) == "sk-master"
    assert salt_key(None, {}) is None
