"""The ``switchboard`` command line."""

from adapters.inbound.cli.app import CliServices, build_cli

__all__ = ["CliServices", "build_cli"]
