"""Secrets never leave: the master key, virtual keys and upstream credentials appear in no answer
body or header, no log line, no metric and no spend row, whatever the call did, including an
upstream that echoes the credential it was sent in its error message.

The gateway runs as a real process at debug level, with JSON logs to a file, Prometheus metrics
and a SQLite database; everything it said is read back and searched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.support.asgi import lifespan, read_body, respond_json
from tests.support.processes import LAUNCHER, serving, write_config
from tests.support.servers import serve_asgi

pytestmark = pytest.mark.server

MASTER = "sk-master-SECRET-7f3a9c0d1e2b"
UPSTREAM_KEY = "sk-upstream-SECRET-c4d5e6f7a8b9"


@dataclass
class LeakyUpstream:
    """An OpenAI-style upstream; model ``leak`` answers 401 with the credential it received in the
    message (as some misconfigured upstreams and proxies do)."""

    authorizations: list[str] = field(default_factory=list)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            return await lifespan(receive, send)
        body = orjson.loads(await read_body(receive) or b"{}")
        authorization = dict(scope["headers"]).get(b"authorization", b"").decode()
        self.authorizations.append(authorization)
        if body.get("model") == "leak":
            message = {"error": {"message": f"invalid key: {authorization}", "type": "invalid_request_error"}}
            return await respond_json(send, 401, message)
        reply = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": body.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        return await respond_json(send, 200, reply)


@dataclass
class Said:
    """Everything the gateway said to the outside during the test."""

    answers: list[str] = field(default_factory=list)

    def add(self, response: httpx.Response) -> httpx.Response:
        self.answers.append(response.text + "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items()))
        return response


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[str, LeakyUpstream]]:
    app = LeakyUpstream()
    with serve_asgi(app) as url:
        yield url, app


def test_no_secret_in_answers_logs_metrics_or_rows(upstream: tuple[str, LeakyUpstream], tmp_path: Path) -> None:
    url, leaky = upstream
    params = {"api_base": f"{url}/v1", "api_key": UPSTREAM_KEY}
    config = write_config(
        tmp_path,
        {
            "model_list": [
                {"model_name": "gpt", "litellm_params": {"model": "openai/gpt-4o", **params}},
                {"model_name": "leak", "litellm_params": {"model": "openai/leak", **params}},
            ],
            "litellm_settings": {"callbacks": ["prometheus"], "json_logs": True},
            "general_settings": {
                "master_key": MASTER,
                "database_url": f"sqlite:///{tmp_path}/gateway.db",
                "proxy_batch_write_at": 0.1,
            },
        },
    )
    log = tmp_path / "gateway.log"
    said = Said()
    admin = {"authorization": f"Bearer {MASTER}"}
    command = [*LAUNCHER, "serve", "--config", str(config)]
    with serving(command, log) as gateway:
        base = gateway.url
        # the one answer that carries a secret: the new key, shown once to its creator
        virtual = httpx.post(f"{base}/key/generate", json={"key_alias": "app"}, headers=admin, timeout=30).json()["key"]
        user = {"authorization": f"Bearer {virtual}"}
        chat = {"messages": [{"role": "user", "content": "hi"}]}
        said.add(httpx.post(f"{base}/v1/chat/completions", json={"model": "gpt", **chat}, headers=user, timeout=30))
        said.add(
            httpx.post(
                f"{base}/v1/chat/completions", json={"model": "gpt", "stream": True, **chat}, headers=user, timeout=30
            )
        )
        said.add(httpx.post(f"{base}/v1/chat/completions", json={"model": "leak", **chat}, headers=user, timeout=30))
        said.add(
            httpx.post(
                f"{base}/v1/chat/completions",
                json={"model": "gpt", **chat},
                headers={"authorization": f"Bearer {virtual}x"},
                timeout=30,
            )
        )
        for path in (
            "/key/list",
            "/key/info",
            "/model/info",
            "/v1/model/info",
            "/spend/logs",
            "/user/list",
            "/metrics",
        ):
            said.add(httpx.get(f"{base}{path}", params={"key": virtual}, headers=admin, timeout=30))
        said.add(httpx.get(f"{base}/v1/models", headers=user, timeout=30))
        said.add(httpx.post(f"{base}/key/info", json={"key": virtual}, headers=admin, timeout=30))
        said.add(httpx.get(f"{base}/health", headers=admin, timeout=60))

    with sqlite3.connect(tmp_path / "gateway.db") as connection:
        rows = [
            repr(row)
            for table in ("sb_spend_logs", "sb_audit_log")
            for row in connection.execute(f"SELECT * FROM {table}")  # noqa: S608 - two fixed table names
        ]
    everything = {"answers": "\n".join(said.answers), "log": log.read_text(), "rows": "\n".join(rows)}

    assert UPSTREAM_KEY in "\n".join(leaky.authorizations)  # the upstream did get its key
    assert len(rows) >= 4  # the calls were recorded
    for secret in (MASTER, virtual, UPSTREAM_KEY, UPSTREAM_KEY[-12:], virtual[-16:]):
        leaks = [where for where, text in everything.items() if secret in text]
        assert leaks == [], f"a secret ending {secret[-6:]} appears in: {leaks}"
