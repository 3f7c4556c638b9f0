"""The real langchain-openai client against a local OpenAI-compatible server (llama.cpp/vLLM style).

Model-level tests first; then whole sessions whose model fails mid-session (HTTP 500, timeout,
malformed JSON, refused connection): each turn falls back to offline wording and the session goes on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from langchain_core.messages import HumanMessage
from langchain_core.tools import StructuredTool

from chains.llm.factory import LLMUnavailable, converse, get_chat_model
from chains.models import QuestionKind
from chains.session.coach import Coach, SessionOptions
from core.settings import Settings
from tests.engine_fixtures import ingest
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


# -- a whole session through the real client -------------------------------------------------------


KINDS = [QuestionKind.BEHAVIOURAL, QuestionKind.TECHNICAL, QuestionKind.SITUATIONAL]
LLM_QUESTION = "How did you keep a production system healthy under load?"


class SessionServer:
    """Replies by request type; ``fail[type]`` makes the next request of that type fail."""

    def __init__(self) -> None:
        self.fail: dict[str, Reply] = {}
        self.kinds: list[str] = []

    @staticmethod
    def kind(body: dict) -> str:  # type: ignore[type-arg]
        messages = body.get("messages", [])
        if messages and messages[-1].get("role") == "tool":
            return "critique"
        prompt = str(messages[-1].get("content", "")) if messages else ""
        if "Explain this critique" in prompt:
            return "critique"
        if "Write the answer a strong candidate would give" in prompt:
            return "model_answer"
        return "question"

    def __call__(self, body: dict) -> Reply:  # type: ignore[type-arg]
        kind = self.kind(body)
        self.kinds.append(kind)
        if kind in self.fail:
            return self.fail.pop(kind)
        if kind == "model_answer":
            return Reply(text="I kept the system healthy with load tests. I cut p99 latency by 40 percent.")
        if kind == "question":
            return Reply(text=LLM_QUESTION)
        if body["messages"][-1].get("role") == "tool":
            return Reply(text="A fair answer. Next time, add a measured result.")
        return Reply(tool="score_answer", arguments={})


async def test_session_through_the_real_client_falls_back_per_turn_and_goes_on() -> None:
    posting = ingest()
    behaviour = SessionServer()
    with serve(behaviour) as fake:
        settings = Settings(
            llm="openai:local-test", llm_base_url=fake.base_url, llm_timeout=1.0, llm_retries=0
        )
        async with Coach(settings=settings) as coach:
            turn = await coach.start(posting.id, SessionOptions(questions=6, kinds=KINDS, follow_ups=False))
            assert turn.question is not None and turn.question.text == LLM_QUESTION and turn.notice is None
            assert turn.question.model_answer_source == "llm"

            # A normal LLM turn, streamed, with a real tool call through the client.
            tokens: list[str] = []

            async def on_token(token: str) -> None:
                tokens.append(token)

            turn = await coach.answer(turn.thread_id, "I ran load tests every week.", on_token=on_token)
            assert turn.notice is None and turn.critique is not None
            assert turn.critique.narrative == "A fair answer. Next time, add a measured result."
            assert "A fair answer." in "".join(tokens)
            assert any(body.get("stream") for body in fake.requests)
            tool_replies = [m for body in fake.requests for m in body["messages"] if m.get("role") == "tool"]
            assert tool_replies and f'"score": {turn.critique.score}' in tool_replies[-1]["content"]

            # Each failure: the critique uses offline wording with a one-line notice; the session goes on.
            for failure, reason in (
                (Reply(status=500), "HTTP 500"),
                (Reply(text="late", delay=2.5), "timeout"),
                (Reply(malformed=True), "malformed reply"),
            ):
                behaviour.fail["critique"] = failure
                turn = await coach.answer(turn.thread_id, "I ran load tests and fixed slow queries.")
                assert turn.notice == f"The LLM did not answer ({reason}); this turn used offline wording."
                assert turn.critique is not None and f"{turn.critique.score}/100" in turn.critique.narrative
                assert turn.question is not None and not turn.done
                assert turn.question.text == LLM_QUESTION  # the next question was still worded by the LLM

            # The question wording fails: the offline draft is asked instead.
            behaviour.fail["question"] = Reply(status=503)
            turn = await coach.answer(turn.thread_id, "I profiled the service and removed a hot lock.")
            assert turn.notice == "The LLM did not answer (HTTP 503); this turn used offline wording."
            assert turn.question is not None and turn.question.text != LLM_QUESTION
            assert turn.question.text.endswith("?")

            turn = await coach.answer(turn.thread_id, "I wrote runbooks and trained the team.")
            assert turn.done and turn.summary is not None and turn.summary.answered == 6


async def test_server_down_from_the_start_still_gives_a_session() -> None:
    posting = ingest()
    with serve() as fake:
        base_url = fake.base_url  # closed right away: connection refused from here on
    settings = Settings(llm="openai:local-test", llm_base_url=base_url, llm_timeout=1.0, llm_retries=0)
    async with Coach(settings=settings) as coach:
        turn = await coach.start(posting.id, SessionOptions(questions=2, kinds=KINDS, follow_ups=False))
        # The model answer falls back to the library's own example answer (or an outline: "offline").
        assert turn.question is not None and turn.question.model_answer_source in ("library", "offline")
        assert turn.question.guide
        assert turn.notice == "The LLM did not answer (connection refused); this turn used offline wording."
        turn = await coach.answer(turn.thread_id, "I kept it healthy.")
        assert turn.critique is not None and turn.notice and "connection refused" in turn.notice
