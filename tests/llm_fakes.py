"""A scripted chat model for tests: queue the replies, then assert what it was sent.

Only the LLM is faked; everything else in the tests is real. ``ScriptedChatModel`` replies with the
queued messages in order (strings, ``AIMessage`` with tool calls, or exceptions to raise), records
every message list it receives, and supports ``bind_tools`` (``GenericFakeChatModel`` does not).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field


class ScriptedChatModel(GenericFakeChatModel):
    """Replies from a script; ``calls`` holds the messages of every request, ``bound_tools`` the tools."""

    calls: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[list[str]] = Field(default_factory=list)  # tool names of every bind_tools call
    queue: list[Any] = Field(default_factory=list)
    responder: Any = None  # called with the messages when the queue is empty

    @classmethod
    def answering(cls, responder: Any) -> ScriptedChatModel:
        """A model that replies ``responder(messages)`` to every request (after any queued replies)."""
        return cls(messages=iter(()), responder=responder)

    @classmethod
    def script(cls, *replies: str | AIMessage | BaseException, **kwargs: Any) -> ScriptedChatModel:
        return cls(messages=iter(()), queue=list(replies), **kwargs)

    def add(self, *replies: str | AIMessage | BaseException) -> None:
        self.queue.extend(replies)

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:  # type: ignore[override]
        self.bound_tools.append([getattr(t, "name", str(t)) for t in tools])
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.calls.append(list(messages))
        if self.queue:
            reply = self.queue.pop(0)
        elif self.responder is not None:
            reply = self.responder(messages)
        else:
            raise AssertionError("ScriptedChatModel: the script has no reply left for this request")
        if isinstance(reply, BaseException):
            raise reply
        message = AIMessage(content=reply) if isinstance(reply, str) else reply
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        # The base class drops tool calls when streaming: emit them as one chunk.
        result = self._generate(messages, stop=stop, run_manager=run_manager, **kwargs)
        message = result.generations[0].message
        assert isinstance(message, AIMessage)
        if message.tool_calls:
            yield ChatGenerationChunk(
                message=AIMessageChunk(
                    content="",
                    tool_call_chunks=[
                        {"name": c["name"], "args": _json(c["args"]), "id": c["id"], "index": i}
                        for i, c in enumerate(message.tool_calls)
                    ],
                )
            )
            return
        text = message.content if isinstance(message.content, str) else ""
        for token in text.split(" "):
            yield ChatGenerationChunk(message=AIMessageChunk(content=token + " "))

    @property
    def requests(self) -> int:
        return len(self.calls)


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


def tool_call(name: str, args: dict[str, Any] | None = None, call_id: str | None = None) -> AIMessage:
    """A reply that calls one tool."""
    call = {"name": name, "args": args or {}, "id": call_id or f"call_{name}"}
    return AIMessage(content="", tool_calls=[call])
