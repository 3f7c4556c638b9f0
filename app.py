"""The browser app (Chainlit): turns chat events into calls on ``chains``/``knowledge`` and renders results.

No parsing, scoring or prompt text lives here: postings are read by ``knowledge.parse`` and stored by
``knowledge.store``; a practice session is driven through ``chains.session.coach.Coach``; everything shown is
laid out (and escaped) by ``ui.render``. Run with ``chainlit run app.py``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import math
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any

import chainlit as cl
from chainlit.data import get_data_layer
from chainlit.input_widget import MultiSelect, Select, Slider, Switch
from chainlit.server import app as chainlit_server
from chainlit.types import ThreadDict
from chainlit.utils import utc_now
from fastapi import HTTPException, Request, Response
from starlette.datastructures import Headers

from chains.critic.rubric import load_rubric
from chains.critic.workers import ScoreRunner, ScoringProcesses, in_thread
from chains.models import Delivery, Difficulty, QuestionKind
from chains.questions.fields import field_index
from chains.questions.library import check_library
from chains.session.coach import Coach, SessionOptions, Turn
from chains.speech import audio
from chains.speech.transcriber import Transcriber
from core import datadir, tokens, users
from core.errors import CoachError, PostingError, SetupError
from core.settings import check_settings, get_settings
from core.throttle import LoginThrottle
from knowledge import embeddings
from knowledge.parse import parse_file, parse_text
from knowledge.store import PostingStore, PostingSummary, open_store
from ui import compat, guard, preferences, render, storage
from ui.history import ACTING_USER, HistoryDataLayer, make_data_layer

BUTTONS_SHOWN = 8  # more postings than this: the rest are reached by typing to filter
WEAKEST_SHOWN = 3  # "Practise my weakest areas" buttons on the first screen (postings practised last)
PASTE_MIN_CHARS = 200  # typed text this long (over several lines) on the first screen is a posting
SESSION_ACTIONS = {
    "model_answer": ("Show model answer", "book-open"),
    "retry": ("Retry this question", "rotate-ccw"),
    "next": ("Next question", "skip-forward"),
    "easier": ("Easier", "arrow-down"),
    "harder": ("Harder", "arrow-up"),
    "end": ("End session", "flag"),
}
SESSION_ENDED = "This session has ended: start a New Chat (top left) to practise again."
CARD_MODEL_ANSWER = "Compare with the model answer"  # on a critique card: its own question's model answer
logger = logging.getLogger(__name__)
_background: set[asyncio.Task[None]] = set()  # fire-and-forget writes, kept until done
COMMANDS = {"/skip": "skip", "/next": "next", "/end": "end", "/model": "model_answer", "/retry": "retry"}
MAX_MESSAGE_BYTES = 1024 * 1024  # a chat message (answer or pasted posting) larger than this is refused
CARD_KEY = "critique_of"  # message metadata: which exchange of the session a critique card shows
_throttle = LoginThrottle()


def _local_hosts() -> frozenset[str] | None:
    """The host names local mode answers to (None: not checked), after refusing an open bind.

    Without a users file everyone who reaches the app is the local user, with every chat: bound to
    a non-loopback address that is everyone on the network, so it needs COACH_ALLOW_OPEN_LOCAL_MODE.
    """
    if users.users_file() is not None:
        return None
    bound = guard.host_name(compat.bound_host())
    try:
        loopback = bound == "localhost" or ipaddress.ip_address(bound).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return guard.LOOPBACK_NAMES | {bound}
    if not get_settings().allow_open_local_mode:
        raise SetupError(
            f"--host {bound} without a users file makes everyone who can reach it the local user, with "
            "every chat: add users (coach users add NAME; COACH_USERS_FILE), bind to 127.0.0.1, or set "
            "COACH_ALLOW_OPEN_LOCAL_MODE=1 if that is really meant"
        )
    print(
        f"WARNING: Interview Coach is open to anyone who can reach {bound} (no users file, "
        "COACH_ALLOW_OPEN_LOCAL_MODE=1): each of them is the local user and sees every chat",
        file=sys.stderr,
    )
    return None


def _startup_checks() -> None:
    """Fail at start, in one line, when something the app needs is missing."""
    try:
        check_settings()
        compat.check_version()
        datadir.prepare()
        load_rubric()
        check_library()
        embeddings.model_path()
        users.ensure_auth_secret()
        path = users.users_file()
        if path is not None and not users.load_users(path):
            raise SetupError(f"The users file {path} has no users: add one with 'coach users add NAME'")
        allowed_hosts = _local_hosts()
    except SetupError as exc:
        print(f"Interview Coach cannot start: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc
    compat.add_middleware(
        guard.Guard, allowed_hosts=allowed_hosts, max_upload_bytes=get_settings().max_file_bytes
    )
    compat.check_every_token(_token_refusal)
    compat.no_sleep_per_message()
    compat.refuse_socket_event("edit_message", "editing sent answers is off (features.edit_message)")
    compat.cap_client_messages(MAX_MESSAGE_BYTES, _too_long)
    compat.refuse_empty_uploads(
        lambda name: f"{Path(name).name or 'The file'} is empty: add the posting text and try again"
    )


def _token_refusal(token: str, identifier: str) -> str | None:
    """Why a signed login token may not be used (logged out, user removed), or None.

    Checked on every request and socket connection; also records who is acting, for the data layer.
    """
    if tokens.is_revoked(token):
        return "You have logged out: log in again"
    if not users.user_exists(identifier):
        return "This account no longer exists: ask whoever runs the coach"
    ACTING_USER.set(identifier)
    return None


def _too_long(size: int) -> str:
    return render.notice(
        f"That message is {size / (1024 * 1024):.1f} MB, over the {MAX_MESSAGE_BYTES // (1024 * 1024)} MB "
        "a message may be; it was not sent. Shorten it, or attach a posting as a file."
    )


_startup_checks()
compat.serve_page_offline()  # no Google Fonts or KaTeX requests: the page works offline, console clean
storage.install_route(chainlit_server, storage.LocalStorageClient(get_settings().data_dir / "files"))


@lru_cache(maxsize=1)
def scoring() -> ScoreRunner:
    """Where answers are scored: scoring processes (COACH_SCORING_PROCESSES, default 1) or a thread."""
    processes = get_settings().scoring_processes
    return ScoringProcesses(processes) if processes else in_thread


@lru_cache(maxsize=1)
def coach() -> Coach:
    """The process-wide session engine (sessions are keyed by thread id, so one serves everyone)."""
    return Coach(get_settings(), score=scoring())


@lru_cache(maxsize=1)
def transcriber() -> Transcriber:
    """The process-wide speech recogniser (its model loads on the first recording, not at start)."""
    settings = get_settings()
    return Transcriber(settings.data_dir, threads=settings.speech_threads, prompting=settings.speech_prompt)


@lru_cache(maxsize=1)
def store() -> PostingStore:
    """The process-wide posting store."""
    return open_store(get_settings())


@cl.data_layer
def data_layer() -> Any:
    """Chat history (threads in the sidebar) on SQLite under the data dir, or COACH_DATABASE_URL."""
    return make_data_layer(get_settings())


@cl.on_app_startup
def warm_up() -> None:
    """Load the embeddings model (and start the scoring processes) in the background."""
    embeddings.warm_up()
    runner = scoring()
    if isinstance(runner, ScoringProcesses):
        runner.start()
    else:  # scored in this process: its first answer should not wait for the library's field profiles
        threading.Thread(target=field_index, name="field-index-warm-up", daemon=True).start()


@cl.on_app_shutdown
def shut_down() -> None:
    """Stop the scoring processes."""
    runner = scoring()
    if isinstance(runner, ScoringProcesses):
        runner.close()
    if transcriber.cache_info().currsize:
        transcriber().close()


# --- who is this ------------------------------------------------------------------------------------


async def password_login(username: str, password: str) -> cl.User | None:
    """Password login against the users file (active when COACH_USERS_FILE is set).

    Throttled per name and per address after repeated failures (``core.throttle``).
    """
    address = guard.client_address()
    wait = _throttle.wait(username, address)
    if wait > 0:
        raise HTTPException(
            status_code=429, detail=f"Too many failed logins: try again in {math.ceil(wait)} s"
        )
    ok = await asyncio.to_thread(users.authenticate, username, password)
    if not ok:
        _throttle.failed(username, address)
        return None
    _throttle.succeeded(username)
    # A nonce per login: Chainlit's token is the user plus a whole-second expiry, so a login in the same
    # second as a logout would get the very token just revoked.
    login = secrets.token_hex(8)
    return cl.User(identifier=username.strip(), metadata={"provider": "password", "login": login})


@cl.on_logout
def on_logout(request: Request, response: Response) -> dict[str, bool]:
    """Logout ends the token itself, not only the cookie: a copy of it no longer opens anything."""
    import jwt as pyjwt
    from chainlit.auth import get_token_from_cookies

    token = get_token_from_cookies(dict(request.cookies))
    if token:
        try:
            claims = pyjwt.decode(token, options={"verify_signature": False})
            expires = float(claims.get("exp") or 0) or time.time() + 15 * 86400
        except pyjwt.PyJWTError:
            expires = time.time() + 15 * 86400
        tokens.revoke(token, expires)
    return {"success": True}


async def local_login(headers: Headers) -> cl.User | None:
    """No users file: everyone who can reach the app is the one local user (bind to localhost)."""
    return cl.User(identifier=users.LOCAL_USER, metadata={"provider": "local"})


if users.users_file() is not None:
    compat.password_auth(password_login)
else:
    cl.header_auth_callback(local_login)


def _storage_safe(handler: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """A full disk or read-only data dir gets one clear line in the chat, not a raw SQLite error.

    Nothing is half-written (SQLite and the checkpointer roll back), so the user can send the same
    answer again once there is room.
    """

    @wraps(handler)
    async def safe(*args: Any, **kwargs: Any) -> None:
        try:
            await handler(*args, **kwargs)
        except Exception as exc:
            problem = datadir.storage_problem(exc)
            if problem is None:
                raise
            logger.error("Storage failure in %s: %s", handler.__name__, exc)
            await cl.Message(
                content=render.notice(
                    f"This could not be saved: {problem}. Nothing was lost; once whoever runs the coach "
                    "has freed space (or fixed the folder), send it again."
                )
            ).send()

    return safe


def _user_id() -> str | None:
    user = cl.user_session.get("user")
    return user.identifier if user is not None else None


def _thread_id() -> str:
    return str(cl.context.session.thread_id)


# --- settings ---------------------------------------------------------------------------------------


def _llm_choices() -> list[str]:
    configured = get_settings().llm
    return ["offline"] if configured == "offline" else [configured, "offline"]


async def _send_settings(values: dict[str, Any] | None = None) -> None:
    """The settings panel, showing the user's saved settings (their own until they change them)."""
    values = values if values is not None else await asyncio.to_thread(
        preferences.load, get_settings().data_dir, _user_id()
    )
    widgets: list[Any] = [
        Select(
            id="difficulty",
            label="Difficulty",
            values=[d.value for d in Difficulty],
            initial_value=values.get("difficulty", Difficulty.MEDIUM.value),
        ),
        MultiSelect(
            id="kinds",
            label="Question kinds",
            values=[k.value for k in QuestionKind],
            initial=values.get("kinds", [k.value for k in QuestionKind]),
        ),
        Slider(
            id="questions",
            label="Number of questions",
            min=1,
            max=15,
            step=1,
            initial=values.get("questions", 5),
        ),
        Switch(id="follow_ups", label="Follow-up questions", initial=values.get("follow_ups", True)),
    ]
    choices = _llm_choices()
    if len(choices) > 1:
        widgets.append(
            Select(
                id="llm", label="Language model", values=choices, initial_value=values.get("llm", choices[0])
            )
        )
    await cl.ChatSettings(widgets).send()


