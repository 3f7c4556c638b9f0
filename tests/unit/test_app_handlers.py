"""The Chainlit handlers without a browser: a real Chainlit context on a mocked websocket session.

The engine, the store (Chroma) and the embeddings are real; only the socket is a mock, whose ``emit``
records what the browser would receive. History persistence is off here (tests/integration covers it).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, Mock

import pytest

POSTING = """Data Platform Engineer (Acme Analytics, Berlin, Germany)

Responsibilities:
Design and build batch and streaming data pipelines with Python and Apache Spark.
Operate Kafka clusters and keep the pipelines reliable with monitoring and alerting.
Work with analysts to model data in the warehouse and document the datasets.

Minimum qualifications:
3 years of experience writing production Python.
Experience with SQL and relational data modelling.

Preferred qualifications:
Experience running workloads on Kubernetes.
"""

EVIL_POSTING = """Security Analyst <script>alert('pwned')</script> (Evil Corp, Remote)

Responsibilities:
Review firewall rules <img src=x onerror=alert(1)> every week and report findings.
Triage security alerts and lead incident response for the on-call rotation.

Minimum qualifications:
2 years of experience in a security operations centre.
"""

GOOD_ANSWER = (
    "At my last company I designed and built batch and streaming data pipelines with Python and Apache "
    "Spark. The situation was a nightly job that missed its deadline; my task was to make it reliable. "
    "I split it into a streaming ingest on Kafka and a Spark batch step, added monitoring and alerting, "
    "and documented the datasets for the analysts. As a result the pipeline met its deadline every day "
    "for six months and processing time dropped by 40%."
)


class Recorder:
    """What the browser would have received over the socket."""

    def __init__(self, emit: AsyncMock, files: dict[str, bytes]) -> None:
        self.emit = emit
        self.files = files

    def events(self, name: str) -> list[dict[str, Any]]:
        return [call.args[1] for call in self.emit.call_args_list if call.args[0] == name]

    def messages(self) -> list[dict[str, Any]]:
        """Assistant messages in the order sent (updates replace the content of the same id)."""
        by_id: dict[str, dict[str, Any]] = {}
        for name in ("new_message", "update_message"):
            for data in self.events(name):
                if data.get("type") == "assistant_message":
                    by_id.setdefault(data["id"], {}).update(data)
        removed = {d["id"] for d in self.events("delete_message")}
        return [m for i, m in by_id.items() if i not in removed]

    def texts(self) -> list[str]:
        return [m["output"] for m in self.messages()]

    def steps(self, kind: str) -> list[dict[str, Any]]:
        by_id: dict[str, dict[str, Any]] = {}
        for name in ("new_message", "update_message"):
            for data in self.events(name):
                if data.get("type") == kind:
                    by_id.setdefault(data["id"], {}).update(data)
        return list(by_id.values())

    def actions_for(self, message_id: str) -> list[dict[str, Any]]:
        removed = {a["id"] for a in self.events("remove_action")}
        return [a for a in self.events("action") if a["forId"] == message_id and a["id"] not in removed]

    def live_actions(self) -> list[dict[str, Any]]:
        removed = {a["id"] for a in self.events("remove_action")}
        return [a for a in self.events("action") if a["id"] not in removed]

    def last(self, contains: str) -> dict[str, Any]:
        found = [m for m in self.messages() if contains in m["output"]]
        assert found, f"no message contains {contains!r}; sent: {[t[:60] for t in self.texts()]}"
        return found[-1]

    def reset(self) -> None:
        self.emit.reset_mock()


@pytest.fixture(scope="module")
def app_module() -> Iterator[Any]:
    import app

    yield app


@pytest.fixture
async def ui(app_module: Any, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """A Chainlit context for user 'alice' on a fresh thread, with the engine on this test's data dir."""
    import chainlit.data as cl_data
    from chainlit.context import ChainlitContext, context_var
    from chainlit.session import WebsocketSession
    from chainlit.user import User

    monkeypatch.setattr(cl_data, "_data_layer", None)
    monkeypatch.setattr(cl_data, "_data_layer_initialized", True)
    app_module.coach.cache_clear()
    app_module.store.cache_clear()

    files: dict[str, bytes] = {}

    async def persist_file(
        name: str, mime: str, path: str | None = None, content: Any = None
    ) -> dict[str, str]:
        key = str(uuid.uuid4())
        if content is None:
            files[name] = Path(str(path)).read_bytes()
        else:
            files[name] = content if isinstance(content, bytes) else str(content).encode()
        return {"id": key}

    def make(user: str = "alice", thread_id: str | None = None) -> Recorder:
        session = Mock(spec=WebsocketSession)
        session.id = str(uuid.uuid4())
        session.thread_id = thread_id or str(uuid.uuid4())
        session.user = User(identifier=user)
        session.chat_settings = {}
        session.user_env = {}
        session.chat_profile = None
        session.client_type = "webapp"
        session.has_first_interaction = True
        session.files = {}
        session.emit = AsyncMock()
        session.persist_file = AsyncMock(side_effect=persist_file)
        context_var.set(ChainlitContext(session))
        recorder = Recorder(session.emit, files)
        recorder.session = session  # type: ignore[attr-defined]
        return recorder

    holder = Mock()
    holder.make = make
    holder.app = app_module
    holder.rec = make()
    yield holder
    await app_module.coach().aclose()
    app_module.coach.cache_clear()
    app_module.store.cache_clear()


