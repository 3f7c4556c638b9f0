"""Which requirement to ask about next, as what kind of question, and the follow-up to an answer.

The planner covers one posting's requirements in a sensible, deterministic order:
- required items first, then responsibilities and skills mixed, then preferred items;
- within a tier, posting order, except that an item very like one of the last questions waits;
- near-duplicates ("Python programming" / "Programming in Python") are probed by one question that
  carries both requirements, so neither is asked again while others wait;
- no requirement is asked twice until all were asked (``asked``); then a new cycle starts;
- the posting's own Q&A pairs are asked, with their model answers, on the requirement they fit best.

It takes the requirements with their embeddings (from the store or ``knowledge.embeddings``) and
does not touch the store itself.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

import prompts
from chains.critic.keypoints import key_points
from chains.critic.parts import Role, point_role
from chains.critic.rubric import load_rubric
from chains.models import Critique, Difficulty, Question, QuestionKind
from chains.questions import wording
from chains.questions.model_answers import offline_model_answer
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


def _why(group: _Group, from_posting: bool) -> str:
    first = group.primary
    label = _LABEL.get(first.kind, "a requirement")
    text = f"Why this question: the posting asks for “{first.text.rstrip(' .;:')}” ({label})"
    if len(group.requirements) > 1:
        others = ", ".join(f"“{r.text.rstrip(' .;:')}”" for r in group.requirements[1:])
        text += f" and, in other words, {others}"
    if from_posting:
        text += "; the posting lists this question itself, with its answer"
    return text + "."


def _suitable(group: _Group, kinds: Sequence[QuestionKind]) -> list[QuestionKind]:
    """The template kinds that suit the group's phrase shape, best first, within ``kinds``."""
    form = normalise(group.primary.text, group.primary.kind).form
    suitable = [k for k in _KINDS_FOR_FORM[form] if k in kinds]
    return suitable or [k for k in _TEMPLATE_KINDS if k in kinds] or [QuestionKind.BEHAVIOURAL]


def _kind_for(group: _Group, kinds: Sequence[QuestionKind], used: Counter[QuestionKind]) -> QuestionKind:
    suitable = _suitable(group, kinds)
    # The least used suitable kind so far keeps a session mixed; ties go to the best fit.
    return min(suitable, key=lambda k: (used[k], suitable.index(k)))