def _uses_llm() -> bool:
    """Whether this chat's session words things with an LLM (offline prose restates the card)."""
    chosen = (cl.user_session.get("chat_settings") or {}).get("llm") or get_settings().llm
    return chosen != "offline"


async def _options() -> SessionOptions:
    """The session options from the chat's settings, else the user's saved ones (defaults where invalid)."""
    values = cl.user_session.get("chat_settings") or await asyncio.to_thread(
        preferences.load, get_settings().data_dir, _user_id()
    )
    kinds = [QuestionKind(k) for k in values.get("kinds") or [] if k in QuestionKind._value2member_map_]
    llm = values.get("llm")
    return SessionOptions(
        difficulty=Difficulty(values.get("difficulty") or Difficulty.MEDIUM.value),
        kinds=kinds or list(QuestionKind),
        questions=int(values.get("questions") or 5),
        follow_ups=bool(values.get("follow_ups", True)),
        llm=llm if llm in _llm_choices() else None,
    )


@cl.on_settings_update
async def on_settings_update(values: dict[str, Any]) -> None:
    """Keep the user's settings until they change them (New Chat, reloads and restarts keep them too)."""
    await asyncio.to_thread(preferences.save, get_settings().data_dir, _user_id(), values)
    if cl.user_session.get("active"):
        text = (
            "Settings saved: they apply from your next session and stay until you change them "
            "(use Easier / Harder to change this one)."
        )
    else:
        text = "Settings saved: they apply to the sessions you start and stay until you change them."
    await cl.Message(content=render.notice(text)).send()


