"""Which requirement to ask about next, as what kind of question, and the follow-up to an answer.

The planner covers one posting's requirements in a sensible, deterministic order:
- required items first, then responsibilities and skills mixed, then preferred items;
- within a tier, posting order, except that an item very like one of the last questions waits;
- near-duplicates ("Python programming" / "Programming in Python") are probed by one question that
  carries both requirements, so neither is asked again while others wait;
- no requirement is asked twice until all were asked (``asked``); then a new cycle starts;
- the posting's own Q&A pairs are asked, with their model answers, on the requirement they fit best;
- each question comes from the competency library when the requirement matches a competency, else it
  is built from the requirement (``chains.questions.compose``); a session spreads over competencies,
  kinds and openings;
- screening items (a degree "or equivalent", travel, application instructions: see
  ``chains.questions.qualifications``) are not asked; the first question's "why" says so;
- a new session on a posting practised before (``history``) starts from the requirements not yet
  asked, then those answered worst.

It takes the requirements with their embeddings (from the store or ``knowledge.embeddings``) and
does not touch the store itself.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

import prompts
from chains.critic.experience import LABELS as PART_LABELS
from chains.critic.experience import ON_TOPIC, Part
from chains.critic.keypoints import key_points
from chains.critic.parts import Role, point_role
from chains.critic.rubric import load_rubric
from chains.models import Critique, Difficulty, Question, QuestionKind
from chains.questions import compose, library, wording
from chains.questions.compose import Composed, Spread
from chains.questions.qualifications import UNCONFIRMED, is_qualification, screening_reason
from chains.questions.wording import PhraseForm, normalise
from knowledge.posting import Posting, QAPair, Requirement, RequirementKind

# Paraphrases of one item score 0.95+ with all-MiniLM-L6-v2, while the closest distinct items of the
# ten Google postings score at most 0.79 ("Establish partner performance criteria..." vs "Manage
# business performance of partners..."): 0.85 merges the first and keeps the second apart.
MERGE_THRESHOLD = 0.85
# An item this close to one of the last RECENT questions waits (its priority drops) so that
# consecutive questions differ; below it, posting order decides.
SIMILAR_FLOOR = 0.45
RECENT = 3
DIVERSITY_WEIGHT = 2.0
# A question is grounded when its wording is this close (cosine) to the requirement it probes. Measured
# on 208 questions of 15 postings: unrelated question-requirement pairs score 0.17 at the median and
# exceed 0.30 in 13% of cases, while 98% of planned questions reached it before this check (the rest:
# two-word cores such as "think creatively" and personal traits). See chains/evaluation/questions.py.
GROUNDED_THRESHOLD = 0.30
# A library question of another kind than the session's rotation asks for is taken only when it is
# this much closer to the line (cosine, with EXAMPLE_MARGIN for a question with its own example).
KIND_MARGIN = 0.06
# A posting question is tied to a requirement only when it is at least this related to it.
QA_MIN_SIMILARITY = 0.15

_TIER = {
    RequirementKind.REQUIRED: 0,
    RequirementKind.RESPONSIBILITY: 1,
    RequirementKind.SKILL: 1,
    RequirementKind.PREFERRED: 2,
}
_LABEL = {
    RequirementKind.REQUIRED: "a minimum qualification",
    RequirementKind.RESPONSIBILITY: "one of the role's responsibilities",
    RequirementKind.SKILL: "a key skill",
    RequirementKind.PREFERRED: "a preferred qualification",
}
# Which kinds of question suit each phrase shape, best first.
_KINDS_FOR_FORM = {
    PhraseForm.VERB: (QuestionKind.BEHAVIOURAL, QuestionKind.SITUATIONAL, QuestionKind.TECHNICAL),
    PhraseForm.NOUN: (QuestionKind.TECHNICAL, QuestionKind.BEHAVIOURAL, QuestionKind.SITUATIONAL),
    PhraseForm.TOOL: (QuestionKind.TECHNICAL, QuestionKind.SITUATIONAL, QuestionKind.BEHAVIOURAL),
    PhraseForm.TRAIT: (QuestionKind.BEHAVIOURAL, QuestionKind.SITUATIONAL),
    PhraseForm.EDUCATION: (QuestionKind.BEHAVIOURAL,),
    PhraseForm.LANGUAGE: (QuestionKind.BEHAVIOURAL, QuestionKind.SITUATIONAL),
    PhraseForm.LOGISTICS: (QuestionKind.SITUATIONAL,),
}
_TEMPLATE_KINDS = (QuestionKind.BEHAVIOURAL, QuestionKind.TECHNICAL, QuestionKind.SITUATIONAL)


@dataclass
class _Group:
    """Requirements probed by one question: a primary item and its near-duplicates."""

    requirements: list[Requirement]
    vector: np.ndarray
    tier: int
    order: int
    qa: list[QAPair] = field(default_factory=list)

    @property
    def primary(self) -> Requirement:
        return self.requirements[0]

    @property
    def keys(self) -> set[str]:
        return {requirement_key(r.text) for r in self.requirements}


def requirement_key(text: str) -> str:
    """Stable short key of a requirement's text (whitespace and case do not matter)."""
    return hashlib.sha256(" ".join(text.split()).lower().encode("utf-8")).hexdigest()[:10]


