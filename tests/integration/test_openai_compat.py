"""The real langchain-openai client against a local OpenAI-compatible server (llama.cpp/vLLM style).

Model-level tests here; session-level fallbacks (a failing server mid-session) are further down.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from langchain_core.messages import HumanMessage
from langchain_core.tools import StructuredTool

from chains.llm import LLMUnavailable, converse, get_chat_model
from knowledge.settings import Settings
from tests.integration.fake_openai import FakeOpenAI, Reply, serve


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with serve() as fake:
        yield fake


def _model(fake: FakeOpenAI, timeout: float = 5.0, retries: int = 0):  # type: ignore[no-untyped-def]
    settings = Settings(llm="openai:local-test", llm_base_url=fake.base_url, llm_timeout=timeout,
                        llm_retries=retries)
    return get_chat_model(settings.llm, settings), settings


async def test_plain_reply(server: FakeOpenAI) -> None:
    model, settings = _model(server)
    server.add(Reply(text="A plain reply."))
    text, _ = await converse(model, [HumanMessage("hello")], settings=settings)
    assert text == "A plain reply."
    assert server.requests[0]["model"] == "local-test"
    assert server.requests[0]["messages"][-1]["content"] == "hello"


async def test_streamed_reply_reaches_on_token(server: FakeOpenAI) -> None:
    model, settings = _model(server)
    server.add(Reply(text="Streamed in four tokens."))
    tokens: list[str] = []

    async def on_token(token: str) -> None:
        tokens.append(token)

    text, _ = await converse(model, [HumanMessage("hello")], on_token=on_token, settings=settings)
    assert text == "Streamed in four tokens."
    assert server.requests[0]["stream"] is True
    assert tokens == ["Streamed ", "in ", "four ", "tokens."]


@pytest.mark.parametrize("stream", [False, True])
async def test_tool_call_round_trip(server: FakeOpenAI, stream: bool) -> None:
    model, settings = _model(server)
    asked: list[str] = []

    async def search_requirements(query: str, k: int = 3) -> str:
        asked.append(query)
        return "[kubernetes]"

    tool = StructuredTool.from_function(coroutine=search_requirements, name="search_requirements",
                                        description="Search requirements.")
    server.add(Reply(tool="search_requirements", arguments={"query": "k8s", "k": 2}), Reply(text="Done."))

    async def on_token(token: str) -> None:
        return None

    text, _ = await converse(model, [HumanMessage("hi")], tools=[tool], settings=settings,
                             on_token=on_token if stream else None)
    assert text == "Done."
    assert asked == ["k8s"]
    assert server.requests[0]["tools"][0]["function"]["name"] == "search_requirements"
    tool_message = server.requests[1]["messages"][-1]
    assert tool_message["role"] == "tool" and tool_message["content"] == "[kubernetes]"


async def test_http_500_is_reported(server: FakeOpenAI) -> None:
    model, settings = _model(server)
    server.add(Reply(status=500))
    with pytest.raises(LLMUnavailable) as info:
        await converse(model, [HumanMessage("hi")], settings=settings)
    assert info.value.reason == "HTTP 500"


async def test_retry_recovers_from_one_500(server: FakeOpenAI) -> None:
    model, settings = _model(server, retries=1)
    server.add(Reply(status=500), Reply(text="Second time lucky."))
    text, _ = await converse(model, [HumanMessage("hi")], settings=settings)
    assert text == "Second time lucky." and len(server.requests) == 2


async def test_timeout_is_reported_within_the_configured_time(server: FakeOpenAI) -> None:
    model, settings = _model(server, timeout=0.5)
    server.add(Reply(text="too late", delay=2.0))
    started = time.monotonic()
    with pytest.raises(LLMUnavailable) as info:
        await converse(model, [HumanMessage("hi")], settings=settings)
    assert info.value.reason == "timeout"
    assert time.monotonic() - started < 1.9


async def test_malformed_json_is_reported(server: FakeOpenAI) -> None:
    model, settings = _model(server)
    server.add(Reply(malformed=True))
    with pytest.raises(LLMUnavailable) as info:
        await converse(model, [HumanMessage("hi")], settings=settings)
    assert info.value.reason == "malformed reply"


async def test_connection_refused_is_reported() -> None:
    with serve() as fake:
        base_url = fake.base_url
    settings = Settings(llm="openai:gone", llm_base_url=base_url, llm_timeout=2, llm_retries=0)
    model = get_chat_model(settings.llm, settings)
    with pytest.raises(LLMUnavailable) as info:
        await converse(model, [HumanMessage("hi")], settings=settings)  # type: ignore[arg-type]
    assert info.value.reason == "connection refused"