# --- first screen -----------------------------------------------------------------------------------


async def _postings() -> list[PostingSummary]:
    return await asyncio.to_thread(store().list_postings, _user_id())


def _posting_actions(postings: list[PostingSummary]) -> list[cl.Action]:
    actions = [
        cl.Action(
            name="pick_posting",
            payload={"posting_id": p.id},
            label=render.posting_label(p),
            tooltip=f"{p.requirements} requirements",
            icon="briefcase",
        )
        for p in postings[:BUTTONS_SHOWN]
    ]
    actions.append(cl.Action(name="add_posting", payload={}, label="Add a posting", icon="file-plus"))
    return actions


async def _weakest_actions(postings: list[PostingSummary]) -> list[cl.Action]:
    """'Practise my weakest areas' on the postings this user practised last (with something to practise)."""
    by_id = {p.id: p for p in postings}
    practised = await asyncio.to_thread(coach().practised_postings, _user_id())
    actions: list[cl.Action] = []
    for posting_id in practised:
        if posting_id not in by_id or len(actions) >= WEAKEST_SHOWN:
            continue
        label = "Practise my weakest areas" + ("" if len(practised) == 1 else f": {by_id[posting_id].title}")
        actions.append(
            cl.Action(
                name="practise_weakest", payload={"posting_id": posting_id}, label=render_label(label),
                tooltip="Start with the requirements you scored lowest on last time", icon="target",
            )
        )
    return actions