def _build(
    posting_id: str,
    group: _Group,
    kind: QuestionKind,
    difficulty: Difficulty,
    variant: int | None = None,
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
    return Question(
        id=question_id(posting_id, requirement.text, kind, difficulty),
        text=wording.question_text(requirement, kind, difficulty, variant),
        kind=kind,
        difficulty=difficulty,
        requirements=list(group.requirements),
        why=_why(group, False),
        model_answer=offline_model_answer(requirement, kind, difficulty),
        model_answer_source="offline",
        posting_id=posting_id,
    )


def _skeleton(requirement: Requirement, kind: QuestionKind, difficulty: Difficulty, variant: int) -> str:
    """The opener a question uses, with the requirement blanked out (the closing sentence dropped)."""
    phrase = normalise(requirement.text, requirement.kind)
    text = wording.question_text(requirement, kind, difficulty, variant)
    for part in (phrase.topic, phrase.past, phrase.base):
        if part:
            text = text.replace(part, "…")
    sentences = re.split(r"(?<=[.?!])\s+", text)
    return " ".join(sentences[:-1]) if len(sentences) > 1 else text


def _fresh_variant(
    requirement: Requirement, kind: QuestionKind, difficulty: Difficulty, used: Counter[str]
) -> int:
    """The requirement's own opener unless the session already used that wording; then the least used."""
    start = wording.variant_for(requirement.text)
    candidates = range(start, start + 6)
    options = [(used[_skeleton(requirement, kind, difficulty, v)], v - start, v) for v in candidates]
    _, _, variant = min(options)
    used[_skeleton(requirement, kind, difficulty, variant)] += 1
    return variant


def plan_questions(
    posting: Posting,
    items: Sequence[tuple[Requirement, np.ndarray]],
    n: int,
    difficulty: Difficulty = Difficulty.MEDIUM,
    kinds: Collection[QuestionKind] = tuple(QuestionKind),
    asked: Collection[str] = (),
) -> list[Question]:
    """Plan the next ``n`` questions of a session about ``posting``.

    ``items`` are the posting's requirements with their embeddings. ``asked`` holds requirement
    texts or question ids already asked in this session: those wait until every requirement was
    asked once. ``kinds`` limits the question kinds; POSTING uses the posting's own Q&A pairs.
    Deterministic: the same input gives the same questions in the same order.
    """
    if n <= 0 or not items:
        return []
    wanted = [k for k in QuestionKind if k in set(kinds)] or list(QuestionKind)
    groups = _groups(items)
    if QuestionKind.POSTING in wanted:
        _attach_qa(posting, groups)
    if wanted == [QuestionKind.POSTING] and any(g.qa for g in groups):
        groups = [g for g in groups if g.qa]  # only the posting's own questions were asked for
    asked_keys = {_key_of_asked(a) for a in asked}
    asked_before = {id(g) for g in groups if g.keys & asked_keys}
    fresh = [g for g in groups if id(g) not in asked_before]

    plan: list[Question] = []
    made: list[tuple[_Group, list[QuestionKind]]] = []  # per question: its group and the kinds it may take
    used: Counter[QuestionKind] = Counter()
    skeletons: Counter[str] = Counter()  # template wording already used, topic blanked out
    context: list[np.ndarray] = []
    cycle = 0
    pool = fresh or groups
    while len(plan) < n:
        for group in _order(pool, context):
            if len(plan) >= n:
                break
            context.append(group.vector)
            qa = group.qa[cycle % len(group.qa)] if group.qa and QuestionKind.POSTING in wanted else None
            if qa is not None:
                plan.append(_build(posting.id, group, QuestionKind.POSTING, difficulty, qa=qa))
                made.append((group, []))
                used[QuestionKind.POSTING] += 1
                continue
            template_kinds = [k for k in wanted if k != QuestionKind.POSTING]
            kind = _kind_for(group, template_kinds, used)
            made.append((group, _suitable(group, template_kinds)))
            variant = _fresh_variant(group.primary, kind, difficulty, skeletons)
            plan.append(_build(posting.id, group, kind, difficulty, variant))
            used[kind] += 1
        pool = groups  # every requirement was asked: a new cycle over all of them
        cycle += 1
    return _grounded(plan, made, posting.id, difficulty)


def _grounded(
    plan: list[Question],
    made: list[tuple[_Group, list[QuestionKind]]],
    posting_id: str,
    difficulty: Difficulty,
) -> list[Question]:
    """Re-word any template question that drifted from its requirement: the closest wording wins.

    Two-word cores ("think creatively") and personal traits can give a question whose filler words
    outweigh the requirement; the other openers and kinds are tried and the closest one kept.
    """
    from knowledge.embeddings import embed  # lazy: loading the model costs seconds

    slots = [i for i, q in enumerate(plan) if q.kind != QuestionKind.POSTING]
    if not slots:
        return plan
    vectors = embed([plan[i].text for i in slots])
    for row, i in enumerate(slots):
        group, kinds = made[i]
        if float(vectors[row] @ group.vector) >= GROUNDED_THRESHOLD or not kinds:
            continue
        options = [(k, v) for k in kinds for v in range(3)]
        texts = [wording.question_text(group.primary, k, difficulty, v) for k, v in options]
        scores = embed(texts) @ group.vector
        kind, variant = options[int(np.argmax(scores))]
        plan[i] = _build(posting_id, group, kind, difficulty, variant)
    return plan


# --- other difficulty ----------------------------------------------------------------------------

_LEVELS = [Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD]


def _redo(question: Question, difficulty: Difficulty) -> Question:
    if difficulty == question.difficulty or not question.requirements:
        return question
    group = _Group(list(question.requirements), np.zeros(1, dtype=np.float32), 0, 0)
    kind = question.kind
    if kind == QuestionKind.POSTING:
        # The posting's question has one wording; another difficulty is asked with a template.
        kind = _kind_for(group, list(_TEMPLATE_KINDS), Counter())
    redone = _build(question.posting_id, group, kind, difficulty)
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


def _topic_for_follow_up(requirement: Requirement) -> str:
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
    if critique.caps:
        gap, point = "non_answer", ""
    elif critique.score >= load_rubric().bands.strong:  # strong: no follow-up needed
        return None
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
    topic = _topic_for_follow_up(question.requirements[0])
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


def _reference_for(model_answer: str, gap: str) -> str:
    """The model answer's sentence for a typed gap (the result, the example), else the whole answer."""
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
    }
    text = f"Follow-up: {reasons.get(gap, reasons['point'])}"
    if point:
        text += f" (“{point}”)"
    return text + "."