def question_id(posting_id: str, requirement_text: str, kind: QuestionKind, difficulty: Difficulty) -> str:
    """Same posting, requirement, kind and difficulty, same id; the requirement key is its 2nd part."""
    key = requirement_key(requirement_text)
    return f"{posting_id[:12] or 'posting'}-{key}-{kind.value}-{difficulty.value}"


def _key_of_asked(item: str) -> str:
    parts = item.split("-")
    if len(parts) >= 4 and len(parts[1]) == 10 and parts[-1] in {d.value for d in Difficulty}:
        return parts[1]
    return requirement_key(item)


def _unit(vector: np.ndarray) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float32).ravel()
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def _groups(items: Sequence[tuple[Requirement, np.ndarray]]) -> list[_Group]:
    ranked = sorted(items, key=lambda item: (_TIER.get(item[0].kind, 1), item[0].order, item[0].text))
    groups: list[_Group] = []
    seen: set[str] = set()
    for requirement, vector in ranked:
        key = requirement_key(requirement.text)
        if key in seen:
            continue  # the same line listed twice
        seen.add(key)
        unit = _unit(vector)
        twin = next((g for g in groups if float(g.vector @ unit) >= MERGE_THRESHOLD), None)
        if twin is not None:
            twin.requirements.append(requirement)
            continue
        groups.append(_Group([requirement], unit, _TIER.get(requirement.kind, 1), requirement.order))
    return groups