def render_label(label: str) -> str:
    """A button label short enough for one line."""
    return label if len(label) <= 60 else label[:57] + "..."


async def _show_postings() -> None:
    postings = await _postings()
    cl.user_session.set("listed", [p.id for p in postings])
    shown = BUTTONS_SHOWN if len(postings) > BUTTONS_SHOWN else None
    weakest = await _weakest_actions(postings)
    await _offer(render.welcome(postings, shown=shown), weakest + _posting_actions(postings))


@cl.on_chat_start
async def on_chat_start() -> None:
    """A new chat: the welcome and the postings to choose from."""
    await _send_settings()
    await _show_postings()


@cl.action_callback("add_posting")
async def on_add_posting(action: cl.Action) -> None:
    """Explain the two ways to add a posting and wait for one."""
    cl.user_session.set("adding", True)
    await cl.Message(
        content=(
            "**Add a posting**: attach the file with the clip button (.txt, .md, .html, .pdf or .docx, up to "
            f"{get_settings().max_file_bytes // (1024 * 1024)} MB), or paste the whole posting text as your "
            "next message."
        )
    ).send()


async def _ingest(read: Any, source: str) -> None:
    """Parse and store a posting with visible progress, then show it as parsed."""
    async with cl.Step(name=f"Adding {source}", type="tool", default_open=True, show_input=False) as step:
        step.output = "Reading and parsing..."
        await step.update()
        try:
            posting = await asyncio.to_thread(read)
            step.output = (
                f"Parsed: {len(posting.requirements)} requirements, {len(posting.qa_pairs)} Q&A pairs."
            )
            await step.update()
            # What a user adds is theirs alone: its title and company may name their employer.
            result = await asyncio.to_thread(store().ingest, posting, _user_id())
        except CoachError as exc:
            step.is_error = True
            step.output = str(exc)
            retry = cl.Action(name="add_posting", payload={}, label="Try again", icon="file-plus")
            await _offer(
                f"⚠️ {render.esc(str(exc))}\n\nFix the file or paste the text, and try again.", [retry]
            )
            return
        step.output += " Embedded and stored."
    cl.user_session.set("adding", False)
    start = cl.Action(
        name="pick_posting",
        payload={"posting_id": result.posting_id},
        label="Start practice on this posting",
        icon="play",
    )
    await _offer(render.parsed_posting(posting, result.status), [start])


async def _ingest_upload(element: Any) -> None:
    name = Path(str(getattr(element, "name", "") or "posting")).name or "posting"
    path = Path(str(element.path))
    limit = get_settings().max_file_bytes
    size = path.stat().st_size
    if size == 0:
        await cl.Message(
            content=f"⚠️ {render.esc(name)} is empty: add the posting text and try again."
        ).send()
        return
    if size > limit:
        await cl.Message(
            content=f"⚠️ {render.esc(name)}: the file is larger than {limit // (1024 * 1024)} MB; "
            "upload a smaller file or paste the text."
        ).send()
        return
    await _ingest(lambda: _parse_named(path, name), name)


def _parse_named(path: Path, name: str) -> Any:
    """Parse an upload under its original file name (Chainlit stores it under a random id).

    The copy lives under the data dir's uploads folder, emptied at every start, so a crash mid-parse
    leaves nothing behind in /tmp; messages name the file as the user knows it, never the copy.
    """
    safe = Path(name).name or "posting.txt"
    with tempfile.TemporaryDirectory(prefix="upload-", dir=datadir.uploads_dir()) as folder:
        named = Path(folder) / safe
        shutil.copyfile(path, named)
        try:
            return parse_file(named, max_bytes=get_settings().max_file_bytes)
        except PostingError as exc:
            raise PostingError(safe, exc.problem) from None


# --- the practice loop ------------------------------------------------------------------------------


async def _offer(content: str, actions: list[cl.Action]) -> cl.Message:
    """Send a message whose buttons replace the previous message's (no stale buttons stay live)."""
    await _clear_bar()
    message = await cl.Message(content=content, actions=actions).send()
    cl.user_session.set("bar", message)
    return message


async def _name_thread(title: str, posting_id: str) -> None:
    """Name the sidebar entry after the posting (Chainlit names it after the first click or message).

    The page refreshes its thread list when told of a first interaction, so it is told again with the
    new name; otherwise the sidebar shows the old name until the next page load. The name is written
    in the background: with many sessions storing steps at once, SQLite's single writer can keep it
    waiting for seconds (measured with 20 sessions), and the first question must not wait for it.
    """
    layer = get_data_layer()
    if layer is None:
        return
    thread_id = _thread_id()
    number = await asyncio.to_thread(coach().session_number, thread_id, posting_id, _user_id())
    name = render.thread_name(title, number, datetime.now())
    emitter = cl.context.emitter

    async def write_then_tell() -> None:
        try:
            if isinstance(layer, HistoryDataLayer):
                await layer.name_thread(thread_id, name)
            else:
                await layer.update_thread(thread_id, name=name)
        except Exception:  # noqa: BLE001 - a cosmetic name must not break the session
            logger.exception("Could not name thread %s", thread_id)
            return
        await emitter.emit("first_interaction", {"interaction": name, "thread_id": thread_id})

    task = asyncio.create_task(write_then_tell())
    _background.add(task)  # the loop keeps only weak references to tasks
    task.add_done_callback(_background.discard)