def _ingest(text: str, source: str) -> str:
    from knowledge.parse import parse_text
    from knowledge.store import open_store

    return open_store().ingest(parse_text(text, source=source)).posting_id


def _user_message(text: str) -> Any:
    import chainlit as cl

    return cl.Message(content=text, type="user_message")


def _action(name: str, payload: dict[str, Any] | None = None) -> Any:
    import chainlit as cl

    return cl.Action(name=name, payload=payload or {})


async def _pick(ui: Any, posting_id: str) -> None:
    await ui.app.on_pick_posting(_action("pick_posting", {"posting_id": posting_id}))


async def _resume(ui: Any, thread_id: str, stored: Recorder | None = None) -> None:
    """What Chainlit does on resume: the hook, then the page is replaced by the stored thread.

    ``stored``: the recorder whose messages the data layer stored (the thread's steps).
    """
    from chainlit.context import context

    steps = stored.messages() if stored is not None else []
    thread: Any = {"id": thread_id, "name": "x", "steps": steps, "elements": [], "metadata": {}}
    await ui.app.on_chat_resume(thread)
    await context.emitter.resume_thread(thread)


def _for(action: dict[str, Any], message_id: str) -> Any:
    """A click on an action the page received, on the message it belongs to."""
    import chainlit as cl

    return cl.Action(name=action["name"], payload=action["payload"], label=action["label"], forId=message_id)


def render_text(text: str) -> str:
    """Text as the page shows it escaped (the start of a model answer, say)."""
    from ui.render import esc

    return esc(text)


def _question_message(rec: Recorder) -> dict[str, Any]:
    return rec.last("_Why this question:_")


# --- first screen -----------------------------------------------------------------------------------


async def test_chat_start_lists_postings_with_counts_and_settings(ui: Any) -> None:
    _ingest(POSTING, "acme.txt")
    await ui.app.on_chat_start()
    rec: Recorder = ui.rec
    welcome = rec.last("Interview Coach")
    assert "one at a time" in welcome["output"]
    row = next(line for line in welcome["output"].splitlines() if "Data Platform Engineer" in line)
    assert "Acme Analytics" in row and "| 6 |" in row  # 6 requirements parsed
    labels = [a["label"] for a in rec.actions_for(welcome["id"])]
    assert labels[0].startswith("Data Platform Engineer") and labels[-1] == "Add a posting"
    settings: list[dict[str, Any]] = rec.events("chat_settings")[-1]  # type: ignore[assignment]
    assert [w["id"] for w in settings] == ["difficulty", "kinds", "questions", "follow_ups"]  # offline only


async def test_typing_filters_postings_and_a_number_picks(ui: Any) -> None:
    _ingest(POSTING, "acme.txt")
    _ingest(EVIL_POSTING, "evil.txt")
    await ui.app.on_chat_start()
    await ui.app.on_message(_user_message("platform"))
    rec: Recorder = ui.rec
    result = rec.last("Postings matching")
    assert "(1 of 2)" in result["output"] and "Data Platform Engineer" in result["output"]
    assert "Security Analyst" not in result["output"]
    await ui.app.on_message(_user_message("nurse"))
    assert "No posting matches **nurse**" in rec.texts()[-1]
    await ui.app.on_message(_user_message("1"))
    assert "Question 1 of 5" in _question_message(rec)["output"]


# --- adding a posting -------------------------------------------------------------------------------


async def test_pasted_posting_is_shown_parsed_and_escaped(ui: Any) -> None:
    await ui.app.on_chat_start()
    await ui.app.on_add_posting(_action("add_posting"))
    await ui.app.on_message(_user_message(EVIL_POSTING))
    rec: Recorder = ui.rec
    parsed = rec.last("requirements**")
    text = parsed["output"]
    assert "<script>" not in text and "<img" not in text
    assert "Security Analyst &lt;script&gt;alert\\('pwned'\\)&lt;/script&gt;" in text  # shown, as text
    assert "Review firewall rules" in text
    assert "**Responsibilities**" in text and "Q&A pairs** found" in text
    [start] = rec.actions_for(parsed["id"])
    assert start["label"] == "Start practice on this posting"
    progress = rec.steps("tool")
    assert progress and "Embedded and stored" in progress[-1]["output"]
    await ui.app.on_pick_posting(_action("pick_posting", start["payload"]))
    assert "Question 1 of" in _question_message(rec)["output"]


