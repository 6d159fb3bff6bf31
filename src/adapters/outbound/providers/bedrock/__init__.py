"""AWS Bedrock: chat through the Converse API (JSON and the binary event stream), embeddings
through InvokeModel (Titan, Cohere), authenticated with SigV4 or a Bedrock API key."""

from switchboard.adapters.outbound.providers.bedrock.client import BedrockProvider

__all__ = ["BedrockProvider"]
