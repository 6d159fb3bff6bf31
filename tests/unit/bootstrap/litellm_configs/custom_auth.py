"""The custom auth function 16_custom_auth.yaml names, with LiteLLM's documented signature."""

from typing import Any


async def user_api_key_auth(request: Any, api_key: str) -> dict[str, str]:
    if api_key == "sk-custom":
        return {"api_key": api_key, "user_id": "custom-user"}
    raise Exception("Failed custom auth")  # LiteLLM's functions refuse this way
