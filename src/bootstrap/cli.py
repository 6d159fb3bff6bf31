"""``switchboard`` console script: the CLI wired to the real services."""

from __future__ import annotations

import os
import sys
from contextlib import AbstractAsyncContextManager

from switchboard import __version__
from switchboard.adapters.inbound.cli import CliServices, build_cli
from switchboard.adapters.inbound.cli.app import ChatClient, ConfigProblem
from switchboard.adapters.inbound.cli.management import ManagementServices, build_management
from switchboard.application.governance.services import Governance
from switchboard.bootstrap.config.extras import DB, SERVER, require
from switchboard.bootstrap.config.problems import ConfigError
from switchboard.bootstrap.settings import CONFIG_ENV


def serve(config: str | None, host: str, port: int, workers: int, log_level: str) -> None:
    require(SERVER, "`switchboard serve`")
    import uvicorn  # lazy: the server stack loads only for `serve`

    from switchboard.adapters.inbound.http.guarded_protocol import PATH as GUARDED_PROTOCOL  # lazy: uvicorn, for serve
    from switchboard.bootstrap.logging import configure_logging  # lazy: structlog, for serve
    from switchboard.bootstrap.providers import known_providers  # lazy: the provider table
    from switchboard.bootstrap.settings import load_settings  # lazy: pydantic and the config schema

    settings = load_settings(config, known_providers())  # fail fast, before the server starts
    if config:  # the workers read it (create_app_from_env); set only once the file is known good
        os.environ[CONFIG_ENV] = os.path.abspath(config)
    configure_logging(json=settings.json_logs, level=log_level)
    uvicorn.run(
        "switchboard.bootstrap.http:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http=GUARDED_PROTOCOL,  # httptools with header/body timeouts and a per-client connection cap
        access_log=False,
        log_config=None,
        proxy_headers=False,  # nothing reads the client address; saves a middleware per request
        server_header=False,
        log_level=log_level,
        lifespan="on",
        timeout_graceful_shutdown=30,
    )


def open_client(config: str | None) -> ChatClient:
    from switchboard.bootstrap.facade import Client  # lazy: the facade, for chat and models

    return Client(config)


def check_config(path: str) -> list[ConfigProblem]:
    from switchboard.bootstrap.compat import check_with_prices  # lazy: pydantic and the config schema
    from switchboard.bootstrap.providers import known_providers  # lazy: the provider table

    return list(check_with_prices(path, known_providers=known_providers()))


def open_governance(config: str | None) -> AbstractAsyncContextManager[Governance]:
    require(DB, "Managing keys, teams, users and budgets")
    from switchboard.bootstrap.management import operator_governance  # lazy: the wiring, for management commands only
    from switchboard.bootstrap.providers import known_providers  # lazy: the provider table
    from switchboard.bootstrap.settings import load_settings  # lazy: pydantic and the config schema

    return operator_governance(load_settings(config, known_providers()))


def upgrade_database(config: str | None) -> None:
    require(DB, "`switchboard db upgrade`")
    from switchboard.adapters.outbound.persistence.migrate import upgrade_sync  # lazy: Alembic, for this command only
    from switchboard.bootstrap.config.governance import database_url  # lazy: pydantic
    from switchboard.bootstrap.providers import known_providers  # lazy: the provider table
    from switchboard.bootstrap.settings import load_settings  # lazy: pydantic and the config schema

    settings = load_settings(config, known_providers())
    upgrade_sync(database_url(settings.config.general_settings))


def supported_params(model: str, provider: str | None) -> frozenset[str]:
    from switchboard.bootstrap.params import supported_params as lookup  # lazy: the provider declarations

    return lookup(model, provider)


def main() -> None:
    cli = build_cli(
        CliServices(
            serve=serve,
            open_client=open_client,
            check_config=check_config,
            version=__version__,
            supported_params=supported_params,
        )
    )
    build_management(ManagementServices(open=open_governance, upgrade=upgrade_database), cli)
    try:
        cli(prog_name="switchboard")
    except ConfigError as exc:
        # Every command loads the configuration first: its problems are the answer, not a traceback.
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