async def _clear_bar() -> None:
    bar = cl.user_session.get("bar")
    if bar is not None:
        await bar.remove_actions()
        cl.user_session.set("bar", None)


def _session_actions(can_retry: bool) -> list[cl.Action]:
    names = [n for n in SESSION_ACTIONS if can_retry or n != "retry"]
    return [
        cl.Action(name=n, payload={}, label=SESSION_ACTIONS[n][0], icon=SESSION_ACTIONS[n][1]) for n in names
    ]


async def _transient(message: cl.Message) -> cl.Message:
    """Show a message without storing it in the thread (a re-rendering of what is stored already)."""
    return await compat.send_transient(message)


async def _summary_elements(turn: Turn) -> tuple[str, list[Any]]:
    """The summary's text (summary, progress over sessions) and its elements (chart, report)."""
    report = await coach().report(turn.thread_id, _user_id())
    summary = report.summary
    elements: list[Any] = []
    if not report.progress.empty:
        elements.append(
            cl.Plotly(name="progress", figure=render.progress_figure(report.progress), display="inline",
                      size="large")
        )
    elements.append(
        cl.File(
            name=render.report_filename(summary, report.session_number),
            content=render.report_markdown(report).encode("utf-8"),
            mime="text/markdown",
            display="inline",
        )
    )
    text = "\n\n".join([
        render.summary(summary),
        render.progress_view(report.progress),
        "**Download the report** (the Markdown file just below): every question, your answers with their "
        "scores, the model answers, and your progress.",
    ])
    return text, elements


async def _send_summary(turn: Turn, again: bool = False) -> None:
    """The summary with its chart and report, stored with the thread (``again``: not stored, a re-showing)."""
    text, elements = await _summary_elements(turn)
    message = cl.Message(content=text, elements=elements)
    if again:
        await _transient(message)
        return
    await message.send()
    await cl.Message(
        content="Start a **New Chat** (top left) to practise again: choose **Practise my weakest areas** "
        "there to begin with what you scored lowest on. This session stays in the sidebar."
    ).send()


async def _render_turn(
    turn: Turn,
    streamed: cl.Message | None = None,
    *,
    again: bool = False,
    show_question: bool = False,
    delivery: Delivery | None = None,
) -> None:
    """Show what the engine returned: notice, critique, model answer, then summary or next question.

    The buttons sit on the newest message. A turn that leaves the same question pending (model answer,
    empty answer) does not repeat it unless ``show_question``; ``again`` re-renders without storing.
    """
    await _clear_bar()
    last: cl.Message | None = None
    if turn.notice:
        last = await cl.Message(content=render.notice(turn.notice)).send()
    if turn.critique is not None:
        card = render.critique_card(turn.critique, narrative=_uses_llm())
        if delivery is not None:  # a spoken answer: how it was said, beside what it said
            card += "\n\n" + render.delivery(delivery)
        marker = {CARD_KEY: turn.exchanges - 1}  # a resumed thread re-sends a card that was not stored
        compare = cl.Action(
            name="card_model_answer", payload={"index": turn.exchanges - 1}, label=CARD_MODEL_ANSWER,
            icon="book-open", tooltip="The model answer and guide of the question you just answered",
        )
        if streamed is not None and streamed.streaming:
            streamed.content = card
            streamed.metadata = {**(streamed.metadata or {}), **marker}
            streamed.actions = [compare]
            await streamed.update()  # sends the actions too
        else:
            await cl.Message(content=card, metadata=marker, actions=[compare]).send()
    if turn.model_answer:
        last = await cl.Message(content=render.model_answer(turn.model_answer, turn.question)).send()
    if turn.done:
        cl.user_session.set("active", False)
        cl.user_session.set("shown_question", None)
        await _send_summary(turn)
        return
    if turn.question is None:
        return
    actions = _session_actions(can_retry=turn.answered > 0 or turn.critique is not None)
    same = turn.critique is None and turn.question.id == cl.user_session.get("shown_question")
    if same and last is not None and not (again or show_question):
        last.actions = actions
        await last.update()
        cl.user_session.set("bar", last)
        return
    if turn.retrieved and not again:  # a resumed thread shows the stored step already
        step = cl.Step(name="Retrieved requirements", type="retrieval", default_open=False, show_input=False)
        step.output = render.retrieval(turn.retrieved)
        step.start = step.end = utc_now()  # complete when shown: one write instead of two
        await step.send()
    bar = cl.Message(
        content=render.question(turn.question, number=turn.number, planned=turn.planned), actions=actions
    )
    await (_transient(bar) if again else bar.send())
    cl.user_session.set("bar", bar)
    cl.user_session.set("shown_question", turn.question.id)


