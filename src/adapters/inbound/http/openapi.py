"""The OpenAPI document at ``/schema/openapi.json``, built from the canonical pydantic models.

The hot routes read their bodies themselves (for speed and OpenAI-style error messages), so the
schema is assembled here rather than inferred by the framework from handler signatures.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from adapters.inbound.http.openapi_media import MEDIA_SCHEMA_MODELS, media_paths
from domain.chat import ChatChunk, ChatRequest, ChatResponse
from domain.embeddings import EmbeddingRequest, EmbeddingResponse

_ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": {"type": ["string", "null"]},
                "code": {"type": ["string", "null"]},
            },
            "required": ["message", "type"],
        }
    },
    "required": ["error"],
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _errors(*statuses: int) -> dict[str, Any]:
    return {
        str(s): {"description": "Error", "content": {"application/json": {"schema": _ref("Error")}}} for s in statuses
    }


def _operation(summary: str, request: str | None, response: dict[str, Any], *statuses: int) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {"200": response, **_errors(*statuses)}}
    if request:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(request)}}}
        op["security"] = [{"bearer": []}]
    return op


def build_openapi(version: str) -> dict[str, Any]:
    _, defs = models_json_schema(
        [
            (ChatRequest, "validation"),
            (ChatResponse, "serialization"),
            (ChatChunk, "serialization"),
            (EmbeddingRequest, "validation"),
            (EmbeddingResponse, "serialization"),
            *MEDIA_SCHEMA_MODELS,
        ],
        ref_template="#/components/schemas/{model}",
    )
    schemas = {**defs.get("$defs", {}), "Error": _ERROR}
    chat = _operation(
        "Create a chat completion",
        "ChatRequest",
        {
            "description": "The completion, or with stream=true an SSE stream of chunks ending in [DONE]",
            "content": {
                "application/json": {"schema": _ref("ChatResponse")},
                "text/event-stream": {"schema": _ref("ChatChunk")},
            },
        },
        400,
        401,
        403,
        404,
        413,
        429,
        502,
        503,
        504,
    )
    embed = _operation(
        "Create embeddings",
        "EmbeddingRequest",
        {
            "description": "The embeddings",
            "content": {"application/json": {"schema": _ref("EmbeddingResponse")}},
        },
        400,
        401,
        403,
        404,
        413,
        429,
        502,
        503,
        504,
    )
    models = _operation("List models", None, {"description": "The model names served"}, 401)
    models["security"] = [{"bearer": []}]
    paths: dict[str, Any] = {}
    for prefix in ("/v1", ""):
        paths[f"{prefix}/chat/completions"] = {"post": chat}
        paths[f"{prefix}/embeddings"] = {"post": embed}
        paths[f"{prefix}/models"] = {"get": models}
        paths.update(media_paths(prefix))
    paths["/health/liveliness"] = {"get": {"summary": "Liveness", "responses": {"200": {"description": "Up"}}}}
    paths["/health/readiness"] = {"get": {"summary": "Readiness", "responses": {"200": {"description": "Ready"}}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Switchboard",
            "version": version,
            "description": "An OpenAI-compatible LLM gateway.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
