"""The official google-genai types as a contract for what we send to and read from Google.

The SDK's models are pydantic with camelCase aliases and ``extra="forbid"``, so they validate REST
JSON directly. There is no single type for a request body; it is composed here from the SDK's
parts, as the REST reference lists them. Unknown enum values only warn in the SDK; here they fail.
"""

from __future__ import annotations

import warnings
from typing import Any

import orjson
from google.genai import types
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

_CAMEL = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class GenerateContentRequest(BaseModel):
    """``POST models/{model}:generateContent`` (and ``:streamGenerateContent``)."""

    model_config = _CAMEL

    contents: list[types.Content]
    system_instruction: types.Content | None = None
    generation_config: types.GenerationConfig | None = None
    tools: list[types.Tool] | None = None
    tool_config: types.ToolConfig | None = None
    safety_settings: list[types.SafetySetting] | None = None
    cached_content: str | None = None


class EmbedContentRequest(BaseModel):
    model_config = _CAMEL

    model: str
    content: types.Content
    task_type: str | None = None
    title: str | None = None
    output_dimensionality: int | None = None


class BatchEmbedContentsRequest(BaseModel):
    """``POST models/{model}:batchEmbedContents`` (Gemini API)."""

    model_config = _CAMEL

    requests: list[EmbedContentRequest]


class PredictInstance(BaseModel):
    """A Vertex AI text-embedding ``predict`` instance; the REST reference spells these snake."""

    model_config = ConfigDict(extra="forbid")

    content: str
    task_type: str | None = None
    title: str | None = None


class PredictParameters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outputDimensionality: int | None = None
    autoTruncate: bool | None = None


class PredictRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instances: list[PredictInstance]
    parameters: PredictParameters | None = None


class PredictEmbedding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    embeddings: types.ContentEmbedding


class PredictResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    predictions: list[PredictEmbedding]
    metadata: dict[str, Any] | None = None


def _strict(model: type[BaseModel], payload: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unknown enum value is a mistake in a fixture
        return model.model_validate_json(orjson.dumps(payload))


def validate_request(body: Any) -> GenerateContentRequest:
    result: GenerateContentRequest = _strict(GenerateContentRequest, body)
    return result


def validate_response(payload: Any) -> types.GenerateContentResponse:
    result: types.GenerateContentResponse = _strict(types.GenerateContentResponse, payload)
    return result


def validate_batch_embed_request(body: Any) -> BatchEmbedContentsRequest:
    result: BatchEmbedContentsRequest = _strict(BatchEmbedContentsRequest, body)
    return result


def validate_batch_embed_response(payload: Any) -> types.EmbedContentResponse:
    result: types.EmbedContentResponse = _strict(types.EmbedContentResponse, payload)
    return result


def validate_predict_request(body: Any) -> PredictRequest:
    result: PredictRequest = _strict(PredictRequest, body)
    return result


def validate_predict_response(payload: Any) -> PredictResponse:
    result: PredictResponse = _strict(PredictResponse, payload)
    return result