async def test_bad_upload_gets_the_engine_message_and_can_retry(ui: Any, tmp_path: Path) -> None:
    import chainlit as cl

    bad = tmp_path / "upload-id"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    message = _user_message("")
    message.elements = [cl.File(name="resume.pdf", path=str(bad), mime="application/pdf")]
    await ui.app.on_message(message)
    rec: Recorder = ui.rec
    error = rec.last("⚠️")
    assert "resume.pdf" in error["output"] and "try again" in error["output"]
    assert [a["label"] for a in rec.actions_for(error["id"])] == ["Try again"]


async def test_uploaded_text_file_is_ingested_under_its_name(ui: Any, tmp_path: Path) -> None:
    import chainlit as cl

    upload = tmp_path / "0b1c-uuid.txt"
    upload.write_text(POSTING)
    message = _user_message("")
    message.elements = [cl.File(name="acme-posting.txt", path=str(upload), mime="text/plain")]
    await ui.app.on_message(message)
    parsed = ui.rec.last("requirements**")
    assert "acme\\-posting.txt" in parsed["output"] and "Data Platform Engineer" in parsed["output"]


# --- the practice loop ------------------------------------------------------------------------------


async def test_practice_loop_question_critique_actions_summary(ui: Any) -> None:
    posting_id = _ingest(POSTING, "acme.txt")
    rec: Recorder = ui.rec
    rec.session.chat_settings = {"follow_ups": False, "questions": 3}  # type: ignore[attr-defined]
    await _pick(ui, posting_id)
    first = _question_message(rec)
    assert first["output"].startswith("**Question 1 of 3**")
    labels = [a["label"] for a in rec.actions_for(first["id"])]
    assert labels == ["Show model answer", "Next question", "Easier", "Harder", "End session"]
    retrieval = rec.steps("retrieval")
    assert retrieval and "| Score | Kind | Requirement |" in retrieval[-1]["output"]

    due = await ui.app.coach().current(rec.session.thread_id, "alice")  # type: ignore[attr-defined]
    rec.reset()
    await ui.app.on_message(_user_message(due.question.model_answer))  # a strong answer
    card = rec.last("### Score")
    good = int(card["output"].split("### Score ", 1)[1].split("/", 1)[0])
    assert "**Covered**" in card["output"] and "🟢 strong" in card["output"]
    second = _question_message(rec)
    assert "Retry this question" in [a["label"] for a in rec.actions_for(second["id"])]
    assert second["output"].startswith("**Question 2 of 3**")

    # The card offers its own question's model answer (the next question is already on screen).
    [compare] = [a for a in rec.actions_for(card["id"]) if a["label"] == ui.app.CARD_MODEL_ANSWER]
    rec.reset()
    await ui.app.on_card_model_answer(_for(compare, card["id"]))
    [updated] = rec.events("update_message")
    assert updated["id"] == card["id"] and updated["output"].startswith("### Score")
    assert "to the question you answered" in updated["output"]
    assert render_text(due.question.model_answer[:40]) in updated["output"]

    rec.reset()
    await ui.app.on_message(_user_message("fine"))
    weak = rec.last("### Score")["output"]
    weak_score = int(weak.split("### Score ", 1)[1].split("/", 1)[0])
    assert weak_score < good - 40 and "🔴 weak" in weak and "non\\-answer" in weak

    rec.reset()
    await ui.app._act("model_answer")
    shown = rec.last("**Model answer**")
    assert shown["output"].count("> ") >= 1
    assert "_Why this question:_" not in "".join(rec.texts())  # the question is not repeated
    assert "Show model answer" in [a["label"] for a in rec.actions_for(shown["id"])]  # buttons move down

    rec.reset()
    await ui.app._act("end")
    summary = rec.last("## Session summary")
    assert "| Requirement | Best score | Attempts |" in summary["output"]
    ended = await ui.app.coach().current(rec.session.thread_id, "alice")  # type: ignore[attr-defined]
    assert f"Session score **{ended.score}/100**" in summary["output"]
    assert "## Your progress on this posting (1 session)" in summary["output"]
    elements = rec.events("element")
    kinds = {e["type"]: e for e in elements}
    assert set(kinds) == {"plotly", "file"} and all(e["forId"] == summary["id"] for e in elements)
    report = rec.files[kinds["file"]["name"]].decode()
    assert kinds["file"]["name"].endswith(".md") and "Data Platform Engineer" in report
    for part in ("### Question 1", "**Your answer:**", "fine", "**Model answer**", "coverage ",
                 "## Progress against earlier sessions", f"Session score **{ended.score}/100**"):
        assert part in report, part
    chart = json.loads(rec.files["progress"])
    assert [t["name"] for t in chart["data"]] == ["Session score", "Best", "Latest"]
    assert chart["data"][0]["y"] == [ended.score]
    assert not [a for a in rec.live_actions() if a["name"] != "card_model_answer"]  # no stale buttons

    rec.reset()
    await ui.app.on_message(_user_message("one more answer"))
    await ui.app._act("next")
    assert rec.texts() == [ui.app.render.notice(ui.app.SESSION_ENDED)] * 2


