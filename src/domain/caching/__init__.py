"""Response caching, as pure values and functions: per-request controls, the policy that turns
them into a plan, cache keys, the stored entry format, stream replay and vector similarity."""
