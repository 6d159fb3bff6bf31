"""Response caching around the chat and embeddings use cases: ``chat_cache.ChatCache``,
``embedding_cache.EmbeddingCache``, ``semantic.SemanticMatcher``, over ``store.CacheStore``."""
