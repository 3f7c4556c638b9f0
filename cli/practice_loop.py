"""``coach practice``: the practice loop in the terminal, scriptable through stdin (one line, one answer).

Commands typed instead of an answer: /model (show the model answer), /skip, /next, /retry,
/easier, /harder, /summary, /end (finish with the summary), /quit (save and leave; EOF does the
same). A line that is the path of an audio file (.wav, .mp3, .flac, .ogg, .m4a) is a spoken answer:
it is transcribed offline, and its delivery is shown with the critique. Everything printed is plain
text: control characters from postings or answers are dropped.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from chains.models import Critique, Delivery, Difficulty, Question, SessionSummary
from chains.session.coach import Coach, SessionOptions, Turn
from chains.session.state import Action
from core.errors import CoachError

if TYPE_CHECKING:
    from chains.speech.transcriber import Transcriber

_COMMANDS: dict[str, Action] = {
    "/model": "model_answer",
    "/skip": "skip",
    "/next": "next",
    "/retry": "retry",
    "/easier": "easier",
    "/harder": "harder",
    "/end": "end",
}
_HELP = ("Type your answer on one line (or the path of a WAV file of it spoken), or: "
         + ", ".join([*_COMMANDS, "/summary", "/quit"]) + ".")
AUDIO_SUFFIXES = (".wav", ".mp3", ".flac", ".ogg", ".m4a", ".webm")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x1b]")


def _plain(text: str) -> str:
    return _CONTROL.sub("", text)


class Terminal:
    """Prints turns as plain text."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def line(self, text: str = "") -> None:
        """Print one line (or block) of plain text."""
        print(_plain(text), file=self.out, flush=True)

    def question(self, turn: Turn, question: Question, number: int) -> None:
        """The pending question with its number and why it is asked."""
        label = "Follow-up" if question.is_follow_up else f"Question {number}/{turn.planned}"
        self.line()
        self.line(f"{label} ({question.kind.value}, {question.difficulty.value}): {question.text}")
        if question.why:
            written = question.why.lower().startswith(("why this question", "follow-up"))
            why = question.why if written else f"Why this question: {question.why}"
            self.line(why)

    def critique(self, critique: Critique) -> None:
        """The score of record and its narrative."""
        self.line()
        if f"{critique.score}/100" not in critique.narrative:
            self.line(f"Score {critique.score}/100 ({critique.band}).")
        self.line(critique.narrative.strip())

    def summary(self, summary: SessionSummary) -> None:
        """The summary as Markdown text."""
        self.line()
        self.line(summary.markdown)


async def _read_line(stdin: TextIO) -> str | None:
    line = await asyncio.to_thread(stdin.readline)
    if line == "":
        return None  # EOF
    return line.rstrip("\r\n")


async def practice(
    posting_id: str,
    options: SessionOptions,
    resume: str | None = None,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    coach: Coach | None = None,
) -> int:
    """Run a practice session in the terminal; returns the exit status."""
    stdin = stdin or sys.stdin
    term = Terminal(out or sys.stdout)
    own_coach = coach is None
    coach = coach or Coach()
    try:
        if resume:
            turn = await coach.current(resume)
            if turn is None:
                term.line(f"error: no session '{resume}'; start one with: coach practice {posting_id}")
                return 1
            term.line(
                f"Resuming session {turn.thread_id} on {turn.posting_title} ({turn.answered} answered)."
            )
        else:
            turn = await coach.start(posting_id, options)
            term.line(f"Session {turn.thread_id} on {turn.posting_title}.")
        posting_arg = posting_id if not resume else turn.posting_id
        term.line(_HELP)
        return await _loop(coach, turn, stdin, term, posting_arg)
    finally:
        if own_coach:
            await coach.aclose()


