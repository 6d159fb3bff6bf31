"""The OpenAPI document at ``/schema/openapi.json``, built from the canonical pydantic models.

The hot routes read their bodies themselves (for speed and OpenAI-style error messages), so the
schema is assembled here rather than inferred by the framework from handler signatures.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from switchboard.adapters.inbound.http.openapi_media import MEDIA_SCHEMA_MODELS, media_paths
from switchboard.domain.chat import ChatChunk, ChatRequest, ChatResponse
from switchboard.domain.embeddings import EmbeddingRequest, EmbeddingResponse

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


_ENDPOINT = {
    "type": "object",
    "properties": {
        "model": {"type": "string", "description": "The upstream model, provider/model"},
        "model_name": {"type": "string", "description": "The model group"},
        "model_id": {"type": "string", "description": "The deployment id"},
        "api_base": {"type": ["string", "null"]},
        "latency": {"type": "number", "description": "Seconds the probe took"},
        "probe": {"type": "string", "enum": ["none"], "description": "Present when no call was made"},
        "error": {"type": "string", "description": "Unhealthy only: the failure's class and message"},
    },
    "required": ["model", "model_name", "model_id", "api_base"],
}


def _health_operation() -> dict[str, Any]:
    """``GET /health``: admin-only when a master key is set."""
    report = {
        "type": "object",
        "properties": {
            "healthy_endpoints": {"type": "array", "items": _ENDPOINT},
            "unhealthy_endpoints": {"type": "array", "items": _ENDPOINT},
            "healthy_count": {"type": "integer"},
            "unhealthy_count": {"type": "integer"},
            "checked_at": {"type": "number"},
        },
        "required": ["healthy_endpoints", "unhealthy_endpoints", "healthy_count", "unhealthy_count"],
    }
    op = _operation(
        "Probe the deployments (one model group with ?model=)",
        None,
        {"description": "The health report", "content": {"application/json": {"schema": report}}},
        401,
        403,
        404,
    )
    op["parameters"] = [
        {"name": "model", "in": "query", "required": False, "schema": {"type": "string"}},
    ]
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
    paths["/health"] = {"get": _health_operation()}
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
