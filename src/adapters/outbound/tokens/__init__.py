"""Token counting with tiktoken's offline encodings."""

from adapters.outbound.tokens.tiktoken_counter import TiktokenCounter

__all__ = ["TiktokenCounter"]
