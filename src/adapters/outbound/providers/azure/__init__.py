"""Azure OpenAI (deployment URLs and the v1 API, API keys and Entra ID) and Azure AI Foundry's
OpenAI-style model inference, both over OpenAI's wire format."""

from switchboard.adapters.outbound.providers.azure.client import AzureAIProvider, AzureOpenAIProvider

__all__ = ["AzureAIProvider", "AzureOpenAIProvider"]
