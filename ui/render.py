"""Presentation for the browser app: models in, escaped Markdown (and a Plotly figure) out.

Nothing here scores, parses or prompts; it only lays out what the engine decided. Every piece of text
that came from a posting, an answer or a model is passed through ``esc`` (or ``esc_block``), so it
shows as text: ``<script>`` stays visible characters, ``[x](y)`` is not a link, ``# x`` not a heading.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from chains.models import Critique, Delivery, Question, SessionSummary
from chains.session.coach import ANSWER_LENGTH_ADVICE
from chains.session.progress import Progress
from chains.session.report import ReportItem, SessionReport
from chains.speech.delivery import fillers_line, overview_markdown
from knowledge.posting import Posting, RequirementKind

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from knowledge.store import PostingSummary, SearchHit

# Markdown punctuation that could start a link, image, emphasis, code, heading, list or table cell.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|~=])")

BAND_BADGE = {"strong": "🟢 strong", "fair": "🟡 fair", "weak": "🔴 weak"}
KIND_LABEL = {
    RequirementKind.RESPONSIBILITY: "Responsibilities",
    RequirementKind.REQUIRED: "Required qualifications",
    RequirementKind.PREFERRED: "Preferred qualifications",
    RequirementKind.SKILL: "Skills",
}
WELCOME = (
    "**Interview Coach** asks you role-specific interview questions for a job posting, one at a time.\n"
    "After each answer you get a score, what you covered (in your own words), what you missed, and "
    "how to improve. Type your answers, or speak them with the microphone button: speech is transcribed "
    "on this machine, never sent anywhere, and the audio is not kept unless recordings are switched on "
    "(COACH_KEEP_RECORDINGS). Answer as you would aloud: "
    + ANSWER_LENGTH_ADVICE[:1].lower()
    + ANSWER_LENGTH_ADVICE[1:]
)
SESSION_SCORE_MEANS = "the mean of your best score per requirement"


def esc(value: object) -> str:
    """One line of untrusted text, safe inside Markdown: whitespace collapsed, markup neutralised."""
    flat = " ".join(str(value).split())
    return html.escape(_MD_SPECIAL.sub(r"\\\1", flat), quote=False)


def esc_block(value: object) -> str:
    """Untrusted multi-line text, safe inside Markdown, keeping its paragraphs and line breaks."""
    paragraphs = re.split(r"\n\s*\n", str(value).strip())
    out = []
    for para in paragraphs:
        lines = [esc(line) for line in para.splitlines() if line.strip()]
        if lines:
            out.append("  \n".join(lines))  # two trailing spaces: a hard line break
    return "\n\n".join(out)


def quote(value: object) -> str:
    """Untrusted text as a Markdown block quote."""
    return "\n".join(f"> {line}" if line else ">" for line in esc_block(value).splitlines())


def band_badge(critique: Critique) -> str:
    """The colour-coded band of a score, e.g. '🟢 strong'."""
    return BAND_BADGE.get(critique.band, esc(critique.band))


# --- first screen ---------------------------------------------------------------------------------


def posting_label(posting: PostingSummary) -> str:
    """Short button text for a posting: title and company."""
    label = posting.title if not posting.company else f"{posting.title} · {posting.company}"
    return label if len(label) <= 60 else label[:57] + "..."


def postings_table(postings: Sequence[PostingSummary], *, numbered_from: int = 1) -> str:
    """The stored postings as a numbered table: title, company, requirements, Q&A pairs."""
    if not postings:
        return "_No postings stored yet._ Add one: upload a file or paste the text."
    rows = ["| # | Title | Company | Requirements | Q&A pairs |", "|---:|---|---|---:|---:|"]
    for number, posting in enumerate(postings, start=numbered_from):
        rows.append(
            f"| {number} | {esc(posting.title)} | {esc(posting.company) or '—'} | "
            f"{posting.requirements} | {posting.qa_pairs} |"
        )
    return "\n".join(rows)


def welcome(postings: Sequence[PostingSummary], *, shown: int | None = None) -> str:
    """The first screen: what the coach does, then the postings to choose from."""
    total = len(postings)
    listed = postings if shown is None else postings[:shown]
    parts = [WELCOME, ""]
    if total:
        parts.append(
            f"**Choose a posting** ({total} stored): click its row or a button below, type its number, "
            "or say what the job is (\"a nursing job\")."
        )
        if shown is not None and total > shown:
            parts.append(f"Showing {shown} of {total}: type words from a title or company to filter.")
    parts += ["", postings_table(listed)]
    parts += ["", "Or **add a posting**: attach a .txt, .md, .html, .pdf or .docx file, or paste the text."]
    return "\n".join(parts)


def filter_result(
    query: str, matches: Sequence[PostingSummary], total: int, *, by_meaning: bool = False
) -> str:
    """The reply to typed words on the first screen: postings with those words, or close in meaning."""
    if not matches:
        return (
            f"No posting matches **{esc(query)}** (of {total}), by its words or their meaning. Try other "
            "words, or type a number, or add a posting."
        )
    if by_meaning:
        return (
            f"No title has the words **{esc(query)}**; closest in meaning ({len(matches)} of {total}), "
            "click one to start:\n\n" + postings_table(matches)
        )
    return f"Postings matching **{esc(query)}** ({len(matches)} of {total}):\n\n" + postings_table(matches)


# --- adding a posting -----------------------------------------------------------------------------


def parsed_posting(posting: Posting, status: str = "added") -> str:
    """A freshly ingested posting as parsed: requirements grouped by kind and the Q&A pairs found."""
    head = f"### {esc(posting.title)}"
    meta = " · ".join(esc(part) for part in (posting.company, posting.location, posting.source) if part)
    verb = {"added": "Added", "unchanged": "Already stored", "replaced": "Updated"}.get(status, "Stored")
    lines = [head, f"{verb}{': ' + meta if meta else ''}", ""]
    if posting.title_from == "file name":  # a guess, shown as one: the text names no job
        lines += ["_The text names no job title: the title above is taken from the file name._", ""]
    counts = ", ".join(
        f"{sum(1 for r in posting.requirements if r.kind == kind)} {label.lower()}"
        for kind, label in KIND_LABEL.items()
    )
    lines.append(
        f"**{len(posting.requirements)} requirements** ({counts}); "
        f"**{len(posting.qa_pairs)} Q&A pairs** found."
    )
    for kind, label in KIND_LABEL.items():
        items = [r for r in posting.requirements if r.kind == kind]
        if items:
            lines += ["", f"**{label}**", *[f"- {esc(r.text)}" for r in items]]
    if posting.qa_pairs:
        lines += ["", "**Interview questions in the posting**"]
        lines += [f"- {esc(pair.question)}" for pair in posting.qa_pairs]
    return "\n".join(lines)


# --- the practice loop ----------------------------------------------------------------------------


def question(q: Question, *, number: int | None = None, planned: int | None = None) -> str:
    """A question with its position, kind, difficulty and 'Why this question'."""
    if q.is_follow_up:
        title = "**Follow-up**"
    elif number is not None and planned:
        title = f"**Question {number} of {planned}**"
    else:
        title = "**Question**"
    why = q.why.strip()
    if why.lower().startswith("why this question:"):
        why = why.split(":", 1)[1].strip()
    lines = [
        f"{title} · {esc(q.kind.value)} · {esc(q.difficulty.value)}",
        "",
        esc_block(q.text),
        "",
        f"_Why this question:_ {esc(why)}",
    ]
    return "\n".join(lines)


def retrieval(hits: Sequence[SearchHit]) -> str:
    """The requirements retrieved behind a question, with their similarity scores."""
    if not hits:
        return "No requirement was retrieved for this question."
    rows = ["| Score | Kind | Requirement |", "|---:|---|---|"]
    rows += [
        f"| {hit.score:.2f} | {esc(hit.requirement.kind.value)} | {esc(hit.requirement.text)} |"
        for hit in hits
    ]
    return "\n".join(rows)


def critique_card(c: Critique, *, narrative: bool = True) -> str:
    """The critique as a compact card: score and band, covered (with evidence), missing, improvements.

    ``narrative=False`` leaves out the prose (offline it restates the lists above it).
    """
    s = c.subscores
    if "not in English" in c.flags:
        return "### Not scored\n\nOnly English answers are scored: answer in English to get a score and " \
            "feedback."
    if c.judged_as == "experience":
        parts = (f"judged as an experience answer · parts {s.coverage} · relevance {s.relevance} · "
                 f"specificity {s.specificity} · results {s.results}")
    else:
        parts = (f"coverage {s.coverage} · relevance {s.relevance} · specificity {s.specificity} · "
                 f"structure {s.structure} · results {s.results}")
    lines = [f"### Score {c.score}/100 · {band_badge(c)}", parts]
    if c.caps:
        lines += ["", "⚠️ Treated as a non-answer: " + "; ".join(esc(flag) for flag in c.caps)]
    if c.notes:
        lines += ["", "ℹ️ " + "; ".join(esc(note[:1].upper() + note[1:]) for note in c.notes)]
    if c.covered:
        lines += ["", "**Covered**"]
        lines += [f"- ✅ {esc(p.point)} — _“{esc(p.evidence)}”_" for p in c.covered]
    if c.missing:
        lines += ["", "**Missing**"]
        lines += [f"- ❌ {esc(point)}" for point in c.missing]
    if c.improvements:
        lines += ["", "**How to improve**"]
        lines += [f"{n}. {esc(tip)}" for n, tip in enumerate(c.improvements, start=1)]
    if narrative and c.narrative.strip():
        lines += ["", esc_block(c.narrative)]
    return "\n".join(lines)


def model_answer(text: str, q: Question | None = None, *, answered: bool = False) -> str:
    """A model answer: what a strong answer covers (the guide, as a list), then the example answer.

    An offline outline (no competency matched), and a library question with no example written for
    it, have the guide itself as their model answer, so it is shown once, as the list.
    ``answered``: shown beside the critique of the question just answered (not the one now due).
    """
    source = {
        "library": "an example answer from the question library",
        "posting": "from the posting",
        "llm": "written by the LLM",
        "offline": "an outline built from the requirement",
        "edited": "edited",
    }
    head = "**Model answer**"
    # An outline or a library question with no example of its own: its guide is its model answer.
    guide_only = q is not None and (
        q.answer_is_guide or (q.model_answer_source == "offline" and bool(q.guide))
    )
    if q is not None:
        to = "to the question you answered" if answered else "to"
        label = source.get(q.model_answer_source, esc(q.model_answer_source))
        if guide_only and q.model_answer_source == "library":
            label = "the question library's guide; no example answer is written for this question yet"
        head += f" ({label}) {to}: _{esc(q.text)}_"
    parts = [head]
    guide = list(q.guide) if q is not None else []
    if guide:
        parts.append("**What a strong answer covers**\n" + "\n".join(f"- {esc(point)}" for point in guide))
    if not guide_only:
        parts.append(("**Example answer**\n\n" if guide else "") + quote(text))
    return "\n\n".join(parts)


def card_with_model_answer(card: str, q: Question) -> str:
    """A critique card with the model answer and guide of its question below it, on the same message."""
    return card + "\n\n---\n\n" + model_answer(q.model_answer or "(no model answer)", q, answered=True)


def notice(text: str) -> str:
    """A one-line notice from the engine."""
    return f"ℹ️ {esc(text)}"


def progress(
    answered: int, planned: int, scores: Sequence[int], session_score: int | None = None
) -> str:
    """One line of progress for a resumed session; its score is the session score, as in the summary."""
    line = f"**Welcome back.** {answered} of {planned} questions answered"
    if scores:
        line += f"; scores so far: {', '.join(str(x) for x in scores)}"
        if session_score is not None:
            line += f"; session score {session_score}/100 ({SESSION_SCORE_MEANS})"
    return line + "."


def thread_name(title: str, number: int, when: datetime) -> str:
    """The sidebar name of a session: what tells it apart leads, as the sidebar cuts long names.

    E.g. "#2 · 3 Dec 14:05 · Backend Engineer, Shipment Tracking".
    """
    return f"#{number} · {when.day} {when:%b %H:%M} · {title}"


# --- end of session -------------------------------------------------------------------------------


def session_score_line(score: int | None, answered: int) -> str:
    """The session score as every screen states it."""
    if score is None:
        return "No answer was scored in this session."
    plural = "s" if answered != 1 else ""
    return f"Session score **{score}/100** ({SESSION_SCORE_MEANS}) over {answered} answered question{plural}."


def _best(score: int | None, asked: bool, screening: str | None = None) -> str:
    if score is not None:
        return str(score)
    return "skipped" if asked else ("screening" if screening else "not asked")


def summary(s: SessionSummary) -> str:
    """The session summary: session score, a per-requirement table, strongest and weakest areas.

    The table has three columns so that it fits a 1280 px window with the sidebar open; the
    requirement's text wraps, and its kind is in the downloaded report.
    """
    lines = [
        f"## Session summary: {esc(s.posting_title)}",
        session_score_line(s.overall_score, s.answered),
        "",
        "| Requirement | Best score | Attempts |",
        "|---|---:|---:|",
    ]
    for row in s.rows:
        lines.append(f"| {esc(row.requirement.text)} | {_best(row.best_score, row.asked, row.screening)} | "
                     f"{row.attempts} |")
    screened = [row for row in s.rows if row.screening]
    if screened:
        lines += ["", "**Screening items** (checked when you apply, not practised here)"]
        lines += [f"- {esc(row.requirement.text)}: {esc(row.screening)}" for row in screened]
    for title, notes in (("Strongest", s.strongest), ("To practise next", s.weakest)):
        if notes:
            lines += ["", f"**{title}**"]
            lines += [f"- {esc(n.requirement)} ({n.score}): {esc(n.advice)}" for n in notes]
    if s.delivery is not None:
        d = s.delivery
        pace = "—" if d.words_per_minute is None else f"{d.words_per_minute:.0f} words/min"
        answers = f"{d.answers} spoken answer{'s' if d.answers != 1 else ''}"
        pauses = f"{d.long_pauses} long pause{'s' if d.long_pauses != 1 else ''}"
        lines += ["", f"**Delivery** over {answers}: {d.mean_duration_s:.0f} s on average · {pace} · "
                  f"fillers {esc(fillers_line(d.fillers))} ({d.fillers_per_minute:.1f}/min) · {pauses}",
                  f"Tip: {esc(d.tip)}"]
    return "\n".join(lines)


# --- spoken answers -------------------------------------------------------------------------------

SPEECH_PRIVACY = "Audio is transcribed on this machine, in memory, and not stored."
SPEECH_KEPT = "Recordings are kept on this machine (COACH_KEEP_RECORDINGS is on)."


def delivery(d: Delivery) -> str:
    """How a spoken answer was delivered, shown under its critique (the score above does not use it)."""
    pace = "—" if d.words_per_minute is None else f"{d.words_per_minute:.0f} words/min"
    seconds = int(round(d.duration_s))
    pauses = ", ".join(f"{p.length_s:.1f} s at {int(p.start_s) // 60}:{int(p.start_s) % 60:02d}"
                       for p in d.long_pauses) or "none"
    return "\n".join([
        "#### 🎙️ Delivery (not part of the score)",
        f"- **Length** {seconds // 60}:{seconds % 60:02d} (aim for 1-3 minutes) · "
        f"**Pace** {pace} (aim for 130-160)",
        f"- **Fillers** {esc(fillers_line(d.fillers))} · **Long pauses** {pauses}",
        f"- **Tip** {esc(d.tip)}",
    ])


def transcript_offer(d: Delivery, *, kept: bool) -> str:
    """Under the transcript (shown as the user's answer): score it, correct it by typing, or record again."""
    seconds = int(round(d.duration_s))
    return "\n".join([
        f"🎙️ Heard {seconds // 60}:{seconds % 60:02d} of speech (above). **Score this answer** as heard, "
        "or type a corrected version and send it (it keeps this delivery), or press the microphone to record "
        "again.",
        "",
        f"_{SPEECH_KEPT if kept else SPEECH_PRIVACY}_",
    ])


# --- progress over sessions ----------------------------------------------------------------------


def _when(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %H:%M}"


def _trend(scores: Sequence[int | None]) -> str:
    known = [s for s in scores if s is not None]
    if len(known) < 2:
        return "first time"
    change = known[-1] - known[-2]
    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
    return " → ".join(str(x) for x in known[-4:]) + f" ({arrow}{abs(change) if change else ''})"


def progress_view(p: Progress, heading: str = "## Your progress on this posting") -> str:
    """Progress over sessions: session scores, per requirement best, latest and trend, what next."""
    if p.empty:
        return "_No ended session on this posting yet._"
    count = len(p.sessions)
    lines = [
        f"{heading} ({count} session{'s' if count != 1 else ''})",
        "Session scores: " + " · ".join(f"{_when(pt.started_at)}: **{pt.score}**" for pt in p.sessions[-6:]),
        "",
        "| Requirement | Best | Latest | Trend |",
        "|---|---:|---:|---|",
    ]
    lines += [
        f"| {esc(t.requirement)} | {t.best} | {t.latest} | {_trend(t.scores)} |" for t in p.requirements
    ]
    if p.practise_next:
        lines += ["", "**Practise next** (weakest latest score first)"]
        lines += [f"- {esc(text)}" for text in p.practise_next]
    else:
        lines += ["", "Every requirement you answered is strong now: try a harder difficulty next."]
    return "\n".join(lines)


def _short(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def progress_figure(p: Progress) -> go.Figure:
    """Two panels: the session score over sessions, and per requirement its best and latest score."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    trends = list(reversed(p.requirements))  # weakest at the top of a horizontal bar chart
    fig = make_subplots(
        rows=2, cols=1, row_heights=[0.35, 0.65], vertical_spacing=0.14,
        subplot_titles=("Session score over sessions", "By requirement: best and latest"),
    )
    fig.add_trace(
        go.Scatter(
            x=[f"#{i} {_when(pt.started_at)}" for i, pt in enumerate(p.sessions, start=1)],
            y=[pt.score for pt in p.sessions], mode="lines+markers", name="Session score", line={"width": 3},
        ),
        row=1, col=1,
    )
    labels = [_short(t.requirement) for t in trends]
    fig.add_trace(
        go.Bar(y=labels, x=[t.best for t in trends], orientation="h", name="Best", opacity=0.35),
        row=2, col=1,
    )
    fig.add_trace(
        go.Bar(y=labels, x=[t.latest for t in trends], orientation="h", name="Latest"), row=2, col=1
    )
    fig.update_yaxes(range=[0, 100], row=1, col=1)
    fig.update_xaxes(range=[0, 100], row=2, col=1)
    fig.update_layout(
        barmode="overlay", height=260 + 26 * max(len(trends), 3),
        margin={"l": 10, "r": 10, "t": 40, "b": 30}, legend={"orientation": "h", "y": -0.08},
    )
    return fig


# --- the downloaded report -----------------------------------------------------------------------


def _md(value: object) -> str:
    """Untrusted text in the report (a Markdown file): as ``esc``, so it reads the same everywhere."""
    return esc(value)


def _report_head(r: SessionReport) -> list[str]:
    company = f" ({_md(r.company)})" if r.company else ""
    return [
        f"# Interview practice report: {_md(r.posting_title)}{company}",
        "",
        f"Session #{r.session_number} on this posting · report made {r.made_at:%d %b %Y %H:%M}",
        "",
        session_score_line(r.score, r.summary.answered),
    ]


def _report_item(item: ReportItem) -> list[str]:
    q, c = item.question, item.critique
    label = "Follow-up to question" if q.is_follow_up else "Question"
    retry = f" (attempt {item.attempt})" if item.attempt > 1 and not q.is_follow_up else ""
    s = c.subscores
    lines = [
        f"### {label} {item.number}{retry} · {_md(q.kind.value)} · {_md(q.difficulty.value)}",
        "",
        f"**Question:** {_md(q.text)}",
        "",
        "**Your answer:**",
        "",
        quote(item.answer),
        "",
        f"**Score {c.score}/100** ({_md(c.band)}): coverage {s.coverage} · relevance {s.relevance} · "
        f"specificity {s.specificity} · structure {s.structure} · results {s.results}",
    ]
    if c.caps:
        lines += ["", "Treated as a non-answer: " + "; ".join(_md(flag) for flag in c.caps)]
    if c.covered:
        lines += ["", "**Covered**"] + [f"- {_md(p.point)}: “{_md(p.evidence)}”" for p in c.covered]
    if c.missing:
        lines += ["", "**Missing**"] + [f"- {_md(point)}" for point in c.missing]
    if c.improvements:
        lines += ["", "**How to improve**"] + [f"{n}. {_md(t)}" for n, t in enumerate(c.improvements, 1)]
    if c.narrative.strip():
        lines += ["", esc_block(c.narrative)]
    if item.delivery is not None:
        lines += ["", delivery(item.delivery)]
    if not q.is_follow_up or item.reference.id != q.id:
        ref = item.reference
        lines += ["", model_answer(ref.model_answer or "(no model answer)", ref)]
    return lines


def _report_questions(r: SessionReport) -> list[str]:
    lines = ["", "## Every question and answer"]
    if not r.items:
        lines += ["", "_No answer was given._"]
    for item in r.items:
        lines += ["", *_report_item(item)]
    if r.skipped:
        lines += ["", "**Skipped**"] + [f"- {_md(q.text)}" for q in r.skipped]
    return lines


def _report_summary(r: SessionReport) -> list[str]:
    lines = ["", "## By requirement", "", "| Requirement | Kind | Best score | Attempts |",
             "|---|---|---:|---:|"]
    for row in r.summary.rows:
        kind = _md(row.requirement.kind.value)
        best = _best(row.best_score, row.asked, row.screening)
        lines.append(f"| {_md(row.requirement.text)} | {kind} | {best} | {row.attempts} |")
    for title, notes in (("Strongest", r.summary.strongest), ("To practise next", r.summary.weakest)):
        if notes:
            lines += ["", f"**{title}**"]
            lines += [f"- {_md(n.requirement)} ({n.score}): {_md(n.advice)}" for n in notes]
    return lines


def _report_delivery(r: SessionReport) -> list[str]:
    """Delivery over the session's spoken answers (none: no section)."""
    if r.summary.delivery is None:
        return []
    return ["", overview_markdown(r.summary.delivery)]


def _report_progress(r: SessionReport) -> list[str]:
    return ["", progress_view(r.progress, heading="## Progress against earlier sessions")]


REPORT_SECTIONS = (_report_head, _report_summary, _report_delivery, _report_progress, _report_questions)
"""The report's sections in order; a new one is a function of the report returning its lines."""


def report_markdown(r: SessionReport) -> str:
    """The downloadable report, section by section (``REPORT_SECTIONS``).

    Every question, the answer, the score with its parts, what was covered and missing, how a spoken
    answer was delivered, the model answer and guide, the summary, delivery over the session's spoken
    answers, and progress against earlier sessions.
    """
    lines: list[str] = []
    for section in REPORT_SECTIONS:
        lines += section(r)
    return "\n".join(lines) + "\n"


def report_filename(s: SessionSummary, number: int | None = None) -> str:
    """A safe file name for the downloadable report (with the session's number when given)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", s.posting_title).strip("-").lower()[:50] or "session"
    return f"interview-report-{slug}{f'-session-{number}' if number else ''}.md"
