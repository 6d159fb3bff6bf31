"""The one spelling of Litestar's request type in this adapter: no user, no auth object, the
app's ``State``."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State

HttpRequest = Request[Any, Any, State]
