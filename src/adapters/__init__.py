"""Adapters: the edges where the outside world meets the use cases."""
