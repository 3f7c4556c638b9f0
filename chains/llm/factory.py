"""The one chat-model factory, and the guarded way every part of the engine talks to a model.

``get_chat_model("offline")`` is ``None``: the engine then words everything from templates. Any other
spec is ``provider:model`` and goes through LangChain's ``init_chat_model`` with the configured
timeout and retries. A model that fails mid-session never ends the session: ``converse`` raises
``LLMUnavailable`` with a one-line reason, and the caller falls back to offline wording.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolMessage
from langchain_core.tools import BaseTool

from core.errors import SetupError
from core.settings import Settings, get_settings

TokenCallback = Callable[[str], Awaitable[None]]

# The provider packages init_chat_model imports, for a SetupError that names what to install.
_PROVIDER_PACKAGES = {
    "openai": "langchain-openai",
    "anthropic": "langchain-anthropic",
    "ollama": "langchain-ollama",
}

_models: dict[tuple[Any, ...], BaseChatModel] = {}


class LLMUnavailable(Exception):  # noqa: N818 - reads as a state, like TimeoutError
    """The model did not give a usable reply this turn; ``reason`` is a few words for the notice."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def fallback_notice(reason: str) -> str:
    """The one line shown to the user when a turn falls back to offline wording."""
    return f"The LLM did not answer ({reason}); this turn used offline wording."


def get_chat_model(spec: str | None = None, settings: Settings | None = None) -> BaseChatModel | None:
    """The chat model for ``spec`` ('offline' or 'provider:model'), or ``None`` for offline.

    Built once per process for the same spec and settings. Raises ``SetupError`` (one line saying
    what to do) when the provider's package is missing or the spec is malformed.
    """
    settings = settings or get_settings()
    spec = (spec or settings.llm).strip()
    if spec == "offline":
        return None
    provider, sep, model_name = spec.partition(":")
    if not sep or not provider or not model_name:
        raise SetupError(f"LLM '{spec}' is not 'offline' or 'provider:model', e.g. 'openai:gpt-4o-mini'")
    key = (provider, model_name, settings.llm_base_url, settings.llm_api_key, settings.llm_timeout,
           settings.llm_retries)
    if key not in _models:
        _models[key] = _build(provider, model_name, settings)
    return _models[key]


