"""Anthropic's Messages API as the gateway's Anthropic door speaks it: the wire models, the
translation to and from chat, and what a native relay reads of the answer."""
