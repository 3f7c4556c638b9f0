"""The browser side of app.py: card and summary rendering, the chat-history data layer, Chainlit shims."""
