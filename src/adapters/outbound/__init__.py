"""Outbound adapters implement the domain's ports with real technology."""
