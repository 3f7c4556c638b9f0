"""The interview: question planning, critique, the LangGraph session and the chat-model factory."""