def _attach_qa(posting: Posting, groups: list[_Group]) -> None:
    """Tie each posting Q&A pair to the requirement it fits best, one pair per requirement first."""
    if not posting.qa_pairs or not groups:
        return
    from knowledge.embeddings import embed  # lazy: loading the model costs seconds

    questions = embed([qa.question for qa in posting.qa_pairs])
    sims = questions @ np.stack([g.vector for g in groups]).T
    pairs = sorted(
        ((float(sims[i, j]), i, j) for i in range(len(posting.qa_pairs)) for j in range(len(groups))),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    placed: set[int] = set()
    taken: set[int] = set()
    for sim, i, j in pairs:
        if i in placed or j in taken or sim < QA_MIN_SIMILARITY:
            continue
        groups[j].qa.append(posting.qa_pairs[i])
        placed.add(i)
        taken.add(j)
    # More pairs than requirements, or a pair close to an already-taken one: it waits for a later cycle.
    for i, qa in enumerate(posting.qa_pairs):
        if i not in placed:
            groups[int(np.argmax(sims[i]))].qa.append(qa)


def _score(position: float, group: _Group, recent: list[np.ndarray]) -> float:
    """Earlier in the posting scores higher; close to one of the last questions scores lower."""
    closest = max((float(group.vector @ v) for v in recent[-RECENT:]), default=0.0)
    return (1.0 - position) - DIVERSITY_WEIGHT * max(0.0, closest - SIMILAR_FLOOR)


def _formal(group: _Group) -> bool:
    form = normalise(group.primary.text, group.primary.kind).form
    return form in (PhraseForm.EDUCATION, PhraseForm.LOGISTICS)


def _order(groups: list[_Group], context: list[np.ndarray]) -> list[_Group]:
    """Tier by tier in posting order; an item too like one of the last questions waits its turn."""
    ordered: list[_Group] = []
    recent = list(context)
    for tier in sorted({g.tier for g in groups}):
        # Degrees, licences and logistics close their tier: a session opens on the work itself.
        tier_groups = [g for g in groups if g.tier == tier]
        pool = sorted(tier_groups, key=lambda g: (_formal(g), g.order, g.primary.text))
        rank = {id(g): i for i, g in enumerate(pool)}
        size = max(len(pool), 1)
        while pool:
            scored = [(_score(rank[id(g)] / size, g, recent), -rank[id(g)], g) for g in pool]
            best = max(scored, key=lambda t: (t[0], t[1]))[2]
            pool.remove(best)
            ordered.append(best)
            recent.append(best.vector)
    return ordered


def _why(group: _Group, from_posting: bool, composed: Composed | None = None) -> str:
    first = group.primary
    label = _LABEL.get(first.kind, "a requirement")
    text = f"Why this question: the posting asks for “{first.text.rstrip(' .;:')}” ({label})"
    if len(group.requirements) > 1:
        others = ", ".join(f"“{r.text.rstrip(' .;:')}”" for r in group.requirements[1:])
        text += f" and, in other words, {others}"
    if from_posting:
        text += "; the posting lists this question itself, with its answer"
    elif composed is not None and composed.competency_name:
        text += f"; interviewers probe it with questions on {composed.competency_name[:1].lower()}"
        text += composed.competency_name[1:]
    return text + "."


def _reason(requirement: Requirement, vector: np.ndarray | None) -> str:
    reason = screening_reason(requirement)
    # A licence, certificate or degree no library question fits (the match is not confirmed).
    unconfirmed = (
        not reason and vector is not None and is_qualification(requirement)
        and compose.choose_competency(requirement, vector, Spread()) is None
    )
    if unconfirmed:
        reason = UNCONFIRMED
    return reason


def screening_items(
    requirements: Sequence[Requirement], vectors: Sequence[np.ndarray] | np.ndarray | None = None
) -> list[tuple[Requirement, str]]:
    """The requirements a practice session does not ask about, each with the reason.

    With the requirements' ``vectors``, a qualification no library question fits is one too.
    """
    found = [(r, _reason(r, None if vectors is None else vectors[i])) for i, r in enumerate(requirements)]
    return [(r, reason) for r, reason in found if reason]


def _screening_note(screened: list[_Group]) -> str:
    if not screened:
        return ""
    named = [f"“{_short(g.primary.text)}” ({_reason(g.primary, g.vector)})" for g in screened[:2]]
    more = len(screened) - len(named)
    tail = f" and {more} more screening item{'s' if more > 1 else ''}" if more else ""
    return f" Not asked in this practice: {'; '.join(named)}{tail}; the summary lists them."


def _short(text: str, words: int = 8) -> str:
    parts = text.rstrip(" .;:").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _suitable(group: _Group, kinds: Sequence[QuestionKind]) -> list[QuestionKind]:
    """The template kinds that suit the group's phrase shape, best first, within ``kinds``."""
    form = normalise(group.primary.text, group.primary.kind).form
    suitable = [k for k in _KINDS_FOR_FORM[form] if k in kinds]
    return suitable or [k for k in _TEMPLATE_KINDS if k in kinds] or [QuestionKind.BEHAVIOURAL]


def _kind_for(group: _Group, kinds: Sequence[QuestionKind], used: Counter[QuestionKind]) -> QuestionKind:
    suitable = _suitable(group, kinds)
    # The least used suitable kind so far keeps a session mixed; ties go to the best fit.
    return min(suitable, key=lambda k: (used[k], suitable.index(k)))


def _compose(
    group: _Group,
    kind: QuestionKind,
    difficulty: Difficulty,
    spread: Spread,
    kinds: Sequence[QuestionKind] = (),
    library_kinds: Sequence[QuestionKind] = (),
) -> Composed:
    """The library question for the group's requirement, or one built from it when nothing matches.

    ``kinds``: the kinds that suit the line's shape (for a question built from it); ``library_kinds``:
    the other kinds the session may ask, which a library question may be of.

    A library question may be of any of these kinds: the fresh one closest to the line (``Composed.fit``)
    wins, the rotation's ``kind`` getting ``KIND_MARGIN`` of credit.
    """
    requirement = group.primary
    chosen = compose.choose_competency(requirement, group.vector, spread)
    if chosen is None:
        built = compose.from_requirement(requirement, kind, difficulty, spread)
        if spread.fresh(built.text):
            return built
        others = (compose.from_requirement(requirement, k, difficulty, spread) for k in kinds if k != kind)
        return next((o for o in others if spread.fresh(o.text)), built)
    competency, confidence = chosen
    vector = group.vector
    first = compose.from_library(requirement, competency, kind, difficulty, spread, confidence, vector=vector)
    # Every kind of the competency's questions is natural (they are written, not templated), so the
    # kind that keeps the session mixed gives way to another whose question is about the line: a
    # front office manager's "property management system" line was asked about an overbooked night
    # because the rotation wanted a behavioural question and the night-audit question is technical.
    kin = [
        compose.from_library(requirement, competency, other, difficulty, spread, confidence, vector=vector)
        for other in dict.fromkeys([*kinds, *library_kinds])
        if other != kind
    ]
    fresh = [o for o in [first, *kin] if spread.fresh(o.text)]
    if fresh:
        return max(fresh, key=lambda o: o.fit + (KIND_MARGIN if o.kind == kind else 0.0))
    # Nothing fresh (a second cycle over a short posting): the competency's questions of the other
    # levels are still its questions, better than a third "Describe a time" in one session.
    for level in _LEVELS:
        if level != difficulty:
            option = compose.from_library(
                requirement, competency, kind, level, spread, confidence, vector=vector
            )
            if spread.fresh(option.text):
                return option
    return min([first, *kin], key=lambda o: (o.text in spread.texts, spread.opening_used(o.text)))


def _build(
    posting_id: str,
    group: _Group,
    kind: QuestionKind,
    difficulty: Difficulty,
    composed: Composed | None = None,
    qa: QAPair | None = None,
) -> Question:
    requirement = group.primary
    if qa is not None:
        return Question(
            id=question_id(posting_id, requirement.text, QuestionKind.POSTING, difficulty),
            text=qa.question.strip(),
            kind=QuestionKind.POSTING,
            difficulty=difficulty,
            requirements=list(group.requirements),
            why=_why(group, True),
            model_answer=qa.model_answer.strip(),
            model_answer_source="posting",
            posting_id=posting_id,
        )
    composed = composed or _compose(group, kind, difficulty, Spread())
    return Question(
        id=question_id(posting_id, requirement.text, composed.kind, difficulty),
        text=composed.text,
        kind=composed.kind,
        difficulty=difficulty,
        requirements=list(group.requirements),
        why=_why(group, False, composed),
        model_answer=composed.model_answer,
        model_answer_source=composed.source,
        competency_id=composed.competency_id,
        guide=list(composed.guide),
        posting_id=posting_id,
    )


def plan_questions(
    posting: Posting,
    items: Sequence[tuple[Requirement, np.ndarray]],
    n: int,
    difficulty: Difficulty = Difficulty.MEDIUM,
    kinds: Collection[QuestionKind] = tuple(QuestionKind),
    asked: Collection[str] = (),
    history: Mapping[str, int | None] | None = None,
) -> list[Question]:
    """Plan the next ``n`` questions of a session about ``posting``.

    ``items`` are the posting's requirements with their embeddings. ``asked`` holds requirement
    texts or question ids already asked in this session: those wait until every requirement was
    asked once. ``kinds`` limits the question kinds; POSTING uses the posting's own Q&A pairs.
    ``history`` maps requirement keys (``requirement_key``) asked in earlier sessions on this
    posting to their best score (None: asked, not answered): a new session starts from the
    requirements not in it, then the lowest scores. Screening items are not asked.
    Deterministic: the same input gives the same questions in the same order.
    """
    if n <= 0 or not items:
        return []
    wanted = [k for k in QuestionKind if k in set(kinds)] or list(QuestionKind)
    every = _groups(items)
    screened = [g for g in every if _reason(g.primary, g.vector)]
    groups = [g for g in every if g not in screened]
    if not groups:
        return []  # only screening items: nothing to practise (the caller says so)
    if QuestionKind.POSTING in wanted:
        _attach_qa(posting, groups)
    if wanted == [QuestionKind.POSTING] and any(g.qa for g in groups):
        groups = [g for g in groups if g.qa]  # only the posting's own questions were asked for
    asked_keys = {_key_of_asked(a) for a in asked}
    asked_before = {id(g) for g in groups if g.keys & asked_keys}
    fresh = [g for g in groups if id(g) not in asked_before]
    past = dict(history or {})

    plan: list[Question] = []
    used: Counter[QuestionKind] = Counter()
    spread = Spread(families=compose.home_families([g.vector for g in groups]))
    context: list[np.ndarray] = []
    cycle = 0
    pool = fresh or groups
    while len(plan) < n:
        for group in _by_history(_order(pool, context), past if cycle == 0 else {}):
            if len(plan) >= n:
                break
            context.append(group.vector)
            qa = group.qa[cycle % len(group.qa)] if group.qa and QuestionKind.POSTING in wanted else None
            if qa is not None:
                plan.append(_build(posting.id, group, QuestionKind.POSTING, difficulty, qa=qa))
                spread.note(plan[-1].text)
                used[QuestionKind.POSTING] += 1
                continue
            template_kinds = [k for k in wanted if k != QuestionKind.POSTING]
            kind = _kind_for(group, template_kinds, used)
            suitable = _suitable(group, template_kinds)
            composed = _grounded(group, kind, suitable, difficulty, spread, template_kinds)
            spread.take(composed)
            plan.append(_build(posting.id, group, composed.kind, difficulty, composed))
            used[composed.kind] += 1
        pool = groups  # every requirement was asked: a new cycle over all of them
        cycle += 1
    if plan and screened:
        plan[0] = plan[0].model_copy(update={"why": plan[0].why + _screening_note(screened)})
    return plan


def _by_history(ordered: list[_Group], past: Mapping[str, int | None]) -> list[_Group]:
    """Requirements no earlier session asked keep their order and come first; then the worst answered."""
    if not past:
        return ordered

    def score(group: _Group) -> float:
        scores = [past[k] for k in group.keys if k in past]
        known = [s for s in scores if s is not None]
        return min(known) if known else -1.0  # asked but never answered: first of the asked ones

    new = [g for g in ordered if not (g.keys & past.keys())]
    seen = sorted((g for g in ordered if g.keys & past.keys()), key=score)  # stable: posting order on ties
    return new + seen


def _grounded(
    group: _Group,
    kind: QuestionKind,
    kinds: list[QuestionKind],
    difficulty: Difficulty,
    spread: Spread,
    library_kinds: Sequence[QuestionKind] = (),
) -> Composed:
    """The question for ``group``, re-worded when it drifted from its requirement: the closest wins.

    A library question is grounded through its match: the requirement is close to how postings
    phrase that competency (``library.MATCH_THRESHOLD``), and the question is one interviewers ask
    about it; its own words need not echo the posting's line ("Give me an example of when you said
    no to a task because it was outside your competence" for a nursing licence scores 0.02 against
    it). A question built from the requirement must stay close to it: two-word cores ("think
    creatively") give questions whose filler outweighs the requirement, so below GROUNDED_THRESHOLD
    the other openers of every suitable kind are tried and the closest kept (fresh openings first).
    """
    from knowledge.embeddings import embed  # lazy: loading the model costs seconds

    first = _compose(group, kind, difficulty, spread, kinds, library_kinds)
    if first.source == "library":
        return first  # grounded through the match (see the docstring)
    if float(embed([first.text])[0] @ group.vector) >= GROUNDED_THRESHOLD:
        return first
    options = [
        compose.from_requirement(group.primary, option_kind, difficulty, spread, variant)
        for option_kind in dict.fromkeys([kind, *kinds])
        for variant in range(3)
    ]
    scores = [float(x) for x in embed([o.text for o in options]) @ group.vector]

    def rank(item: tuple[Composed, float]) -> tuple[bool, bool, float]:
        option, similarity = item
        fresh = spread.fresh(option.text)
        return similarity >= GROUNDED_THRESHOLD, fresh, similarity

    return max(zip(options, scores, strict=True), key=rank)[0]


# --- other difficulty ----------------------------------------------------------------------------

_LEVELS = [Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD]


def _redo(question: Question, difficulty: Difficulty) -> Question:
    if difficulty == question.difficulty or not question.requirements:
        return question
    group = _Group(list(question.requirements), np.zeros(1, dtype=np.float32), 0, 0)
    kind = question.kind
    if kind == QuestionKind.POSTING:
        # The posting's question has one wording; another difficulty is asked from the library.
        kind = _kind_for(group, list(_TEMPLATE_KINDS), Counter())
    competency = library.library_index().by_id(question.competency_id) if question.competency_id else None
    if competency is None and question.kind == QuestionKind.POSTING:
        from knowledge.embeddings import embed  # lazy: loading the model costs seconds

        group.vector = embed([group.primary.text])[0]
        chosen = compose.choose_competency(group.primary, group.vector, Spread())
        competency = chosen[0] if chosen else None
    spread = Spread(texts={question.text})
    composed = (
        compose.from_library(group.primary, competency, kind, difficulty, spread)
        if competency is not None
        else compose.from_requirement(group.primary, kind, difficulty, spread)
    )
    redone = _build(question.posting_id, group, kind, difficulty, composed)
    return redone.model_copy(update={"is_follow_up": question.is_follow_up, "parent_id": question.parent_id})


def harder(question: Question) -> Question:
    """The same requirement one level harder (hard stays hard): new wording and model answer."""
    return _redo(question, _LEVELS[min(_LEVELS.index(question.difficulty) + 1, len(_LEVELS) - 1)])


def easier(question: Question) -> Question:
    """The same requirement one level easier (easy stays easy): new wording and model answer."""
    return _redo(question, _LEVELS[max(_LEVELS.index(question.difficulty) - 1, 0)])


# --- follow-ups ----------------------------------------------------------------------------------

LOW_SUBSCORE = 50


_SCAFFOLD_GAPS = {
    Role.EXPERIENCE: "example",
    Role.SITUATION: "situation",
    Role.ACTION: "action",
    Role.RESULT: "result",
    Role.REFLECTION: "reflection",
    Role.TRADE_OFF: "tradeoff",
}


def _gap_type(point: str) -> str:
    low = point.lower()
    checks = (
        ("tradeoff", ("trade-off", "tradeoff", "larger scale", "ten times the scale", "rather than",
                      "instead of")),
        ("reflection", ("looking back", "learned", "lesson", "differently", "next time", "in hindsight")),
        ("result", ("result", "percent", "%", "increase", "reduc", "improv", "saved", "grew", "metric",
                    "revenue", "faster", "cut ")),
        ("situation", ("example", "situation", "project where", "one time", "previous role", "last role")),
        ("action", ("i planned", "i led", "i took", "myself", "my own", "i built", "i designed", "i would")),
    )
    for name, cues in checks:
        if any(cue in low for cue in cues):
            return name
    return "point"


def _topic_for_follow_up(requirement: Requirement, competency_id: str = "") -> str:
    competency = library.library_index().by_id(competency_id) if competency_id else None
    if competency is not None:
        return competency.name[:1].lower() + competency.name[1:]
    phrase = normalise(requirement.text, requirement.kind)
    if phrase.form == PhraseForm.TRAIT:
        return f"being {phrase.topic}"
    if phrase.form in (PhraseForm.EDUCATION, PhraseForm.LOGISTICS):
        return "this requirement"
    if phrase.form == PhraseForm.LANGUAGE:
        return f"working in {phrase.topic}"
    return phrase.topic


def follow_up(question: Question, critique: Critique) -> Question | None:
    """One follow-up probing exactly the answer's gap, or None when the answer is fine.

    The gap is, in order: a non-answer (asked again for one real example), the top missing key
    point of the model answer, then a missing concrete example, then a missing measured result.
    A follow-up is not followed up again.
    """
    if question.is_follow_up or not question.requirements:
        return None
    missing = [m for m in critique.missing if m.strip()]
    reference = ""
    if question.kind is QuestionKind.TECHNICAL and critique.score < load_rubric().bands.strong:
        # A knowledge question is followed up on its substance, never with a request for a story.
        gap, point = _knowledge_gap(critique, missing, question.model_answer_source)
    elif critique.caps:
        gap, point = "non_answer", ""
    elif critique.score >= load_rubric().bands.strong:  # strong: no follow-up needed
        return None
    elif ON_TOPIC in critique.improvements:
        gap, point = "topic", ""  # the parts were there, but the answer was mostly about something else
    elif missing and question.model_answer_source == "offline":
        # A scaffold's sentences are placeholders: ask for the story part, never quote them.
        role = point_role(missing[0])
        gap, point = _SCAFFOLD_GAPS[role], ""
        # The scaffold's own sentence for that part stays the follow-up's reference.
        reference = next((p for p in key_points(question.model_answer) if point_role(p) is role), "")
    elif missing:
        point = missing[0].strip()
        gap = _gap_type(point)
    elif critique.subscores.specificity < LOW_SUBSCORE:
        gap, point = "example", ""
    elif critique.subscores.results < LOW_SUBSCORE:
        gap, point = "result", ""
    else:
        return None
    if question.kind is QuestionKind.SITUATIONAL:
        # Asked what they would do, a person is followed up on the plan, never asked for a past story
        # (the critique of the follow-up judges a plan too).
        gap = _plan_gap(gap, point)
    topic = _topic_for_follow_up(question.requirements[0], question.competency_id)
    text = wording.tidy(prompts.render("templates/follow_up", gap=gap, topic=topic, point=point))
    reference = reference or point or _reference_for(question.model_answer, gap)
    digest = hashlib.sha256(f"{gap}|{point}".encode()).hexdigest()[:8]
    return Question(
        id=f"{question.id}-fu-{digest}",
        text=text,
        kind=question.kind,
        difficulty=question.difficulty,
        requirements=list(question.requirements),
        why=_follow_up_why(gap, point),
        model_answer=reference,
        model_answer_source=question.model_answer_source if point else "offline",
        is_follow_up=True,
        posting_id=question.posting_id,
        parent_id=question.id,
    )


_PLAN_GAPS = {
    "non_answer": "s_again", "topic": "s_again", "example": "s_steps", "situation": "s_steps",
    "action": "s_steps", "result": "s_check", "reflection": "s_risk", "tradeoff": "s_risk",
}


def _plan_gap(gap: str, point: str) -> str:
    """The follow-up gap of a situational answer: the plan's steps, people, risks or check."""
    if gap == "point":
        low = point.lower()
        cues_to_gap = (
            (("involve", "people", "inform"), "s_people"),
            (("risk", "trade-off", "fail"), "s_risk"),
            (("check", "measure", "worked", "know it"), "s_check"),
            (("action", "plan", "step"), "s_steps"),
        )
        for cues, plan in cues_to_gap:
            if any(c in low for c in cues):
                return plan
        return "s_point"
    return _PLAN_GAPS.get(gap, gap)


_KNOWLEDGE_PARTS = {
    PART_LABELS[Part.METHOD]: "steps",
    PART_LABELS[Part.REASONS]: "why",
    PART_LABELS[Part.DETAIL]: "detail",
}


def _knowledge_gap(critique: Critique, missing: list[str], source: str) -> tuple[str, str]:
    """The gap of a knowledge answer: start again, a missed point of the guide, the why, the detail."""
    if critique.caps:
        return "k_again", ""
    if missing:
        part = _KNOWLEDGE_PARTS.get(missing[0])
        if part is not None:
            return f"k_{part}", ""
        if source != "offline":
            return "k_point", missing[0].strip()
    return "k_detail", ""


def _reference_for(model_answer: str, gap: str) -> str:
    """The model answer's sentence for a typed gap (the result, the example), else the whole answer."""
    if gap.startswith("k_") or gap == "topic":
        return model_answer  # the substance, or the whole answer to the question asked
    split = model_answer.replace("? ", "?\n").replace(". ", ".\n").splitlines()
    sentences = [s.strip() for s in split if s.strip()]
    wanted = "result" if gap == "result" else "situation"
    for sentence in sentences:
        if _gap_type(sentence) == wanted:
            return sentence
    return model_answer


def _follow_up_why(gap: str, point: str) -> str:
    reasons = {
        "non_answer": "your answer did not yet give a real example",
        "example": "your answer stayed general; a concrete example shows the skill",
        "result": "your answer did not say what came of it",
        "tradeoff": "your answer did not cover the trade-offs",
        "reflection": "your answer did not say what you learned",
        "situation": "your answer did not describe a concrete situation",
        "action": "your answer did not make clear what you did yourself",
        "point": "your answer missed a point a strong answer makes",
        "topic": "most of your answer was about something other than what was asked",
        "k_again": "your answer did not yet explain how it is done",
        "k_steps": "your answer did not yet walk through how it is done",
        "k_why": "your answer did not say why each step is done",
        "k_detail": "your answer stayed general; the tools, terms and numbers show you know it",
        "k_point": "your answer missed a point a strong answer makes",
        "s_again": "your answer did not yet say what you would do in this situation",
        "s_steps": "your answer did not yet set out what you would do, step by step",
        "s_people": "your answer did not say who you would involve",
        "s_risk": "your answer did not say what could go wrong",
        "s_check": "your answer did not say how you would know it had worked",
        "s_point": "your answer missed a point a strong answer makes",
    }
    text = f"Follow-up: {reasons.get(gap, reasons['point'])}"
    if point:
        text += f" (“{point}”)"
    return text + "."