async def _start(posting_id: str, focus: list[str] | None = None) -> None:
    try:
        taken = await coach().current(_thread_id(), _user_id()) is not None
    except PermissionError:
        taken = True  # someone else's thread: never start over it
    if taken:
        await cl.Message(
            content=render.notice(
                "This chat already has a session: start a New Chat to practise another posting."
            )
        ).send()
        return
    async with cl.Step(name="Planning questions", type="run") as step:
        try:
            options = (await _options()).model_copy(update={"focus": focus or []})
            turn = await coach().start(posting_id, options, thread_id=_thread_id(), user_id=_user_id())
        except (CoachError, LookupError) as exc:
            step.is_error = True
            await cl.Message(content=f"⚠️ {render.esc(str(exc))}").send()
            return
        step.output = f"{turn.planned} questions planned for {turn.posting_title}." + (
            f" The first {min(len(focus), turn.planned)} are on your weakest areas." if focus else ""
        )
    cl.user_session.set("active", True)
    cl.user_session.set("adding", False)
    await _name_thread(turn.posting_title, turn.posting_id)
    await _render_turn(turn)


@cl.action_callback("pick_posting")
@_storage_safe
async def on_pick_posting(action: cl.Action) -> None:
    """Start a session on the chosen posting."""
    await _start(str(action.payload.get("posting_id", "")))


@cl.action_callback("practise_weakest")
async def on_practise_weakest(action: cl.Action) -> None:
    """Start a session on the posting that begins with the requirements scored lowest last time."""
    posting_id = str(action.payload.get("posting_id", ""))
    progress = await asyncio.to_thread(coach().progress, posting_id, _user_id())
    focus = progress.practise_next or [t.requirement for t in progress.requirements[:3]]
    await _start(posting_id, focus=focus)


@cl.action_callback("card_model_answer")
async def on_card_model_answer(action: cl.Action) -> None:
    """Show the model answer and guide of the question a critique card is about, on that card."""
    try:
        session = await _owned_session()
    except _Refused:
        return
    if session is None:
        await cl.Message(content=render.notice("There is no session in this chat.")).send()
        return
    try:
        index = int(action.payload.get("index", -1))
        history = await coach().history(session.thread_id)
        question = await coach().answered_question(session.thread_id, index)
    except (LookupError, TypeError, ValueError):
        await cl.Message(content=render.notice("That answer is not in this session.")).send()
        return
    card = render.critique_card(history[index].critique, narrative=_uses_llm())
    spoken = history[index].delivery
    if spoken is not None:  # the card keeps its delivery section
        card += "\n\n" + render.delivery(spoken)
    await cl.Message(
        id=action.forId, content=render.card_with_model_answer(card, question), metadata={CARD_KEY: index}
    ).update()
    await action.remove()


@_storage_safe
async def _act(name: str) -> None:
    try:
        session = await _owned_session()
    except _Refused:
        return
    if session is None or session.done:
        notice = SESSION_ENDED if session is not None else "There is no session running in this chat."
        await cl.Message(content=render.notice(notice)).send()
        return
    turn = await coach().act(_thread_id(), name)  # type: ignore[arg-type]
    await _render_turn(turn, show_question=name == "retry")


def _register_session_action(name: str) -> None:
    async def callback(action: cl.Action) -> None:
        await _act(name)

    callback.__name__ = f"on_{name}"
    callback.__doc__ = f"The '{SESSION_ACTIONS[name][0]}' button."
    cl.action_callback(name)(callback)


for _name in SESSION_ACTIONS:
    _register_session_action(_name)


class _Refused(Exception):
    """The chat's thread belongs to someone else: the handler stops."""


async def _owned_session() -> Turn | None:
    """The chat's session as it stands, if it has one (also after a restart emptied the memory).

    Another user's session stops the handler with a notice (Chainlit already refuses to open it).
    """
    try:
        turn = await coach().current(_thread_id(), _user_id())
    except PermissionError:
        await cl.Message(content=render.notice("This session belongs to another user.")).send()
        raise _Refused() from None
    cl.user_session.set("active", turn is not None and not turn.done)
    return turn


async def _answer(text: str, delivery: Delivery | None = None) -> None:
    # The message that LLM tokens stream into is made on the first token: offline nothing streams,
    # and Chainlit's Message() blocks the event loop (every session) for a millisecond.
    streamed: cl.Message | None = None

    async def on_token(token: str) -> None:
        nonlocal streamed
        if streamed is None:
            streamed = cl.Message(content="")
        await streamed.stream_token(token)

    cl.user_session.set("spoken", None)
    turn = await coach().answer(_thread_id(), text, on_token=on_token, delivery=delivery)
    if streamed is not None and streamed.streaming and turn.critique is None:
        await streamed.remove()
        streamed = None
    await _render_turn(turn, streamed, delivery=delivery if turn.critique is not None else None)


