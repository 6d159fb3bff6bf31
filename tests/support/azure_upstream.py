"""A fake Azure OpenAI resource and Entra ID token endpoint, as one plain ASGI app.

- ``POST /{tenant}/oauth2/v2.0/token``: the client-credentials grant; issues ``token-N``
- ``POST /openai/deployments/{name}/chat/completions?api-version=...``: chat, JSON or SSE (with
  Azure's prompt-filter chunk first); needs the ``api-key`` header or a bearer token it issued.
  A message containing ``violence`` is refused by the content filter, Azure style.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import orjson

from tests.contract.providers.azure_harness import CONTENT_FILTER_ERROR, azure_chunks, azure_completion
from tests.contract.providers.scenario import Scenario
from tests.support.asgi import Receive, Scope, Send, lifespan, read_body, respond_json, stream

API_KEY = "azure-upstream-key"
CLIENT_SECRET = "entra-client-secret"


class AzureUpstream:
    def __init__(self) -> None:
        self.tokens_issued = 0
        self.paths: list[str] = []
        self.authorizations: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await lifespan(receive, send)
        raw = await read_body(receive)
        path, query = scope["path"], parse_qs(scope["query_string"].decode())
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        if path.endswith("/oauth2/v2.0/token"):
            return await self._token(send, parse_qs(raw.decode()))
        self.paths.append(path + "?" + scope["query_string"].decode())
        self.authorizations.append(headers.get("authorization") or f"api-key {headers.get('api-key')}")
        issued = {f"Bearer token-{n}" for n in range(1, self.tokens_issued + 1)}
        if headers.get("api-key") != API_KEY and headers.get("authorization") not in issued:
            return await respond_json(send, 401, {"error": {"code": "401", "message": "Access denied"}})
        if not query.get("api-version"):
            return await respond_json(send, 404, {"error": {"code": "404", "message": "Resource not found"}})
        if not path.startswith("/openai/deployments/") or not path.endswith("/chat/completions"):
            return await respond_json(send, 404, {"error": {"code": "DeploymentNotFound", "message": "no"}})
        body = orjson.loads(raw)
        said = str(body["messages"][-1]["content"])
        if "violence" in said:
            return await respond_json(send, 400, {"error": CONTENT_FILTER_ERROR})
        scenario = Scenario(text=f"azure says: {said}", chunks=2)
        if body.get("stream"):
            frames = [b"data: " + orjson.dumps(c) + b"\n\n" for c in azure_chunks(scenario, "gpt-4o-2024-08-06")]
            return await stream(send, [*frames, b"data: [DONE]\n\n"], "text/event-stream")
        return await respond_json(send, 200, azure_completion(scenario, "gpt-4o-2024-08-06"))

    async def _token(self, send: Send, form: dict[str, list[str]]) -> None:
        if form.get("client_secret") != [CLIENT_SECRET] or form.get("grant_type") != ["client_credentials"]:
            error = {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret."}
            return await respond_json(send, 401, error)
        self.tokens_issued += 1
        token = {"token_type": "Bearer", "expires_in": 3599, "access_token": f"token-{self.tokens_issued}"}
        return await respond_json(send, 200, token)
