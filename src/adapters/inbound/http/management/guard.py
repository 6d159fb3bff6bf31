"""The access groups management routes declare in their ``opt``. The decision itself is the
app's one access guard (``adapters/inbound/http/access.py``), which refuses a route that
declares none."""

from __future__ import annotations

from switchboard.adapters.inbound.http.access import ACCESS
from switchboard.domain.governance.access import INFO_ROUTES, MANAGEMENT_ROUTES, SPEND_ROUTES

MANAGE = {ACCESS: MANAGEMENT_ROUTES}  # the ``opt`` of a route that changes things
INFO = {ACCESS: INFO_ROUTES}  # ... that reads them
SPEND = {ACCESS: SPEND_ROUTES}  # ... that reads spend

__all__ = ["ACCESS", "INFO", "MANAGE", "SPEND"]
