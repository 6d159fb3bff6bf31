"""The security suite: the in-process gateway fixtures of the governance acceptance tests."""

from tests.acceptance.governance.conftest import gateway, make_gateway, sqlite_template

__all__ = ["gateway", "make_gateway", "sqlite_template"]
