"""The session summary: per requirement asked or not and the best score, strongest and weakest areas.

Built from the session's answered exchanges alone (no model call), so it is the same for the same
session. The Markdown copy escapes every text that came from a posting or an answer: no HTML passes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from chains.critic.features import is_own_experience
from chains.critic.parts import ADVICE, is_label, point_role
from chains.models import AreaNote, Critique, Delivery, Question, RequirementProgress, SessionSummary
from chains.speech.delivery import overview, overview_markdown
from knowledge.posting import Posting, Requirement
from prompts import render

_AREAS = 3


def _key(requirement: Requirement) -> tuple[str, int]:
    return (requirement.text, requirement.order)


def escape_markdown(text: str) -> str:
    """Text safe inside a Markdown table cell or line: HTML escaped, pipes and newlines defused."""
    flat = " ".join(str(text).split())
    return html.escape(flat, quote=False).replace("|", "\\|").replace("`", "\\`")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _advice_weak(critique: Critique) -> str:
    parts = []
    top = critique.missing[:2]
    said: set[str] = set()
    if top and all(is_label(point) for point in top):
        # An offline model answer's parts: name them, and skip the advice that restates them.
        parts.append("Practise adding " + " and ".join(_lower_first(p) for p in top) + ".")
        said = {ADVICE[point_role(point)] for point in top}
    elif top:
        # The model answer's own story is something to compare with, not to claim.
        own = is_own_experience(top[0])
        lead = "Practise comparing your own experience with" if own else "Practise covering"
        parts.append(f"{lead}: " + "; ".join(p.rstrip(".") for p in top) + ".")
    # The first improvement often restates the top missing point; only add one that says more.
    extra = next(
        (tip for tip in critique.improvements
         if tip not in said and not any(point.rstrip(".") in tip for point in top)),
        None,
    )
    if extra:
        parts.append(extra)
    return " ".join(parts) or "Answer it again with a concrete example and a measured result."


def _advice_strong(critique: Critique) -> str:
    lead = "Solid" if critique.band == "strong" else "Getting there"
    if critique.missing:
        point = critique.missing[0].rstrip(".")
        return f"{lead}; to make it complete, add: {_lower_first(point) if is_label(point) else point}."
    return f"{lead}; try it at a harder difficulty next."


def _screening(requirements: Sequence[Requirement]) -> dict[tuple[str, int], str]:
    """Why each screening item is not asked (a qualification no question fits needs the embeddings)."""
    from chains.questions.planner import screening_items
    from chains.questions.qualifications import is_qualification, screening_reason

    vectors = None
    if any(is_qualification(r) and not screening_reason(r) for r in requirements):
        from knowledge.embeddings import embed  # lazy: loading the model costs seconds

        vectors = embed([r.text for r in requirements])
    return {_key(r): reason for r, reason in screening_items(requirements, vectors)}


def best_by_requirement(answered: Sequence[tuple[Question, Critique]]) -> dict[str, int]:
    """The best score per answered requirement text (a follow-up's combined critique counts for it)."""
    best: dict[str, int] = {}
    for question, critique in answered:
        for requirement in question.requirements:
            best[requirement.text] = max(best.get(requirement.text, -1), critique.score)
    return best


def session_score(answered: Sequence[tuple[Question, Critique]]) -> int | None:
    """The session score, wherever a session's score is shown: mean of the best score per requirement.

    A retry or a follow-up improves a requirement's score; it does not add a second one,
    and a skipped question does not count. None when nothing was answered.
    """
    best: dict[tuple[str, int], int] = {}
    for question, critique in answered:
        for requirement in question.requirements:
            best[_key(requirement)] = max(best.get(_key(requirement), -1), critique.score)
    return round(sum(best.values()) / len(best)) if best else None


def build_summary(
    posting: Posting,
    answered: Sequence[tuple[Question, Critique]],
    asked: Sequence[Question] = (),
    deliveries: Sequence[Delivery | None] = (),
) -> SessionSummary:
    """The summary of a session: ``answered`` in the order given, ``asked`` includes skipped questions.

    A follow-up's critique is the combined critique of its question, so it counts for the same
    requirements. The overall score is ``session_score``.
    ``deliveries`` (one per answer, None where typed) add the delivery over the session; no score uses them.
    """
    best: dict[tuple[str, int], int] = {}
    attempts: dict[tuple[str, int], int] = {}
    latest: dict[tuple[str, int], Critique] = {}
    asked_keys = {_key(r) for q in asked for r in q.requirements}
    for question, critique in answered:
        for requirement in question.requirements:
            key = _key(requirement)
            asked_keys.add(key)
            if not question.is_follow_up:
                attempts[key] = attempts.get(key, 0) + 1
            if critique.score >= best.get(key, -1):
                best[key] = critique.score
                latest[key] = critique

    requirements = list(posting.requirements)
    known = {_key(r) for r in requirements}
    # Requirements a question probed that the posting no longer lists (re-parsed) still get a row.
    for question, _ in answered:
        for requirement in question.requirements:
            if _key(requirement) not in known:
                known.add(_key(requirement))
                requirements.append(requirement)

    screened = _screening(requirements)
    rows = [
        RequirementProgress(
            requirement=r,
            asked=_key(r) in asked_keys,
            best_score=best.get(_key(r)),
            attempts=attempts.get(_key(r), 0),
            screening="" if _key(r) in asked_keys else screened.get(_key(r), ""),
        )
        for r in requirements
    ]
    scored = [row for row in rows if row.best_score is not None]
    overall = session_score(answered)

    by_score = sorted(scored, key=lambda row: (-(row.best_score or 0), row.requirement.order))
    # A weak answer is no strength, however it ranks: with only weak answers there are none yet.
    fair_or_better = [row for row in by_score if latest[_key(row.requirement)].band != "weak"]
    top = fair_or_better[: min(_AREAS, (len(by_score) + 1) // 2)]
    strongest = [
        AreaNote(requirement=row.requirement.text, score=row.best_score or 0,
                 advice=_advice_strong(latest[_key(row.requirement)]))
        for row in top
    ]
    rest = [row for row in by_score if all(row is not chosen for chosen in top)]
    weakest = [
        AreaNote(requirement=row.requirement.text, score=row.best_score or 0,
                 advice=_advice_weak(latest[_key(row.requirement)]))
        for row in sorted(rest, key=lambda row: (row.best_score or 0, row.requirement.order))[:_AREAS]
    ]
    scores = [critique.score for _, critique in answered]
    answered_main = len({q.id for q, _ in answered if not q.is_follow_up})
    not_asked = [row.requirement.text for row in rows if not row.asked and not row.screening]
    screening = [row for row in rows if row.screening]

    markdown = render(
        "templates/session_summary",
        title=escape_markdown(posting.title or posting.id),
        company=escape_markdown(posting.company),
        overall=overall,
        answered=answered_main,
        scores=scores,
        rows=[
            {
                "requirement": escape_markdown(row.requirement.text),
                "kind": row.requirement.kind.value,
                "asked": "yes" if row.asked else ("screening" if row.screening else "no"),
                "best": "-" if row.best_score is None else str(row.best_score),
                "attempts": row.attempts,
            }
            for row in rows
        ],
        strongest=[_note_vars(note) for note in strongest],
        weakest=[_note_vars(note) for note in weakest],
        not_asked=[escape_markdown(text) for text in not_asked[:5]],
        more_not_asked=max(0, len(not_asked) - 5),
        screening=[
            {"requirement": escape_markdown(row.requirement.text), "reason": escape_markdown(row.screening)}
            for row in screening
        ],
    )
    delivery = overview(deliveries)
    if delivery is not None:
        markdown = markdown.rstrip("\n") + "\n\n" + overview_markdown(delivery) + "\n"
    return SessionSummary(
        delivery=delivery,
        posting_id=posting.id,
        posting_title=posting.title,
        overall_score=overall,
        answered=answered_main,
        rows=rows,
        strongest=strongest,
        weakest=weakest,
        scores_over_session=scores,
        markdown=markdown,
    )


def _note_vars(note: AreaNote) -> dict[str, object]:
    return {"requirement": escape_markdown(note.requirement), "score": note.score,
            "advice": escape_markdown(note.advice)}
