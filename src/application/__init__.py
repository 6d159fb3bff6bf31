"""Use cases: what a caller can do with the gateway, orchestrating the domain's ports."""
