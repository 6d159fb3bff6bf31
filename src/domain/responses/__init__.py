"""OpenAI's Responses API (``/v1/responses``): the wire values (``wire``), their translation to
and from the gateway's chat values for providers without a native Responses endpoint
(``translation``), and the stream of Responses events made from chat chunks (``events``)."""