async def _pick_or_filter(text: str) -> None:
    postings = await _postings()
    if text.isdigit():
        listed = cl.user_session.get("listed") or [p.id for p in postings]
        index = int(text) - 1
        if 0 <= index < len(listed):
            await _start(listed[index])
        else:
            await cl.Message(
                content=render.notice(f"There is no posting number {text}: choose 1 to {len(listed)}.")
            ).send()
        return
    words = text.lower().split()
    matches = [p for p in postings if all(w in f"{p.title} {p.company} {p.location}".lower() for w in words)]
    by_meaning = not matches
    if by_meaning:  # "an interview for a nursing job": no title has those words, a nurse posting is close
        matches = [p for p, _ in await asyncio.to_thread(store().search_postings, text, BUTTONS_SHOWN)]
    cl.user_session.set("listed", [p.id for p in matches] or [p.id for p in postings])
    await _offer(
        render.filter_result(text, matches, len(postings), by_meaning=by_meaning), _posting_actions(matches)
    )


@cl.on_message
@_storage_safe
async def on_message(message: cl.Message) -> None:
    """An answer during a session; on the first screen a file, pasted posting, number or filter words."""
    text = (message.content or "").strip()
    uploads = [el for el in message.elements or [] if getattr(el, "path", None)]
    if uploads:
        for element in uploads:
            await _ingest_upload(element)
        return
    try:
        session = await _owned_session()
    except _Refused:
        return
    if session is not None and session.done:
        await cl.Message(content=render.notice(SESSION_ENDED)).send()
        return
    if session is not None:
        command = COMMANDS.get(text.lower())
        spoken: _Spoken | None = cl.user_session.get("spoken")
        if command:
            cl.user_session.set("spoken", None)
            await _act(command)
        elif spoken is not None and _answers(spoken, session):
            await _answer(text, spoken.delivery)  # the corrected transcript keeps the recording's delivery
        else:
            await _answer(text)
        return
    if cl.user_session.get("adding") or (len(text) >= PASTE_MIN_CHARS and text.count("\n") >= 2):
        await _ingest(lambda: parse_text(text, source="pasted"), "pasted text")
        return
    if text:
        await _pick_or_filter(text)


# --- spoken answers ---------------------------------------------------------------------------------


