"""Management request bodies: JSON decoded safely, then validated into the application's forms
with the gateway's own messages (``domain.validation``), so a bad field is a 400 naming it by
its full path (``user_ids[0]``), never Litestar's generic 400 and never a 500."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.config.app import AppConfig
from litestar.datastructures import State
from litestar.exceptions import SerializationException
from litestar.plugins import InitPlugin

from switchboard.adapters.inbound.http.credentials import header, is_json_media_type, unsupported_media_type
from switchboard.application.governance.forms import Form
from switchboard.domain.errors import BadRequest
from switchboard.domain.validation import NOT_JSON, TOO_DEEP, parse_mapping


class JsonBodyRequest(Request[Any, Any, State]):
    """A request whose JSON body is refused with a 400 when it is malformed or nested deeper
    than the decoder recurses (Litestar would answer the first with its own words and the second
    with a 500), and with a 415 when it is declared as another media type."""

    async def json(self) -> Any:
        content_type = header(self.scope, b"content-type")
        if content_type is not None and not is_json_media_type(content_type):
            raise unsupported_media_type(content_type)
        try:
            return await super().json()
        except SerializationException:
            raise BadRequest(NOT_JSON) from None
        except RecursionError:
            raise BadRequest(TOO_DEEP) from None


def _is_form(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Form)


def _decode_form(form: type[Form], value: Any) -> Form:
    if not isinstance(value, dict):
        raise BadRequest("The request body must be a JSON object.")
    return parse_mapping(form, value)


class FormDecoding(InitPlugin):
    """Decodes a handler's ``data: <Form>`` with ``parse_mapping``; its ``BadRequest`` reaches
    the app's error handler as it is. It must run after Litestar's pydantic plugin, whose decoder
    (for every pydantic model) would otherwise come first: list it after ``PydanticInitPlugin``."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.type_decoders = [(_is_form, _decode_form), *(app_config.type_decoders or [])]
        return app_config
