"""The ``switchboard`` command line."""

from switchboard.adapters.inbound.cli.app import CliServices, build_cli

__all__ = ["CliServices", "build_cli"]
