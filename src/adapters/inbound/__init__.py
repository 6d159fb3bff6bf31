"""Inbound adapters turn HTTP requests, SDK calls and CLI commands into use-case calls."""