class _Recording:
    """The chunks of the recording in progress (in memory only)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0
        self.over = False
        self.mime: str | None = None


class _Spoken:
    """A transcript waiting to be scored (or corrected) for the question it answers."""

    def __init__(self, text: str, delivery: Delivery, question_id: str) -> None:
        self.text, self.delivery, self.question_id = text, delivery, question_id


NOTHING_TO_SCORE = "There is no recording to score: record your answer first."
NOT_ANSWERING = "Start a practice session first, then record your answer with the microphone."
UNSUPPORTED = (
    "The browser sent audio as {mime}, which the coach cannot read: use Chromium, Chrome, Edge or Firefox, "
    "or type your answer."
)


def _answers(spoken: _Spoken, session: Turn | None) -> bool:
    """Whether the transcript answers the question now pending (not one skipped since)."""
    return session is not None and session.question is not None and spoken.question_id == session.question.id


@cl.on_audio_start
async def on_audio_start() -> bool:
    """Record only while a question waits for an answer (a truthy return starts the browser's recorder)."""
    cl.user_session.set("recording", _Recording())  # before any await: chunks may follow at once
    try:
        session = await _owned_session()
    except _Refused:
        return False
    if session is None or session.done or session.question is None:
        cl.user_session.set("recording", None)
        await cl.Message(content=render.notice(SESSION_ENDED if session else NOT_ANSWERING)).send()
        return False
    return True


@cl.on_audio_chunk
async def on_audio_chunk(chunk: cl.InputAudioChunk) -> None:
    """Keep a chunk (each chunk is its own task: it is appended before anything awaits)."""
    recording: _Recording | None = cl.user_session.get("recording")
    if recording is None:
        return
    if chunk.mimeType != "pcm16":
        recording.mime = chunk.mimeType
    elif recording.size + len(chunk.data) > audio.max_browser_bytes():
        recording.over = True  # past five minutes nothing more is kept: memory stays bounded
    else:
        recording.chunks.append(chunk.data)
        recording.size += len(chunk.data)


async def _settled(recording: _Recording) -> None:
    """Let the last chunk tasks (scheduled just before the end) append, up to half a second."""
    for _ in range(10):
        count = len(recording.chunks)
        await asyncio.sleep(0.05)
        if len(recording.chunks) == count:
            return


@cl.on_audio_end
async def on_audio_end() -> None:
    """Transcribe the recording off the event loop and offer the transcript to score or correct."""
    recording: _Recording | None = cl.user_session.get("recording")
    if recording is None:
        return
    await _settled(recording)
    cl.user_session.set("recording", None)
    if recording.mime is not None:
        await cl.Message(content=render.notice(UNSUPPORTED.format(mime=recording.mime))).send()
    elif recording.over:
        await cl.Message(content=render.notice(audio.TOO_LONG)).send()
    elif not recording.chunks:
        await cl.Message(content=render.notice(audio.NO_AUDIO)).send()  # the browser refused the microphone
    else:
        await _transcribe(b"".join(recording.chunks))


async def _transcribe(data: bytes) -> None:
    try:
        session = await _owned_session()
    except _Refused:
        return
    if session is None or session.done or session.question is None:
        await cl.Message(content=render.notice(NOT_ANSWERING)).send()
        return
    recogniser = transcriber()
    status = cl.Message(
        content=render.notice(
            "Transcribing your answer..." if recogniser.loaded
            else "Loading the speech model (first recording only, a few seconds), then transcribing..."
        )
    )
    await status.send()
    try:
        samples = await asyncio.to_thread(audio.from_pcm16, data)
        heard = await recogniser.run(samples, session.question.text)  # a decoder hint if configured
    except CoachError as exc:  # silence, too long, or the packaged model missing: one line, session goes on
        status.content = render.notice(str(exc))
        await status.update()
        return
    await status.remove()
    settings = get_settings()
    if settings.keep_recordings:
        name = f"{session.question.id}-{utc_now().replace(':', '').replace('.', '')}.wav"
        await asyncio.to_thread(audio.write_wav, samples, settings.recordings_dir / _thread_id() / name)
    cl.user_session.set("spoken", _Spoken(heard.text, heard.delivery, session.question.id))
    user = cl.user_session.get("user")
    await cl.Message(
        content=render.esc_block(heard.text),
        type="user_message",
        author=user.identifier if user is not None else "You",
    ).send()
    score = cl.Action(name="score_spoken", payload={}, label="Score this answer", icon="check")
    await _offer(render.transcript_offer(heard.delivery, kept=settings.keep_recordings), [score])


@cl.action_callback("score_spoken")
async def on_score_spoken(action: cl.Action) -> None:
    """Score the transcript as heard, with its delivery."""
    spoken: _Spoken | None = cl.user_session.get("spoken")
    try:
        session = await _owned_session()
    except _Refused:
        return
    if spoken is None or not _answers(spoken, session):
        cl.user_session.set("spoken", None)
        await cl.Message(content=render.notice(NOTHING_TO_SCORE)).send()
        return
    await _answer(spoken.text, spoken.delivery)


# --- resume -----------------------------------------------------------------------------------------


@cl.on_chat_resume
async def on_chat_resume(thread: ThreadDict) -> None:
    """Reopen a thread (sidebar, reload, reconnect after a restart): the engine restores the session.

    Chainlit 2.12 replaces the page's messages with the stored thread *after* this hook returns
    (Chainlit issue #2611), which would wipe anything sent here; so progress and the due question
    are sent right after that replacement instead, and not stored (the thread already has them).
    """
    await _send_settings(cl.user_session.get("chat_settings") or None)
    cl.user_session.set("active", False)
    thread_id = str(thread["id"])
    shown = _cards_stored(thread)
    # A thread stored with the local storage client has its summary's chart and report; an older one not.
    stored_elements = bool(thread.get("elements"))
    if not compat.after_page_replaced(lambda: _show_resumed(thread_id, shown, stored_elements)):
        await _show_resumed(thread_id, shown, stored_elements)


def _cards_stored(thread: ThreadDict) -> set[int]:
    """The exchanges whose critique card the stored thread holds."""
    import json

    found: set[int] = set()
    for step in thread.get("steps") or []:
        meta: Any = step.get("metadata") or {}
        if isinstance(meta, str):
            try:
                meta = json.loads(meta)
            except ValueError:
                meta = {}
        if isinstance(meta, dict) and isinstance(meta.get(CARD_KEY), int):
            found.add(meta[CARD_KEY])
    return found


async def _show_resumed(
    thread_id: str, cards_stored: set[int] | None = None, stored_elements: bool = False
) -> None:
    try:
        turn = await coach().current(thread_id, _user_id())
    except PermissionError:
        await cl.Message(content=render.notice("This session belongs to another user.")).send()
        return
    if turn is None:
        await _show_postings()
        return
    history = await coach().history(turn.thread_id)
    # The score is checkpointed before its card is stored in the chat history: a crash between the
    # two (measured: a kill 120 ms after scoring) lost the card. It is re-rendered from the session
    # and stored now, so a restart loses nothing.
    for index, item in enumerate(history):
        if cards_stored is not None and index not in cards_stored:
            card = render.critique_card(item.critique, narrative=_uses_llm())
            await cl.Message(content=card, metadata={CARD_KEY: index}).send()
    if turn.done:
        line = "**Welcome back.** This session has ended. " + render.session_score_line(
            turn.score, turn.answered
        )
        await _transient(cl.Message(content=line))
        if not stored_elements:  # stored before elements were kept: the chart and report, made again
            _, elements = await _summary_elements(turn)
            await _transient(cl.Message(content="The chart and report of this session:", elements=elements))
        return
    scores = [item.critique.score for item in history]
    await _transient(cl.Message(content=render.progress(turn.answered, turn.planned, scores, turn.score)))
    cl.user_session.set("active", True)
    await _render_turn(
        turn.model_copy(update={"critique": None, "model_answer": None, "notice": None}), again=True
    )