class _Speech:
    """The recogniser, loaded on the first spoken answer (typed sessions never pay for it)."""

    def __init__(self) -> None:
        self.recogniser: Transcriber | None = None

    async def hear(self, path: Path, term: Terminal, question: str | None) -> tuple[str, Delivery] | None:
        from chains.speech.transcriber import Transcriber
        from core.settings import get_settings

        if self.recogniser is None:
            settings = get_settings()
            self.recogniser = Transcriber(
                settings.data_dir, threads=settings.speech_threads, prompting=settings.speech_prompt
            )
            term.line("Loading the speech model (first spoken answer only)...")
        try:
            heard = await asyncio.to_thread(self.recogniser.transcribe_file, path, question)
        except CoachError as exc:
            term.line(f"Note: {exc}")
            return None
        term.line(f"Heard: {heard.text}")
        return heard.text, heard.delivery

    def close(self) -> None:
        if self.recogniser is not None:
            self.recogniser.close()


def _audio_path(line: str) -> Path | None:
    candidate = line.strip().strip("'\"")
    if candidate.lower().endswith(AUDIO_SUFFIXES) and "\n" not in candidate:
        path = Path(candidate).expanduser()
        return path if path.is_file() or " " not in candidate else None
    return None


async def _loop(coach: Coach, turn: Turn, stdin: TextIO, term: Terminal, posting_arg: str) -> int:
    speech = _Speech()
    try:
        return await _turns(coach, turn, stdin, term, posting_arg, speech)
    finally:
        speech.close()


async def _turns(
    coach: Coach, turn: Turn, stdin: TextIO, term: Terminal, posting_arg: str, speech: _Speech
) -> int:
    shown_id: str | None = None
    delivery: Delivery | None = None
    while True:
        if turn.critique is not None:
            term.critique(turn.critique)
            if delivery is not None:
                from cli.speech import delivery_lines

                for text in delivery_lines(None, delivery):
                    term.line(text)
        delivery = None
        if turn.model_answer is not None:
            term.line()
            guide = turn.question.guide if turn.question is not None else []
            if guide:
                term.line("What a strong answer covers:")
                for point in guide:
                    term.line(f"  - {point}")
            # A question with no example (an outline, or a library question none was written for) has
            # the guide as its model answer: shown once, as the list.
            asked = turn.question
            guide_only = asked is not None and (
                asked.answer_is_guide or asked.model_answer_source == "offline"
            )
            if not guide or not guide_only:
                term.line("Example answer:" if guide else "Model answer:")
                term.line(turn.model_answer)
        if turn.notice:
            term.line(f"Note: {turn.notice}")
        if turn.done:
            if turn.summary is not None:
                term.summary(turn.summary)
            term.line(f"Session {turn.thread_id} ended.")
            return 0
        question = turn.question
        if question is not None and (question.id, question.text) != shown_id:
            term.question(turn, question, await coach.question_number(turn.thread_id))
            shown_id = (question.id, question.text)  # type: ignore[assignment]
        line = await _read_line(stdin)
        if line is None or line.strip() == "/quit":
            term.line()
            term.line(f"Saved session {turn.thread_id}. Resume with: "
                      f"coach practice {posting_arg} --resume {turn.thread_id}")
            return 0
        command = line.strip().lower()
        if command == "/summary":
            term.summary(await coach.summary(turn.thread_id))
            turn = turn.model_copy(update={"critique": None, "model_answer": None, "notice": None})
            continue
        if command.startswith("/") and command in _COMMANDS:
            turn = await coach.act(turn.thread_id, _COMMANDS[command])
            if command in ("/retry", "/easier", "/harder"):
                shown_id = None  # show the question again, even if its wording did not change
            continue
        audio_file = _audio_path(line)  # before the command check: "/home/me/answer.wav" is a file
        if audio_file is None and command.startswith("/") and " " not in command:
            term.line(f"Unknown command {command}. {_HELP}")
            turn = turn.model_copy(update={"critique": None, "model_answer": None, "notice": None})
            continue
        if audio_file is not None:
            heard = await speech.hear(audio_file, term, question.text if question is not None else None)
            if heard is None:
                turn = turn.model_copy(update={"critique": None, "model_answer": None, "notice": None})
                continue
            line, delivery = heard
        turn = await coach.answer(turn.thread_id, line, delivery=delivery)


def difficulty_of(value: str) -> Difficulty:
    """Parse --difficulty."""
    return Difficulty(value.lower())