def _build(provider: str, model_name: str, settings: Settings) -> BaseChatModel:
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {"max_retries": settings.llm_retries}
    if provider == "ollama":
        # ChatOllama has no timeout field; its httpx client takes one.
        kwargs = {"client_kwargs": {"timeout": settings.llm_timeout}}
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
    else:
        kwargs["timeout"] = settings.llm_timeout
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
        if settings.llm_api_key:
            kwargs["api_key"] = settings.llm_api_key
        elif settings.llm_base_url and provider == "openai":
            # Local OpenAI-compatible servers (llama.cpp, vLLM, LM Studio) accept any key.
            kwargs["api_key"] = "not-needed"
    try:
        return init_chat_model(model_name, model_provider=provider, **kwargs)
    except ImportError as exc:
        package = _PROVIDER_PACKAGES.get(provider, f"langchain-{provider}")
        raise SetupError(
            f"COACH_LLM={provider}:{model_name} needs the '{package}' package: pip install {package}"
        ) from exc
    except ValueError as exc:
        if "Unsupported" in str(exc):
            raise SetupError(
                f"COACH_LLM provider '{provider}' is not supported; use openai, anthropic or ollama"
            ) from exc
        raise SetupError(f"COACH_LLM={provider}:{model_name} could not start: {_first_line(exc)}") from exc
    except Exception as exc:  # e.g. a missing API key: pydantic or the SDK raise at construction
        hint = " (set COACH_LLM_API_KEY)" if "api_key" in str(exc).lower() else ""
        raise SetupError(
            f"COACH_LLM={provider}:{model_name} could not start{hint}: {_first_line(exc)}"
        ) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def failure_reason(exc: BaseException) -> str:
    """A few words naming why a model call failed: 'timeout', 'HTTP 500', 'connection refused'..."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if isinstance(exc, LLMUnavailable):
        return exc.reason
    if isinstance(exc, asyncio.TimeoutError | TimeoutError) or "Timeout" in name:
        return "timeout"
    if isinstance(status, int):
        return f"HTTP {status}"
    if "Connect" in name or isinstance(exc, ConnectionError):
        return "connection refused"
    if isinstance(exc, json.JSONDecodeError | ValueError | KeyError | TypeError) or "Parse" in name:
        return "malformed reply"
    return name


def message_text(message: BaseMessage) -> str:
    """The plain text of a model message (content may be a list of blocks)."""
    content = message.content
    if isinstance(content, str):
        return content
    parts = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)


async def converse(
    model: BaseChatModel,
    messages: Sequence[BaseMessage],
    *,
    tools: Sequence[BaseTool] = (),
    on_token: TokenCallback | None = None,
    settings: Settings | None = None,
    max_rounds: int = 4,
) -> tuple[str, list[BaseMessage]]:
    """Run the model, executing the tool calls it makes, until it replies with text.

    Returns the final text and the whole exchange (for tests and traces). Tokens of text replies
    are streamed to ``on_token`` when given. Any failure (HTTP error, timeout, refused connection,
    malformed reply, an empty answer) raises ``LLMUnavailable`` with a short reason.
    """
    settings = settings or get_settings()
    # The client's own timeout covers one request; this bounds the whole exchange, retries included.
    budget = settings.llm_timeout * (settings.llm_retries + 1) * max_rounds + 5
    try:
        return await asyncio.wait_for(
            _converse(model, list(messages), tools, on_token, max_rounds), timeout=budget
        )
    except LLMUnavailable:
        raise
    except Exception as exc:
        raise LLMUnavailable(failure_reason(exc)) from exc


async def _converse(
    model: BaseChatModel,
    messages: list[BaseMessage],
    tools: Sequence[BaseTool],
    on_token: TokenCallback | None,
    max_rounds: int,
) -> tuple[str, list[BaseMessage]]:
    bound: Any = model.bind_tools(list(tools)) if tools else model
    by_name = {tool.name: tool for tool in tools}
    for _ in range(max_rounds):
        reply = await _one_reply(bound, messages, on_token)
        messages.append(reply)
        if not reply.tool_calls:
            text = message_text(reply).strip()
            if not text:
                raise LLMUnavailable("empty reply")
            return text, messages
        for call in reply.tool_calls:
            tool = by_name.get(call["name"])
            if tool is None:
                result = f"Unknown tool '{call['name']}'. Available: {', '.join(by_name) or 'none'}."
            else:
                try:
                    result = str(await tool.ainvoke(call.get("args") or {}))
                except Exception as exc:  # a bad argument from the model is reported back to it
                    result = f"Tool error: {_first_line(exc)}"
            messages.append(ToolMessage(content=result, tool_call_id=call.get("id") or call["name"]))
    raise LLMUnavailable("too many tool calls")


async def _one_reply(model: Any, messages: list[BaseMessage], on_token: TokenCallback | None) -> AIMessage:
    if on_token is None:
        reply = await model.ainvoke(messages)
    else:
        merged: AIMessageChunk | None = None
        async for chunk in model.astream(messages):
            if not isinstance(chunk, AIMessageChunk):
                continue
            text = message_text(chunk)
            if text:
                await on_token(text)
            merged = chunk if merged is None else merged + chunk
        if merged is None:
            raise LLMUnavailable("empty reply")
        reply = AIMessage(
            content=merged.content, tool_calls=merged.tool_calls, additional_kwargs=merged.additional_kwargs
        )
    if not isinstance(reply, AIMessage):
        raise LLMUnavailable("malformed reply")
    broken_calls = getattr(reply, "invalid_tool_calls", None)
    if broken_calls and not reply.tool_calls and not message_text(reply).strip():
        raise LLMUnavailable("malformed reply")
    return reply


def fence(label: str, text: str) -> str:
    """Wrap untrusted text (posting, answer) in a data block the prompts tell the model not to obey.

    Any closing marker inside the text is defused, so the text cannot end its own fence early.
    """
    safe = text.replace("<data", "‹data").replace("</data", "‹/data")
    return f'<data name="{label}">\n{safe}\n</data>'
