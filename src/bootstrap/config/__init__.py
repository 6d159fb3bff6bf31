"""The configuration file: LiteLLM's proxy YAML format, validated with precise messages."""

from switchboard.bootstrap.config.loader import ConfigError, LoadedConfig, Problem, check_config, load_config
from switchboard.bootstrap.config.schema import Config

__all__ = ["Config", "ConfigError", "LoadedConfig", "Problem", "check_config", "load_config"]