async def test_empty_answer_keeps_the_question(ui: Any) -> None:
    await _pick(ui, _ingest(POSTING, "acme.txt"))
    rec: Recorder = ui.rec
    before = _question_message(rec)
    rec.reset()
    await ui.app.on_message(_user_message("   "))
    [notice] = rec.messages()
    assert notice["output"] == "ℹ️ Your answer is empty: type your answer, or /skip."
    assert "Show model answer" in [a["label"] for a in rec.actions_for(notice["id"])]
    due = await ui.app.coach().current(rec.session.thread_id, "alice")  # type: ignore[attr-defined]
    assert due.answered == 0 and due.question.text.split()[0] in before["output"]


async def test_skip_command_and_harder(ui: Any) -> None:
    await _pick(ui, _ingest(POSTING, "acme.txt"))
    rec: Recorder = ui.rec
    rec.reset()
    await ui.app.on_message(_user_message("/skip"))
    assert "### Score" not in "".join(rec.texts())
    rec.reset()
    await ui.app._act("harder")
    assert "· hard" in _question_message(rec)["output"].splitlines()[0]


async def test_second_pick_in_the_same_chat_is_refused(ui: Any) -> None:
    posting_id = _ingest(POSTING, "acme.txt")
    await _pick(ui, posting_id)
    await _pick(ui, posting_id)
    assert "already has a session" in ui.rec.texts()[-1]


# --- resume and isolation ---------------------------------------------------------------------------


async def test_resume_restores_the_due_question_and_progress(ui: Any) -> None:
    posting_id = _ingest(POSTING, "acme.txt")
    rec: Recorder = ui.rec
    thread_id = rec.session.thread_id  # type: ignore[attr-defined]
    rec.session.chat_settings = {"follow_ups": False}  # type: ignore[attr-defined]
    await _pick(ui, posting_id)
    await ui.app.on_message(_user_message(GOOD_ANSWER))
    due = _question_message(rec)["output"]

    ui.app.coach.cache_clear()  # a new process: nothing in memory
    again: Recorder = ui.make("alice", thread_id)
    await _resume(ui, thread_id, stored=rec)
    texts = again.texts()
    assert texts[0].startswith("**Welcome back.** 1 of 5 questions answered; scores so far:")
    assert _question_message(again)["output"] == due
    again.reset()
    await ui.app.on_message(_user_message(GOOD_ANSWER))
    assert "Question 3 of 5" in _question_message(again)["output"]


async def test_other_users_thread_cannot_be_resumed_or_answered(ui: Any) -> None:
    posting_id = _ingest(POSTING, "acme.txt")
    thread_id = ui.rec.session.thread_id
    await _pick(ui, posting_id)

    bob: Recorder = ui.make("bob", thread_id)
    await _resume(ui, thread_id)
    assert bob.texts() == ["ℹ️ This session belongs to another user."]
    assert "Why this question" not in "".join(bob.texts())
    bob.reset()
    await ui.app.on_message(_user_message("my answer to alice's question"))
    assert bob.texts() == ["ℹ️ This session belongs to another user."]
    bob.reset()
    await ui.app._act("end")
    assert bob.texts() == ["ℹ️ This session belongs to another user."]
    alice_view = await ui.app.coach().current(thread_id, "alice")
    assert alice_view.answered == 0 and not alice_view.done


async def test_resume_of_a_thread_without_session_shows_postings(ui: Any) -> None:
    _ingest(POSTING, "acme.txt")
    fresh = ui.make("alice", str(uuid.uuid4()))
    await _resume(ui, fresh.session.thread_id)
    assert "Choose a posting" in fresh.texts()[-1]


# --- who is this ------------------------------------------------------------------------------------


async def test_local_login_without_users_file(ui: Any) -> None:
    from starlette.datastructures import Headers

    user = await ui.app.local_login(Headers({}))
    assert user.identifier == "local"


