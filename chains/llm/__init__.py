"""The one chat-model factory, the agent's tools and LLM wording with offline fallbacks."""
