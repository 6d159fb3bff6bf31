"""Token counting with tiktoken's offline encodings."""

from switchboard.adapters.outbound.tokens.tiktoken_counter import TiktokenCounter

__all__ = ["TiktokenCounter"]
