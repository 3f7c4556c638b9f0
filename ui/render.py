"""Presentation for the browser app: models in, escaped Markdown (and a Plotly figure) out.

Nothing here scores, parses or prompts; it only lays out what the engine decided. Every piece of text
that came from a posting, an answer or a model is passed through ``esc`` (or ``esc_block``), so it
shows as text: ``<script>`` stays visible characters, ``[x](y)`` is not a link, ``# x`` not a heading.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from chains.models import Critique, Delivery, Question, SessionSummary
from chains.speech.delivery import fillers_line
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
    "on this machine, never sent anywhere."
)


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
        parts.append(f"**Choose a posting** ({total} stored): click one below, or type its number.")
        if shown is not None and total > shown:
            parts.append(f"Showing {shown} of {total}: type words from a title or company to filter.")
    parts += ["", postings_table(listed)]
    parts += ["", "Or **add a posting**: attach a .txt, .md, .html, .pdf or .docx file, or paste the text."]
    return "\n".join(parts)


def filter_result(query: str, matches: Sequence[PostingSummary], total: int) -> str:
    """The reply to typed filter words on the first screen."""
    if not matches:
        return (
            f"No posting matches **{esc(query)}** (of {total}). Try other words, or type a number, "
            "or add a posting."
        )
    return f"Postings matching **{esc(query)}** ({len(matches)} of {total}):\n\n" + postings_table(matches)


# --- adding a posting -----------------------------------------------------------------------------


def parsed_posting(posting: Posting, status: str = "added") -> str:
    """A freshly ingested posting as parsed: requirements grouped by kind and the Q&A pairs found."""
    head = f"### {esc(posting.title)}"
    meta = " · ".join(esc(part) for part in (posting.company, posting.location, posting.source) if part)
    verb = {"added": "Added", "unchanged": "Already stored", "replaced": "Updated"}.get(status, "Stored")
    lines = [head, f"{verb}{': ' + meta if meta else ''}", ""]
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


def model_answer(text: str, q: Question | None = None) -> str:
    """A model answer: what a strong answer covers (the guide, as a list), then the example answer.

    An offline outline (no competency matched) is the guide itself, so it is shown once, as the list.
    """
    source = {
        "library": "an example answer from the question library",
        "posting": "from the posting",
        "llm": "written by the LLM",
        "offline": "an outline built from the requirement",
        "edited": "edited",
    }
    head = "**Model answer**"
    if q is not None:
        head += f" ({source.get(q.model_answer_source, esc(q.model_answer_source))}) to: _{esc(q.text)}_"
    parts = [head]
    guide = list(q.guide) if q is not None else []
    if guide:
        parts.append("**What a strong answer covers**\n" + "\n".join(f"- {esc(point)}" for point in guide))
    if q is None or q.model_answer_source != "offline" or not guide:
        parts.append(("**Example answer**\n\n" if guide else "") + quote(text))
    return "\n\n".join(parts)


def notice(text: str) -> str:
    """A one-line notice from the engine."""
    return f"ℹ️ {esc(text)}"


def progress(answered: int, planned: int, scores: Sequence[int]) -> str:
    """One line of progress for a resumed session."""
    line = f"**Welcome back.** {answered} of {planned} questions answered"
    if scores:
        average = round(sum(scores) / len(scores))
        line += f"; scores so far: {', '.join(str(x) for x in scores)} (average {average})"
    return line + "."


# --- end of session -------------------------------------------------------------------------------


def summary(s: SessionSummary) -> str:
    """The session summary: overall score, a per-requirement table, strongest and weakest areas."""
    overall = "—" if s.overall_score is None else f"{s.overall_score}/100"
    lines = [
        f"## Session summary: {esc(s.posting_title)}",
        f"Overall **{overall}** over {s.answered} answered question{'s' if s.answered != 1 else ''}.",
        "",
        "| Requirement | Kind | Asked | Best score | Attempts |",
        "|---|---|:---:|---:|---:|",
    ]
    for row in s.rows:
        best = "—" if row.best_score is None else str(row.best_score)
        lines.append(
            f"| {esc(row.requirement.text)} | {esc(row.requirement.kind.value)} | "
            f"{'✓' if row.asked else ('screening' if row.screening else '')} | {best} | {row.attempts} |"
        )
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


def without_session(past: Sequence[Sequence[int]], scores: Sequence[int]) -> list[list[int]]:
    """Earlier sessions only: the ended session itself is the latest entry with its scores, if listed."""
    earlier = [list(p) for p in past]
    for index in range(len(earlier) - 1, -1, -1):
        if earlier[index] == list(scores):
            del earlier[index]
            break
    return earlier


def scores_figure(session_scores: Sequence[int], earlier: Sequence[Sequence[int]] = ()) -> go.Figure:
    """Scores over this session (and earlier sessions for the same posting) as a line chart."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for n, scores in enumerate(earlier, start=1):
        if scores:
            fig.add_trace(
                go.Scatter(
                    x=list(range(1, len(scores) + 1)),
                    y=list(scores),
                    mode="lines+markers",
                    name=f"Earlier session {n}",
                    opacity=0.45,
                )
            )
    fig.add_trace(
        go.Scatter(
            x=list(range(1, len(session_scores) + 1)),
            y=list(session_scores),
            mode="lines+markers",
            name="This session",
            line={"width": 3},
        )
    )
    for low, high, colour in (
        (0, 45, "rgba(220,53,69,0.08)"),
        (45, 75, "rgba(255,193,7,0.10)"),
        (75, 100, "rgba(40,167,69,0.10)"),
    ):
        fig.add_hrect(y0=low, y1=high, fillcolor=colour, line_width=0, layer="below")
    fig.update_layout(
        title="Scores over the session",
        xaxis_title="Answer",
        yaxis_title="Score",
        yaxis={"range": [0, 100]},
        xaxis={"dtick": 1},
        height=340,
        margin={"l": 40, "r": 20, "t": 50, "b": 40},
    )
    return fig


def report_filename(s: SessionSummary) -> str:
    """A safe file name for the downloadable report."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", s.posting_title).strip("-").lower()[:50] or "session"
    return f"interview-report-{slug}.md"
