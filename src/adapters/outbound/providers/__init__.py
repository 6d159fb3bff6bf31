"""Provider adapters: one package per native API family, plus the OpenAI-compatible catalog.

Each package splits pure mapping (request, response, stream, errors) from a thin I/O shell
(client) that talks through ``adapters.outbound.transport``.
"""