async def test_password_login_checks_the_users_file(
    ui: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core import users
    from core.settings import get_settings

    path = tmp_path / "users.txt"
    users.add_user(path, "alice", "alice-password")
    monkeypatch.setenv("COACH_USERS_FILE", str(path))
    get_settings.cache_clear()
    user = await ui.app.password_login("alice", "alice-password")
    assert user is not None and user.identifier == "alice"
    assert await ui.app.password_login("alice", "wrong-password") is None
    assert await ui.app.password_login("mallory", "alice-password") is None


# --- LLM mode (scripted chat model) -----------------------------------------------------------------


async def test_llm_mode_streams_the_critique_and_offers_the_model_choice(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

    from chains.session.coach import Coach
    from core.settings import get_settings
    from tests.engine_fixtures import ingest
    from tests.llm_fakes import ScriptedChatModel

    def respond(messages: list[BaseMessage]) -> str | AIMessage:
        prompt = str(messages[-1].content)
        if isinstance(messages[-1], ToolMessage) or "Explain this critique" in prompt:
            return "A fair start. Next time, give a measured result."
        if "Write the answer a strong candidate would give" in prompt:
            return "I run Kubernetes clusters. I upgraded three clusters without downtime."
        return "Tell me how you kept a production Kubernetes cluster healthy?"

    monkeypatch.setenv("COACH_LLM", "openai:gpt-4o-mini")
    get_settings.cache_clear()
    llm_coach = Coach(chat_model=ScriptedChatModel.answering(respond))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ui.app, "coach", lambda: llm_coach)
        await _llm_session(ui, ingest().id)
    await llm_coach.aclose()


async def _llm_session(ui: Any, posting_id: str) -> None:
    rec: Recorder = ui.rec
    rec.session.chat_settings = {"follow_ups": False}  # type: ignore[attr-defined]

    await ui.app.on_chat_start()
    settings: list[dict[str, Any]] = rec.events("chat_settings")[-1]  # type: ignore[assignment]
    llm_widget = next(w for w in settings if w["id"] == "llm")
    assert [item["value"] for item in llm_widget["items"]] == ["openai:gpt-4o-mini", "offline"]

    await _pick(ui, posting_id)
    assert "Tell me how you kept a production Kubernetes cluster healthy?" in _question_message(rec)["output"]
    rec.reset()
    await ui.app.on_message(_user_message("I upgraded our clusters with zero downtime."))
    started = rec.events("stream_start")
    assert started, "no token was streamed"
    streamed_id = started[0]["id"]
    tokens = "".join(e["token"] for e in rec.events("stream_token") if e["id"] == streamed_id)
    assert "measured result" in started[0]["output"] + tokens
    card = next(m for m in rec.messages() if m["id"] == streamed_id)  # the stream became the card
    assert card["output"].startswith("### Score") and "Next time, give a measured result." in card["output"]


async def test_second_session_progress_and_practise_my_weakest_areas(ui: Any) -> None:
    posting_id = _ingest(POSTING, "acme.txt")
    rec: Recorder = ui.make("alice")
    rec.session.chat_settings = {"follow_ups": False, "questions": 2}  # type: ignore[attr-defined]
    await _pick(ui, posting_id)
    first = await ui.app.coach().current(rec.session.thread_id, "alice")  # type: ignore[attr-defined]
    await ui.app.on_message(_user_message(GOOD_ANSWER))
    second = await ui.app.coach().current(rec.session.thread_id, "alice")  # type: ignore[attr-defined]
    weakest = second.question.requirements[0].text
    await ui.app.on_message(_user_message("fine"))
    assert first.question.requirements[0].text != weakest

    rec = ui.make("alice")  # New Chat
    await ui.app.on_chat_start()
    welcome = rec.last("Choose a posting")
    [practise] = [a for a in rec.actions_for(welcome["id"]) if a["name"] == "practise_weakest"]
    assert practise["label"] == "Practise my weakest areas"
    await ui.app.on_practise_weakest(_action("practise_weakest", practise["payload"]))
    assert "on your weakest areas" in rec.steps("run")[-1]["output"]
    due = await ui.app.coach().current(rec.session.thread_id, "alice")  # type: ignore[attr-defined]
    assert due.question.requirements[0].text == weakest  # it starts where it was weakest
    await ui.app.on_message(_user_message(GOOD_ANSWER))
    await ui.app._act("end")
    chart = json.loads(rec.files["progress"])
    assert len(chart["data"][0]["y"]) == 2  # two sessions on the score line
    summary = rec.last("## Session summary")["output"]
    assert "(2 sessions)" in summary and "| Best | Latest | Trend |" in summary

    bob = ui.make("bob")  # someone else has no weakest areas here
    await ui.app.on_chat_start()
    assert not [a for a in bob.live_actions() if a["name"] == "practise_weakest"]


async def test_settings_persist_per_user_until_changed(ui: Any) -> None:
    _ingest(POSTING, "acme.txt")
    await ui.app.on_chat_start()
    rec: Recorder = ui.rec
    chosen = {"difficulty": "hard", "kinds": ["technical"], "questions": 3, "follow_ups": False}
    await ui.app.on_settings_update(chosen)
    assert "stay until you change them" in rec.texts()[-1]

    again = ui.make("alice")  # New Chat (and a restart: the file is in the data dir)
    await ui.app.on_chat_start()
    widgets = {w["id"]: w for w in again.events("chat_settings")[-1]}  # type: ignore[union-attr]
    assert widgets["difficulty"]["initial"] == "hard" and widgets["questions"]["initial"] == 3
    assert widgets["follow_ups"]["initial"] is False
    options = await ui.app._options()
    assert (options.difficulty.value, options.questions, options.follow_ups) == ("hard", 3, False)

    ui.make("bob")
    await ui.app.on_chat_start()
    assert (await ui.app._options()).questions == 5  # bob's are his own


async def test_skip_says_what_happens_to_the_session(ui: Any) -> None:
    await _pick(ui, _ingest(POSTING, "acme.txt"))
    rec: Recorder = ui.rec
    rec.reset()
    await ui.app.on_message(_user_message("/skip"))
    assert any("does not count as one of your 5 questions" in t for t in rec.texts())
    assert _question_message(rec)["output"].startswith("**Question 1 of 5**")


async def test_a_reopened_finished_thread_shows_no_second_summary(ui: Any) -> None:
    posting_id = _ingest(POSTING, "acme.txt")
    rec: Recorder = ui.rec
    thread_id = rec.session.thread_id  # type: ignore[attr-defined]
    rec.session.chat_settings = {"follow_ups": False, "questions": 1}  # type: ignore[attr-defined]
    await _pick(ui, posting_id)
    await ui.app.on_message(_user_message(GOOD_ANSWER))
    score = (await ui.app.coach().current(thread_id, "alice")).score

    again: Recorder = ui.make("alice", thread_id)
    from chainlit.context import context

    card_step = {"id": "s", "metadata": {ui.app.CARD_KEY: 0}}  # the stored card: not sent again
    thread: Any = {"id": thread_id, "name": "x", "steps": [card_step], "elements": [{"id": "e"}],
                   "metadata": {}}
    await ui.app.on_chat_resume(thread)
    await context.emitter.resume_thread(thread)
    texts = again.texts()
    assert texts == [f"**Welcome back.** This session has ended. Session score **{score}/100** (the mean of "
                     "your best score per requirement) over 1 answered question."]
    assert not again.events("element")

    older: Recorder = ui.make("alice", thread_id)  # stored before elements were kept: made again
    await _resume(ui, thread_id)
    assert "Session summary" not in "".join(older.texts())
    assert {e["type"] for e in older.events("element")} == {"plotly", "file"}


async def test_typing_what_the_job_is_finds_the_posting_by_meaning(ui: Any) -> None:
    _ingest(POSTING, "acme.txt")
    _ingest(EVIL_POSTING, "evil.txt")
    await ui.app.on_chat_start()
    rec: Recorder = ui.rec
    await ui.app.on_message(_user_message("I have an interview next week for a job building data pipelines"))
    result = rec.texts()[-1]
    assert "closest in meaning" in result and "Data Platform Engineer" in result
    assert "Security Analyst" not in result
    await ui.app.on_message(_user_message("1"))
    assert "Question 1 of 5" in _question_message(rec)["output"]


def test_the_app_scores_in_a_scoring_process_unless_configured_off(
    app_module: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chains.critic.workers import ScoringProcesses, in_thread
    from core.settings import get_settings

    try:
        app_module.scoring.cache_clear()
        get_settings.cache_clear()
        default = app_module.scoring()
        assert isinstance(default, ScoringProcesses) and default.processes == 1

        monkeypatch.setenv("COACH_SCORING_PROCESSES", "0")
        app_module.scoring.cache_clear()
        get_settings.cache_clear()
        assert app_module.scoring() is in_thread
    finally:
        app_module.scoring.cache_clear()
        get_settings.cache_clear()


async def test_a_card_lost_by_a_crash_after_scoring_is_shown_and_stored_on_resume(ui: Any) -> None:
    # Killed ~120 ms after scoring: the checkpoint has the score, the chat history not the card.
    posting_id = _ingest(POSTING, "acme.txt")
    rec: Recorder = ui.rec
    thread_id = rec.session.thread_id  # type: ignore[attr-defined]
    rec.session.chat_settings = {"follow_ups": False}  # type: ignore[attr-defined]
    await _pick(ui, posting_id)
    await ui.app.on_message(_user_message(GOOD_ANSWER))
    card = rec.last("/100")
    assert card["metadata"][ui.app.CARD_KEY] == 0
    lost = Recorder(rec.emit, rec.files)
    lost.messages = lambda: [m for m in rec.messages() if m["id"] != card["id"]]  # type: ignore[method-assign]

    ui.app.coach.cache_clear()
    again: Recorder = ui.make("alice", thread_id)
    await _resume(ui, thread_id, stored=lost)
    resent = [m for m in again.messages() if (m.get("metadata") or {}).get(ui.app.CARD_KEY) == 0]
    assert [m["output"] for m in resent] == [card["output"]]

    # With the card stored, a resume does not repeat it.
    ui.app.coach.cache_clear()
    third: Recorder = ui.make("alice", thread_id)
    await _resume(ui, thread_id, stored=rec)
    assert not [m for m in third.messages() if (m.get("metadata") or {}).get(ui.app.CARD_KEY) == 0]


async def test_a_full_disk_is_one_clear_line_in_the_chat(ui: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    posting_id = _ingest(POSTING, "acme.txt")
    await _pick(ui, posting_id)

    async def full(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ui.app.coach(), "answer", full)
    await ui.app.on_message(_user_message(GOOD_ANSWER))
    last = ui.rec.texts()[-1]
    assert "the disk that holds the coach's data is full" in last
    assert "send it again" in last


async def test_an_empty_upload_is_one_line_naming_the_file(ui: Any, tmp_path: Path) -> None:
    empty = tmp_path / "0b1c-uuid"
    empty.write_bytes(b"")
    element = Mock(path=str(empty))
    element.name = "posting.txt"
    await ui.app.on_message(Mock(content="", elements=[element]))
    assert ui.rec.texts() == ["⚠️ posting.txt is empty: add the posting text and try again."]


async def test_upload_errors_name_the_file_not_the_server_temp_copy(ui: Any, tmp_path: Path) -> None:
    binary = tmp_path / "a1b2-uuid"
    binary.write_bytes(b"\x00\x01\x02 binary " * 50)
    element = Mock(path=str(binary))
    element.name = "binary.txt"
    await ui.app.on_message(Mock(content="", elements=[element]))
    said = "\n".join(ui.rec.texts())
    assert "binary.txt" in said
    assert "coach-upload" not in said and "/tmp" not in said and "upload-" not in said
# --- spoken answers: the loud failures (no model is loaded for any of them) --------------------------


def _chunk(data: bytes, mime: str = "pcm16") -> Any:
    import chainlit as cl

    return cl.InputAudioChunk(isStart=False, mimeType=mime, elapsedTime=0.0, data=data)


async def test_recording_without_a_session_is_refused_with_one_line(ui: Any) -> None:
    rec: Recorder = ui.rec
    assert await ui.app.on_audio_start() is False
    assert rec.texts() == [ui.app.render.notice(ui.app.NOT_ANSWERING)]


async def test_recording_failures_are_one_line_each_and_the_question_stays(ui: Any) -> None:
    import numpy as np

    from chains.speech import audio

    await _pick(ui, _ingest(POSTING, "acme.txt"))
    rec: Recorder = ui.rec
    due = await ui.app.coach().current(rec.session.thread_id, "alice")  # type: ignore[attr-defined]
    hum = (0.00005 * np.sin(np.arange(24000 * 2) / 3.0) * 32767).astype("<i2").tobytes()
    cases = [
        ([], audio.NO_AUDIO),  # the browser refused the microphone: it sends the end and no chunk
        ([_chunk(b"\0\1" * 100, mime="audio/webm")], ui.app.UNSUPPORTED.format(mime="audio/webm")),
        ([_chunk(b"\0\0" * (24000 * 200)), _chunk(b"\0\0" * (24000 * 101))], audio.TOO_LONG),
        ([_chunk(b"\0\0" * 24000), _chunk(hum)], audio.SILENT),
    ]
    for chunks, line in cases:
        rec.reset()
        assert await ui.app.on_audio_start() is True
        for chunk in chunks:
            await ui.app.on_audio_chunk(chunk)
        await ui.app.on_audio_end()
        assert rec.texts()[-1] == ui.app.render.notice(line), rec.texts()
        assert not [m for m in rec.events("new_message") if m.get("type") == "user_message"]
    still = await ui.app.coach().current(rec.session.thread_id, "alice")  # type: ignore[attr-defined]
    assert still.question.id == due.question.id and still.answered == 0
    assert not ui.app.transcriber().loaded  # nothing above needed the model


async def test_score_button_without_a_recording_says_so(ui: Any) -> None:
    await _pick(ui, _ingest(POSTING, "acme.txt"))
    rec: Recorder = ui.rec
    rec.reset()
    await ui.app.on_score_spoken(_action("score_spoken"))
    assert rec.texts() == [ui.app.render.notice(ui.app.NOTHING_TO_SCORE)]


class _FakeRecogniser:
    """Stands in for the Whisper recogniser: hears ``text`` and records the question it was given."""

    loaded = True

    def __init__(self, text: str) -> None:
        from tests.unit.test_speech_summary import SPOKEN

        self.text, self.delivery = text, SPOKEN
        self.questions: list[str | None] = []

    async def run(self, samples: Any, question: str | None = None) -> Any:
        from chains.speech.transcriber import Transcript

        self.questions.append(question)
        return Transcript(text=self.text, delivery=self.delivery)


async def _speak(ui: Any) -> None:
    import numpy as np

    noise = (0.2 * np.sin(np.arange(24000) / 3.0) * 32767).astype("<i2").tobytes()
    assert await ui.app.on_audio_start() is True
    await ui.app.on_audio_chunk(_chunk(noise))
    await ui.app.on_audio_end()


async def test_a_spoken_answer_is_heard_for_its_question_corrected_then_scored_as_typed(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _pick(ui, _ingest(POSTING, "acme.txt"))
    rec: Recorder = ui.rec
    thread = rec.session.thread_id  # type: ignore[attr-defined]
    due = await ui.app.coach().current(thread, "alice")
    fake = _FakeRecogniser("I built streaming pipe lines in Spark.")  # misheard: "pipe lines"
    monkeypatch.setattr(ui.app, "transcriber", lambda: fake)
    rec.reset()
    await _speak(ui)
    assert fake.questions == [due.question.text]  # the decoder may be hinted with the question answered
    [heard] = [m for m in rec.events("new_message") if m.get("type") == "user_message"]
    assert "pipe lines" in heard["output"]
    assert "type a corrected version" in rec.last("Score this answer")["output"]
    assert (await ui.app.coach().current(thread, "alice")).answered == 0  # nothing scored before asked

    corrected = ("I built streaming pipelines in Spark for a bank: I designed the jobs, cut the nightly "
                 "load from six hours to forty minutes, and wrote the runbook the team still uses.")
    rec.reset()
    await ui.app.on_message(_user_message(corrected))
    card = rec.last("### Score")["output"]
    assert "Delivery (not part of the score)" in card and "um 3, like 1" in card
    await ui.app._act("retry")
    await ui.app.on_message(_user_message(corrected))  # the same words typed
    spoken, typed = (await ui.app.coach().history(thread))[:2]
    assert spoken.answer == typed.answer == corrected and spoken.question.id == typed.question.id
    assert spoken.delivery == fake.delivery and typed.delivery is None
    assert spoken.critique == typed.critique  # how it was said never moves the content score


async def test_a_recording_for_a_skipped_question_is_not_scored(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _pick(ui, _ingest(POSTING, "acme.txt"))
    rec: Recorder = ui.rec
    fake = _FakeRecogniser("I built streaming pipelines in Spark.")
    monkeypatch.setattr(ui.app, "transcriber", lambda: fake)
    await _speak(ui)
    await ui.app._act("skip")
    rec.reset()
    await ui.app.on_score_spoken(_action("score_spoken"))
    assert rec.texts() == [ui.app.render.notice(ui.app.NOTHING_TO_SCORE)]


async def test_recording_again_replaces_the_transcript_to_score(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _pick(ui, _ingest(POSTING, "acme.txt"))
    rec: Recorder = ui.rec
    thread = rec.session.thread_id  # type: ignore[attr-defined]
    fake = _FakeRecogniser("Um, I, uh, built some things.")
    monkeypatch.setattr(ui.app, "transcriber", lambda: fake)
    await _speak(ui)
    fake.text = "I built streaming pipelines in Spark and cut the nightly load from six hours to 40 minutes."
    await _speak(ui)  # the microphone again, before scoring
    await ui.app.on_score_spoken(_action("score_spoken"))
    [item] = await ui.app.coach().history(thread)
    assert item.answer == fake.text and item.delivery == fake.delivery


async def test_the_first_recording_says_the_model_is_loading_then_the_line_goes(
    ui: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _pick(ui, _ingest(POSTING, "acme.txt"))
    rec: Recorder = ui.rec
    fake = _FakeRecogniser("I built streaming pipelines in Spark.")
    fake.loaded = False  # type: ignore[misc]
    monkeypatch.setattr(ui.app, "transcriber", lambda: fake)
    rec.reset()
    await _speak(ui)
    [status] = [m for m in rec.events("new_message") if "speech model" in m["output"]]
    assert status["output"] == ui.app.render.notice(
        "Loading the speech model (first recording only, a few seconds), then transcribing..."
    )
    assert status["id"] in {m["id"] for m in rec.events("delete_message")}  # gone once the transcript is up
    fake.loaded = True  # type: ignore[misc]
    rec.reset()
    await _speak(ui)
    assert [m["output"] for m in rec.events("new_message") if "Transcribing" in m["output"]]
    assert not [m for m in rec.events("new_message") if "speech model" in m["output"]]
