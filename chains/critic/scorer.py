"""The deterministic rubric scorer: the score of record for an answer, with its evidence.

How an answer is scored (weights in ``prompts/rubric.yaml``, loaded once):

1. The model answer is split into key points (``chains.critic.keypoints``).
2. The answer is split into sentences (capped, so a 5 MB paste is cheap); short answers are also
   considered whole. All texts are encoded in one model pass (``chains.critic.vectors``): a sentence
   vector and contextual word vectors per text.
3. Each (key point, answer sentence) pair gets alignment features: sentence cosine, cosine with the
   question's direction removed, soft word recall and precision (each word matched to its closest word
   on the other side, BERTScore-style), with every word down-weighted by how closely it merely repeats
   a word of the question, and a negation mismatch. A logistic model (fitted on SemEval-2013 train)
   turns them into the probability that the sentence covers the point. The best sentence is the
   evidence; a point is covered when the probability reaches the difficulty's threshold. An offline
   model answer is a scaffold of placeholders, so its points also count by the story part they stand
   for (``chains.critic.parts``), shown as that part, when the answer is on the requirement's topic
   (or, for less, only the job's: the posting title).
4. Coverage is the mean credit over key points. Relevance, specificity, STAR structure and measured
   results are measured too; they weigh in only where the model answer itself shows them (a told
   story, a result), and only as far as coverage allows, so an off-topic story stays low.
5. Non-answers ("fine", "I don't know", the question repeated, a keyword list) are capped low.

Same input, same critique: no randomness, vectors rounded before any threshold.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from chains.critic import experience as xp
from chains.critic import features as tf
from chains.critic.card import tidy_card
from chains.critic.keypoints import key_points, point_facets
from chains.critic.language import is_english, not_english
from chains.critic.parts import ADVICE, Role, evidence, label, point_role
from chains.critic.rubric import RUBRIC_PATH, AdviceBelow, ExperienceRubric, Rubric, load_rubric
from chains.critic.vectors import Encoded, encode
from chains.models import CAP_FLAGS, CoveredPoint, Critique, Difficulty, Question, QuestionKind, SubScores
from chains.questions.fields import field_index
from core.text import content_stems, content_words, stem, words

FEATURE_NAMES = (
    "cos",
    "cos_beyond_question",
    "cos_question",
    "recall",
    "recall_sharp",
    "precision",
    "precision_sharp",
    "f1",
    "negation_mismatch",
    "novelty",
    "log_words",
)

__all__ = [
    "FEATURE_NAMES", "RUBRIC_PATH", "key_points", "load_rubric", "pair_features", "score_answer",
    "score_question",
]


TIE_TO_REQUIREMENT = "Tie the answer to the requirement the question is about, in its own words."
ADD_EXAMPLE = "Add one concrete example that shows the point in practice."
COVERED_ALL = "Every point a strong answer covers is there: say it as clearly and briefly in the interview."


def _word_similarity(left: Encoded, right: Encoded) -> np.ndarray:
    """Cosine of every word pair; the same stem counts as a perfect match."""
    sims = left.word_vectors @ right.word_vectors.T
    if len(left.stems) and len(right.stems):
        same = np.equal.outer(np.array(left.stems, dtype=object), np.array(right.stems, dtype=object))
        sims = np.where(same, 1.0, sims)
    return np.clip(sims, -1.0, 1.0)


def _novelty_weights(text: Encoded, question: Encoded | None) -> np.ndarray:
    """Per word, 1 minus its closest match in the question: repeating the question is no evidence."""
    if question is None or not question.words or not text.words:
        return np.ones(len(text.words))
    return 1.0 - np.clip(_word_similarity(text, question).max(axis=1), 0.0, 1.0)


def pair_features(point: Encoded, answer: Encoded, question: Encoded | None) -> np.ndarray:
    """Alignment features of one key point against one answer text, in ``FEATURE_NAMES`` order."""
    constants = load_rubric().alignment
    cos = float(point.vector @ answer.vector)
    if question is not None:
        qv = question.vector
        p = point.vector - float(point.vector @ qv) * qv
        a = answer.vector - float(answer.vector @ qv) * qv
        cos_beyond = float(p @ a / (np.linalg.norm(p) * np.linalg.norm(a) + 1e-9))
        cos_question = float(qv @ answer.vector)
    else:
        cos_beyond, cos_question = cos, 0.0
    negation = float(tf.has_negation(point.text) != tf.has_negation(answer.text))
    if not point.words or not answer.words:
        values = [cos, cos_beyond, cos_question, 0, 0, 0, 0, 0, negation, 0, 0]
        return np.round(np.array(values, dtype=np.float64), 4)
    point_weights = np.maximum(_novelty_weights(point, question), constants.min_point_weight)
    answer_weights = _novelty_weights(answer, question)
    sims = _word_similarity(point, answer)
    floor = constants.sharp_floor
    sharp = np.clip((sims - floor) / (1.0 - floor), 0.0, 1.0)
    recall = float((sims.max(axis=1) * point_weights).sum() / point_weights.sum())
    recall_sharp = float((sharp.max(axis=1) * point_weights).sum() / point_weights.sum())
    if answer_weights.sum() > constants.min_answer_weight:
        precision = float((sims.max(axis=0) * answer_weights).sum() / (answer_weights.sum() + 1e-6))
        precision_sharp = float((sharp.max(axis=0) * answer_weights).sum() / (answer_weights.sum() + 1e-6))
    else:
        precision = precision_sharp = 0.0
    f1 = 2 * recall * precision / (recall + precision + 1e-9)
    values = [
        cos, cos_beyond, cos_question, recall, recall_sharp, precision, precision_sharp, f1, negation,
        float(answer_weights.mean()), math.log1p(len(answer.words)),
    ]
    return np.round(np.array(values, dtype=np.float64), 4)


_Z_LIMIT = 30.0  # keeps exp() finite; the probability is 0 or 1 to 4 decimals well before it


def _probability(features: np.ndarray, rubric: Rubric) -> float:
    model = rubric.coverage_model
    weights = np.array([model.weights[name] for name in FEATURE_NAMES])
    z = float(features @ weights) + model.intercept
    return round(1.0 / (1.0 + math.exp(-max(-_Z_LIMIT, min(_Z_LIMIT, z)))), 4)


@dataclass(frozen=True)
class _Candidate:
    text: str  # verbatim from the answer
    encoded: Encoded


def _candidates(answer: str, rubric: Rubric) -> list[str]:
    sentences = tf.split_sentences(answer)[: rubric.max_answer_sentences]
    if 1 < len(sentences) <= rubric.structure.read_whole_up_to_sentences:
        sentences.append(answer)  # a short answer is also read whole, as one thought
    return sentences or [answer]


_CLAUSE = re.compile(r"[,;:]\s+|\s+(?:and|but|while|whether|so|because|then)\s+|\s+-+\s+")


def _clauses(sentence: str) -> list[str]:
    """A sentence's clauses of two words or more (none when the sentence is one clause)."""
    parts = [p.strip(" .?!") for p in _CLAUSE.split(sentence)]
    parts = [p for p in parts if len(p.split()) >= 2]
    return parts if len(parts) > 1 else []


def _clip100(value: float) -> int:
    return int(max(0, min(100, round(value))))


def _empty_critique(points: list[str], rubric: Rubric, flag: str, scaffold: bool) -> Critique:
    if scaffold:
        points = scaffold_labels(points)
        first = [ADVICE[point_role(points[0])]] if points else []
    else:
        first = [f"Start with the main point: {points[0]}"] if points else []
    return Critique(
        score=0,
        band=rubric.band(0),
        subscores=SubScores(coverage=0, relevance=0, specificity=0, structure=0, results=0),
        covered=[],
        missing=points,
        improvements=[
            "Give an answer: one concrete example of something you did that shows this skill.",
            *first,
        ],
        flags=[flag],
    )


def scaffold_labels(points: list[str]) -> list[str]:
    """A scaffold's key points as the parts shown to the candidate (``label``), in order."""
    roles = [point_role(point) for point in points]
    return [label(role, roles[: i + 1].count(role), roles.count(role)) for i, role in enumerate(roles)]


def score_answer(
    question: str,
    model_answer: str,
    answer: str,
    requirement: str | None = None,
    difficulty: Difficulty = Difficulty.MEDIUM,
    scaffold: bool = False,
    posting_title: str | None = None,
    kind: QuestionKind | str | None = None,
    guide: tuple[str, ...] | list[str] = (),
    competency_id: str | None = None,
) -> Critique:
    """Score an answer against the model answer's key points: the score of record, with evidence.

    ``scaffold`` says the model answer is the offline one built from the requirement
    (``model_answer_source == "offline"``): its points also count as covered by the story part they
    stand for (chains.critic.parts) when the answer is on the requirement's topic, and with less
    credit when it is only about the job (``posting_title``): a concrete story often shares few words
    with an abstract requirement. An answer near the posting's title is never capped as off-topic.
    Deterministic: the same arguments always give the same ``Critique``. ``narrative`` is left
    empty (the narrative is written on top of this evidence elsewhere).
    """
    rubric = load_rubric()
    difficulty = Difficulty(difficulty)
    level = difficulty.value
    judged_as = judge_kind(kind)
    guided = judged_as == "knowledge" and bool(guide)
    if guided:
        # The library's answer guide is the reference: its points are the key points, in its words.
        points, scaffold = [p.strip() for p in guide if p.strip()], False
    else:
        points = key_points(model_answer)
    text = answer.strip()
    if not text:
        empty = _empty_critique(points, rubric, "empty answer", scaffold)
        if judged_as == "experience":
            return empty_experience(rubric, kind, "empty answer")
        return empty
    listed = tf.looks_like_keyword_list(text) or tf.looks_like_bare_terms(text)
    if kind is not None and not listed and not is_english(text, rubric.min_english_share):
        return not_english(rubric, judged_as)
    if judged_as == "experience":
        return _score_experience(
            question, answer, text, requirement, difficulty, kind, posting_title, rubric, competency_id,
            tuple(guide),
        )
    if kind is not None and scaffold and not guide:
        # A technical question whose only reference is the requirement (the offline model answer is
        # placeholders): judged on its substance as far as it can be read without the answer.
        critique = _score_experience(
            question, answer, text, requirement, difficulty, "technical", posting_title, rubric
        )
        return critique.model_copy(update={"judged_as": "knowledge"})
    flags: list[str] = []
    if len(text) > rubric.max_answer_chars:
        text = text[: rubric.max_answer_chars]
        flags.append(f"long answer: only the first {rubric.max_answer_chars} characters were read")
    candidates = _candidates(text, rubric)
    if len(tf.split_sentences(text)) > rubric.max_answer_sentences:
        flags.append(f"long answer: only the first {rubric.max_answer_sentences} sentences were read")

    extra = [question] if question.strip() else []
    target = (requirement or "").strip() or question.strip()
    if target and target not in extra:
        extra.append(target)
    job = (posting_title or "").strip()
    if job and job not in extra:
        extra.append(job)
    facets = [point_facets(p, question) if guided else [] for p in points]
    flat = [f for fs in facets for f in fs]
    # A facet is a few words: it is read against each clause of a sentence too, which carries the same
    # few words without the rest of the sentence diluting them; the sentence is still the evidence.
    clauses = [(c, s) for s in candidates for c in _clauses(s)] if flat else []
    tail = [*flat, *(c for c, _ in clauses)]
    encoded = encode([*points, *candidates, *extra, *tail])
    point_enc = encoded[: len(points)]
    cand_enc = [_Candidate(c, e) for c, e in zip(candidates, encoded[len(points) :], strict=False)]
    by_text = {e.text: e for e in encoded[len(points) + len(candidates) : len(encoded) - len(tail)]}
    facet_enc = {e.text: e for e in encoded[len(encoded) - len(tail) : len(encoded) - len(clauses)]}
    sentence_of = {c.text: c for c in cand_enc}
    clause_enc = encoded[len(encoded) - len(clauses) :] if clauses else []
    facet_cands = [*cand_enc, *(_Candidate(s, e) for (_, s), e in zip(clauses, clause_enc, strict=True))]
    question_enc = by_text.get(question.strip()) if question.strip() else None
    target_enc = by_text.get(target) if target else None
    job_enc = by_text.get(job) if job else None

    if target_enc is not None:
        # The requirement only: an answer that repeats the question would be "relevant" to it.
        best_rel = max(float(c.encoded.vector @ target_enc.vector) for c in cand_enc)
        low, high = rubric.relevance_cosine.low, rubric.relevance_cosine.high
        relevance = _clip100(100 * (round(best_rel, 4) - low) / (high - low))
    else:
        best_rel, relevance = 0.0, 0
    by_role: dict[Role, list[_Candidate]] | None = None
    role_p, job_only = 0.0, False
    if scaffold:
        role_p, job_only = _scaffold_credit(cand_enc, [question_enc, target_enc], job_enc, rubric, level)
        by_role = _role_evidence(cand_enc, text) if role_p > 0 else {}

    # Coverage: each key point against every candidate sentence; the best one is the evidence.
    threshold = (rubric.guide_cover_threshold if guided else rubric.cover_threshold).at(level)
    full = (rubric.guide_credit_full if guided else rubric.credit_full).at(level)
    gamma = rubric.credit_gamma.at(level)
    covered: list[CoveredPoint] = []
    missing: list[str] = []
    credits: list[float] = []
    roles = [point_role(point) for point in points] if by_role is not None else []
    labels = scaffold_labels(points) if by_role is not None else points
    roles_seen: Counter[Role] = Counter()
    for i, penc in enumerate(point_enc):
        best_p, best = -1.0, cand_enc[0]
        for cand in cand_enc:
            p = _probability(pair_features(penc, cand.encoded, question_enc), rubric)
            if p > best_p:
                best_p, best = p, cand
        # A point already at full credit as a whole needs no facet: its own sentence is the evidence.
        for facet in facets[i] if best_p < full else ():
            for cand in facet_cands:
                p = _probability(pair_features(facet_enc[facet], cand.encoded, question_enc), rubric)
                if p > best_p:
                    best_p, best = p, sentence_of[cand.text]
        shown_as = labels[i]
        if by_role is not None:
            role = roles[i]
            roles_seen[role] += 1
            shown = by_role.get(role, [])
            # The k-th action point needs k actions; one reflection or trade-off covers them all.
            enough = len(shown) >= roles_seen[role] if role is Role.ACTION else bool(shown)
            if enough and role_p > best_p:
                best_p = role_p
                if role is Role.ACTION:
                    best = shown[min(roles_seen[role], len(shown)) - 1]
                else:  # a story ends with its result and lesson, and starts with its situation
                    best = shown[-1] if role in _TOLD_LAST else shown[0]
        credits.append(min(1.0, best_p / full) ** gamma)
        if best_p >= threshold:
            similarity = round(float(np.clip(penc.vector @ best.encoded.vector, -1, 1)), 4)
            covered.append(CoveredPoint(point=shown_as, evidence=best.text, similarity=similarity))
        else:
            missing.append(shown_as)
    coverage = _clip100(100 * float(np.mean(credits))) if credits else 0

    # The interview parts, measured on the answer.
    terms = {t.lower() for t in tf.specific_terms(text)}
    specificity = _clip100(100 * len(terms) / rubric.specific_terms_for_full.at(level))
    parts = tf.star_parts(text)
    structure = _clip100(rubric.structure.per_part * sum(parts.values()))
    number_only = rubric.structure.number_only_results
    results = 100 if tf.has_result(text) else (number_only if tf.numbers(text) else 0)
    if by_role and by_role.get(Role.RESULT):
        # Asked what one would do, "I would know it worked when ..." is the result a scaffold asks for.
        results = max(results, rubric.scaffold.told_result)
    subscores = SubScores(
        coverage=coverage, relevance=relevance, specificity=specificity, structure=structure, results=results
    )

    # An interview's knowledge question is judged by coverage of its reference: a story-shaped example
    # answer does not make it ask for a situation or a measured result.
    story = kind is None and tf.is_story(model_answer)
    weights = rubric.weights.at(level)
    active = {"coverage": weights.coverage}
    if requirement and requirement.strip() or story:
        active["relevance"] = weights.relevance
    if story:
        active["structure"] = weights.structure
        active["specificity"] = weights.specificity
    if story and tf.has_result(model_answer) or difficulty is Difficulty.HARD and story:
        active["results"] = weights.results
    gate = min(1.0, coverage / rubric.gate_coverage)
    values = subscores.model_dump()
    total = sum(
        w * (values[name] if name == "coverage" else values[name] * gate) for name, w in active.items()
    )
    score = _clip100(total / sum(active.values()))

    others = [*point_enc, *by_text.values()]
    nearest = max([float(c.encoded.vector @ o.vector) for c in cand_enc for o in others], default=0.0)
    score, flags = _apply_caps(
        score, text, question, question_enc, cand_enc, round(nearest, 4), rubric, flags,
        strict_lists=kind is not None,
    )
    critique = Critique(
        score=score,
        band=rubric.band(score),
        subscores=subscores,
        covered=covered,
        missing=missing,
        improvements=_improvements(
            text, missing, subscores, story, difficulty, flags, rubric.advice_below,
            advice=_missing_advice(missing) if scaffold else None, off_requirement=job_only,
        ),
        flags=flags,
        judged_as="knowledge",
    )
    return tidy_card(critique)


def judge_kind(kind: QuestionKind | str | None) -> str:
    """How an answer is judged: 'knowledge' (coverage of a reference) or 'experience' (the rubric).

    Technical questions, and rows with no kind (SemEval), are knowledge questions: their reference
    has the substance. Behavioural, situational and the posting's own questions ask for experience,
    where a different good story is as good as the sample, so no reference is compared.
    """
    if kind is None or str(kind) == "" or QuestionKind(str(kind)) is QuestionKind.TECHNICAL:
        return "knowledge"
    return "experience"


def score_question(question: Question, answer: str, posting_title: str | None = None) -> Critique:
    """The score of record for an answer to ``question``, with the inputs a session gives the scorer.

    The one mapping from a ``Question`` to ``score_answer``: the session's critique node, ``coach
    critique --posting``, the evaluation and the LLM's rubric tool all score through it. Module-level,
    so a ``functools.partial`` of it is picklable (the app scores in another process).
    """
    requirement = question.requirements[0].text if question.requirements else None
    return score_answer(
        question.text,
        question.model_answer,
        answer,
        requirement=requirement,
        difficulty=question.difficulty,
        scaffold=question.model_answer_source == "offline",
        posting_title=posting_title,
        kind=question.kind,
        # Only a library guide is content to cover; an outline built from the requirement names the
        # parts to tell, which the substance reading of a technical answer already looks for.
        guide=tuple(question.guide) if question.model_answer_source == "library" else (),
        competency_id=question.competency_id or None,
    )


_TOLD_LAST = (Role.RESULT, Role.REFLECTION, Role.TRADE_OFF)


def _scaffold_credit(
    candidates: list[_Candidate],
    topics: list[Encoded | None],
    job: Encoded | None,
    rubric: Rubric,
    level: str,
) -> tuple[float, bool]:
    """The probability a shown story part earns, and whether only the job (not the requirement) is near.

    Off the requirement's and the job's topic nothing counts: a well-told story about something else
    covers no point.
    """
    settings = rubric.scaffold
    bar = settings.topic_cosine

    def near(anchor: Encoded | None) -> bool:
        if anchor is None:
            return False
        return round(max(float(c.encoded.vector @ anchor.vector) for c in candidates), 4) >= bar

    if any(near(topic) for topic in topics):
        return settings.role_probability.at(level), False
    if near(job):
        return settings.job_only_probability.at(level), True
    return 0.0, False


def _role_evidence(candidates: list[_Candidate], whole: str) -> dict[Role, list[_Candidate]]:
    """For each story part, the answer sentences that show it (an action once per step it states).

    Sentences only: the whole short answer, read as one more candidate, would count every part twice.
    """
    shown: dict[Role, list[_Candidate]] = {}
    sentences = [c for c in candidates if c.text != whole] or candidates
    for cand in sentences:
        result = tf.has_result(cand.text)
        for role in Role:
            shown.setdefault(role, []).extend([cand] * evidence(role, cand.text, result))
    return shown


def _point_step(point: str, *, first: bool) -> str:
    """A missing key point as a next step; someone else's experience is compared, not copied."""
    if tf.is_own_experience(point):
        lead = "The model answer shows" if first else "It also shows"
        return f'{lead}: "{point}" Say what you did that compares.'
    return f'{"Cover the missing point" if first else "Also address"}: "{point}"'


def _missing_advice(missing: list[str]) -> list[str]:
    """Missing scaffold points as what to add (their own words are placeholders, not content)."""
    return list(dict.fromkeys(ADVICE[point_role(point)] for point in missing))


def _apply_caps(
    score: int,
    text: str,
    question: str,
    question_enc: Encoded | None,
    candidates: list[_Candidate],
    nearest: float,
    rubric: Rubric,
    flags: list[str],
    strict_lists: bool = False,
) -> tuple[int, list[str]]:
    """Non-answers score low whatever their keywords; each cap says why in ``flags``.

    ``strict_lists`` (interview questions, not the SemEval rows) also catches a keyword list written
    without commas ("Kubernetes Spark feature store ML platform").
    """
    caps = rubric.caps
    if tf.is_non_answer(text):
        return min(score, caps.non_answer), [*flags, "non-answer"]
    if question_enc is not None and _repeats_question(text, question, candidates, question_enc, rubric):
        return min(score, caps.repeats_question), [*flags, "repeats the question"]
    if tf.looks_like_keyword_list(text) or strict_lists and tf.looks_like_bare_terms(text):
        return min(score, caps.keyword_list), [*flags, "keyword list without sentences"]
    # Only a told story can be off-topic: a one-line factual answer far from the reference is simply
    # wrong, and coverage already ranks it; capping it would hide how wrong.
    long_enough = len(content_words(text)) >= rubric.off_topic_min_words
    if long_enough and nearest < rubric.off_topic_cosine:
        return min(score, caps.off_topic), [*flags, "off-topic"]
    return score, flags


def _repeats_question(
    text: str, question: str, candidates: list[_Candidate], question_enc: Encoded, rubric: Rubric
) -> bool:
    """The answer only restates the question: no word of its own, and close to the question as a whole.

    Short factual answers often reuse question words ("the bulb is in a closed path"), so the rule
    needs both: nothing new at all, and a restatement of the question, not a phrase from it.
    """
    answer_stems = content_stems(text)
    question_stems = content_stems(question)
    if not answer_stems or not question_stems or answer_stems - question_stems:
        return False
    # Small words carry answers too ("the same as", "more than one"): they must come from the question.
    glue = {"a", "an", "the", "is", "are", "was", "were", "be", "it", "this", "that", "i", "you", "to", "of",
            "and", "so", "well", "um", "my", "me", "tell", "about"}
    if {stem(w) for w in words(text)} - {stem(w) for w in words(question)} - glue:
        return False
    whole = max(float(c.encoded.vector @ question_enc.vector) for c in candidates)
    rule = rubric.repeats_question
    return len(answer_stems) >= rule.min_share * len(question_stems) and round(whole, 4) >= rule.cosine


def _improvements(
    text: str,
    missing: list[str],
    subscores: SubScores,
    story: bool,
    difficulty: Difficulty,
    flags: list[str],
    below: AdviceBelow,
    advice: list[str] | None = None,
    off_requirement: bool = False,
) -> list[str]:
    """Two or three concrete next steps, each derived from what the scorer found.

    ``advice`` replaces quoting the missing points when those are a scaffold's placeholders;
    ``off_requirement``: the answer is about the job but not about the requirement asked.
    """
    steps: list[str] = []
    if off_requirement:
        steps.append(TIE_TO_REQUIREMENT)
    if any(f in flags for f in ("non-answer", "repeats the question", "keyword list without sentences")):
        steps.append("Answer in full sentences with one real example: what the situation was, what you did.")
    if advice:
        steps.extend(advice[:2])
    elif missing:
        steps.append(_point_step(missing[0], first=True))
    mine, ours = tf.first_person_counts(text)
    interview = story or difficulty is Difficulty.HARD
    if interview and ours > 0 and mine == 0:
        steps.append("Say what you did yourself: use 'I' for your own actions, not only 'we'.")
    if interview and subscores.results < 100:
        steps.append(
            "End with a measured result: a number that shows the outcome "
            "(time saved, errors cut, users reached)."
        )
    if len(missing) > 1 and not advice:
        steps.append(_point_step(missing[1], first=False))
    if interview and subscores.structure < below.structure:
        steps.append("Tell it as STAR: the situation, your task, the actions you took, the result.")
    if interview and subscores.specificity < below.specificity:
        steps.append("Name concrete details: the tools, systems, sizes and people involved.")
    if len(steps) < 2 and subscores.relevance < below.relevance:
        steps.append(TIE_TO_REQUIREMENT)
    if len(steps) < 2 and missing:
        steps.append(ADD_EXAMPLE)
    elif len(steps) < 2 and not any(f in CAP_FLAGS for f in flags):
        # Nothing missing: asking for "one concrete example" would not be true of an answer that
        # made every point (a knowledge answer with its examples in it).
        steps.append(COVERED_ALL)
    # Keep order, drop duplicates, keep at most three.
    return list(dict.fromkeys(steps))[:3]


# --- experience questions: the interviewer's rubric (chains/critic/experience.py) -----------------


def _kind_name(kind: QuestionKind | str | None) -> str:
    if kind is not None and str(kind) in ("situational", "technical"):
        return str(kind)
    return "behavioural"


def empty_experience(rubric: Rubric, kind: QuestionKind | str | None, flag: str) -> Critique:
    """The card of an empty answer to an experience question: every part missing."""
    wanted = {"situational": xp.SITUATIONAL_PARTS, "technical": xp.TECHNICAL_PARTS}.get(
        _kind_name(kind), xp.BEHAVIOURAL_PARTS
    )
    return Critique(
        score=0,
        band=rubric.band(0),
        subscores=SubScores(coverage=0, relevance=0, specificity=0, structure=0, results=0),
        missing=[xp.LABELS[p] for p in wanted],
        improvements=[
            "Give an answer: one concrete example of something you did that shows this skill.",
            xp.ADVICE[wanted[0]],
        ],
        flags=[flag],
        judged_as="experience",
    )


SKIPS_SAFEGUARD = "skips or waves away a check or safeguard"


def _score_experience(
    question: str,
    raw_answer: str,
    text: str,
    requirement: str | None,
    difficulty: Difficulty,
    kind: QuestionKind | str | None,
    posting_title: str | None,
    rubric: Rubric,
    competency_id: str | None = None,
    guide: tuple[str, ...] = (),
) -> Critique:
    """Stages: read the topic sentence by sentence, find the parts, judge, cap, build the card."""
    settings = rubric.experience
    level = difficulty.value
    flags: list[str] = []
    if len(text) > rubric.max_answer_chars:
        text = text[: rubric.max_answer_chars]
        flags.append(f"long answer: only the first {rubric.max_answer_chars} characters were read")
    sentences = tf.split_sentences(text)
    if len(sentences) > rubric.max_answer_sentences:
        flags.append(f"long answer: only the first {rubric.max_answer_sentences} sentences were read")
    sentences = sentences[: rubric.max_answer_sentences] or [text]
    anchors_text = [t for t in dict.fromkeys([question.strip(), (requirement or "").strip()]) if t]
    # The topic's words are read from what the answer tells: a claim about oneself ("I am good at
    # machines.") repeats them and shows nothing.
    told = " ".join(s for s in sentences if not xp.self_claim(s))
    told = told if told and told != text else ""
    # A library question's guide says what its answers are about, in an interviewer's words: a
    # sentence close to it is on the question's topic though it shares few words with the question.
    notes = " ".join(p.strip() for p in guide if p.strip())
    extra = [*([told] if told else []), *([notes] if notes else [])]
    encoded = encode([*sentences, *anchors_text, text, *extra])
    whole = encoded[len(sentences) + len(anchors_text)]
    cand = list(zip(sentences, encoded[: len(sentences)], strict=True))
    anchors = list(encoded[len(sentences) : len(sentences) + len(anchors_text)])
    topic_anchors = [*anchors, encoded[-1]] if notes else anchors
    recall = xp.topic_recall(encoded[-2] if notes else encoded[-1], anchors)
    read = xp.read_topic(
        cand, topic_anchors, settings, whole=whole if len(sentences) > 1 else None, recall=recall
    )
    kind_name = _kind_name(kind)
    honest = kind_name == "behavioural" and xp.honest_plan(text)
    asked = frozenset(content_stems(f"{question} {requirement or ''}"))
    found = xp.read_parts(read, kind_name, text, settings, asked)
    if honest and found.own_steps < settings.story_steps:
        # "I haven't had one yet; I'd ..." with no story told: a plan. A story that says "I'd never
        # worked with either of them" along the way is still a story.
        found = xp.read_parts(read, "situational", text, settings, asked)
    else:
        honest = False
    found.recall = recall
    found.whole_topic = round(max((float(whole.vector @ a.vector) for a in topic_anchors), default=0.0), 4)
    if kind_name == "situational" and not honest and question.strip():
        found.scenario = round(float(whole.vector @ anchors[0].vector), 4)
    asked_terms = xp.named_terms(f"{question} {requirement or ''}")
    if asked_terms & {w.lower() for w in words(text)} | (asked_terms & xp.named_terms(text)):
        found.term_bonus = settings.term_bonus
    judged = xp.judge(found, settings, level)
    if judged.length_note:
        flags.append(judged.length_note)

    score = judged.score
    if honest:
        score = min(score, settings.caps["honest_plan"])
        flags.append(xp.HONEST_PLAN)
    elif found.told_past_example:
        flags.append(xp.PAST_EXAMPLE)
    question_enc = anchors[0] if anchors and anchors_text[0] == question.strip() else None
    candidates = [_Candidate(t, e) for t, e in cand]
    nearest = round(found.best_topic, 4)
    score, flags = _apply_caps(
        score, text, question, question_enc, candidates, 1.0, rubric, flags, strict_lists=True
    )
    capped = any(f in {"non-answer", "repeats the question", "keyword list without sentences"} for f in flags)
    topic = found.topic_score(settings.recall_weight)
    if found.kind == "technical":
        topic, below = found.recall, settings.technical_topic_recall.low
        if found.whole_topic >= settings.technical_whole_cosine:
            topic = below  # the answer as a whole is about the question
    else:
        below = settings.off_topic_below
    off = not any(s.on_topic for s in read) or topic < below
    off = off or (
        found.scenario is not None
        and found.scenario < settings.scenario_cosine.low
        and found.best_topic < settings.scenario_sentence_cosine
    )
    elsewhere = None
    if not off and competency_id and len(sentences) > 1:
        # A told story, read against the library's fields: one pasted from another job is off-topic.
        elsewhere = field_index().elsewhere(whole.vector, competency_id, settings.field)
        off = elsewhere is not None
    if not capped and off and len(content_words(text)) >= 3:
        score, flags = min(score, settings.caps["off_topic"]), [*flags, "off-topic"]
        capped = True
        _ = nearest
    if not capped and _restates_question(text, question):
        score, flags = min(score, rubric.caps.repeats_question), [*flags, "repeats the question"]
        capped = True
    if not capped and found.padding:
        score = min(round(score * settings.padding_factor), settings.caps["padding"])
        flags = [*flags, "padded with unrelated numbers or small talk"]
        capped = True
    if not capped and found.shortcuts:
        # One skipped safeguard costs a share of the score; two or more make it a weak answer.
        score = round(score * settings.shortcut_factor)
        if len(found.shortcuts) >= 2:
            score = min(score, settings.caps["shortcuts"])
            capped = True
        flags = [*flags, SKIPS_SAFEGUARD]
    if not capped and found.denies_requirement:
        flags = [*flags, "contradicts the requirement"]
        score = min(score, settings.caps["denies_requirement"])
        capped = True

    covered: list[CoveredPoint] = []
    missing: list[str] = []
    if not capped:
        for part in found.wanted:
            quote = found.evidence.get(part)
            label_ = xp.LABELS[part]
            if part is xp.Part.RESULT and quote is not None:
                label_ = xp.MEASURED_RESULT if found.measured else xp.OUTCOME
            if quote is None:
                missing.append(label_)
            else:
                enc = next(s.encoded for s in read if s.text == quote)
                sim = round(float(np.clip(max(float(enc.vector @ a.vector) for a in anchors), -1, 1)), 4)
                covered.append(CoveredPoint(point=label_, evidence=quote, similarity=sim))
    else:
        missing = [xp.LABELS[p] for p in found.wanted]
    steps = _experience_advice(found, judged, flags, capped, settings)
    if elsewhere is not None and "off-topic" in flags:
        steps = [
            f"This answer reads as being about {elsewhere.closest.lower()}, not {elsewhere.asked.lower()}: "
            "tell a story of your own about what the question asks.",
            *[step for step in steps if step != xp.ON_TOPIC],
        ]
    if steps == [KEEP_SHAPE] and rubric.band(score) != "strong":
        # Nothing is missing, yet the score is not strong: say what would lift it, not "keep this shape".
        steps = _thin_parts_advice(found, judged, settings)
    parts_score = judged.parts if not capped else 0
    subscores = SubScores(
        coverage=parts_score, relevance=judged.relevance, specificity=judged.specificity if not capped else 0,
        structure=parts_score, results=judged.results if not capped else 0,
    )
    critique = Critique(
        score=score, band=rubric.band(score), subscores=subscores, covered=covered, missing=missing,
        improvements=steps, flags=flags, judged_as="experience",
    )
    return tidy_card(critique)


_FILLER = frozenset(
    [
        "yes", "yeah", "so", "well", "okay", "ok", "that", "would", "be", "the", "situation", "good",
        "question", "happens", "then", "have", "you", "handle", "what", "how", "do", "i", "want", "find",
        "out",
    ]
)


def _restates_question(text: str, question: str) -> bool:
    """Most of the answer's own words are the question's: it restates the question, says nothing new.

    The strict rule in ``_apply_caps`` needs no new word at all; asked for a story, "Yes, that would be
    the situation, the pods restarting" adds only filler. At most a fifth of its content stems new.
    """
    answer_stems = content_stems(text) - {stem(w) for w in _FILLER}
    question_stems = content_stems(question)
    if len(answer_stems) < 4 or not question_stems:
        return False
    new = answer_stems - question_stems
    return len(new) <= 0.2 * len(answer_stems)


def _experience_advice(
    found: xp.Found, judged: xp.Judged, flags: list[str], capped: bool, settings: object
) -> list[str]:
    """Two or three next steps, each from what the rubric found missing or thin."""
    steps: list[str] = []
    if "contradicts the requirement" in flags:
        steps.append(
            "The role asks for this: tell one time you did it, or how you would do it, step by step."
        )
    if SKIPS_SAFEGUARD in flags:
        quote = _quote_around(found.shortcuts[0], xp.shortcut_at(found.shortcuts[0]) or 0)
        steps.append(f'"{quote}" skips or waves away a check: say what you would check or record instead.')
    if any(f.startswith("padded") for f in flags):
        steps.append("Leave out numbers and asides that are not about the work: they hide the evidence.")
    if xp.PAST_EXAMPLE in flags:
        steps.append(xp.PLAN_FROM_EXAMPLE)
    if "off-topic" in flags or found.on_topic_share < 0.5:
        steps.append(xp.ON_TOPIC)
    if any(f in flags for f in ("non-answer", "repeats the question", "keyword list without sentences")):
        steps.append("Answer in full sentences with one real example: what the situation was, what you did.")
    if not capped and xp.PAST_EXAMPLE not in flags:  # the plan advice above names the missing parts
        for part in found.wanted:
            if part not in found.evidence:
                steps.append(xp.ADVICE[part])
        if found.we_steps and found.own_steps <= found.we_steps:
            steps.append(xp.OWN_WORDS)
        if xp.Part.RESULT in found.evidence and not found.measured and found.kind != "situational":
            steps.append("Put a number on the result: how much it changed (time, errors, money, people).")
        if judged.specificity < 50:
            steps.append(xp.BE_SPECIFIC)
        if judged.length_note.startswith("short"):
            steps.append(xp.LONGER)
        elif judged.length_note.startswith("long"):
            steps.append(xp.SHORTER)
    if not steps:
        steps.append(KEEP_SHAPE)
    return list(dict.fromkeys(steps))[:3]


def _quote_around(sentence: str, at: int, width: int = 90) -> str:
    """At most ``width`` characters of a sentence, with the words at ``at`` in them.

    A long sentence quoted from its start would cut off the very words the advice is about.
    """
    if len(sentence) <= width:
        return sentence
    start = 0 if at < width - 40 else sentence.rfind(" ", 0, max(at - 30, 1)) + 1
    head = "..." if start > 0 else ""
    body = sentence[start:]
    return head + (body if len(head + body) <= width else body[: width - len(head) - 3].rstrip() + "...")


KEEP_SHAPE = "Keep this shape: practise saying it aloud in about two minutes."


def _thin_parts_advice(found: xp.Found, judged: xp.Judged, settings: ExperienceRubric) -> list[str]:
    """Advice for an answer that shows every part but thinly: more steps, more concrete detail."""
    steps: list[str] = []
    told = found.own_steps + settings.we_step_credit * found.we_steps
    needed = settings.technical_steps_for_full if found.kind == "technical" else settings.steps_for_full
    if told < needed:
        steps.append(
            "Take the interviewer through more of the steps, in order, each with its reason."
            if found.kind == "technical"
            else "Walk through more of what you did, step by step: each action and why you chose it."
        )
    if judged.specificity < 100:
        steps.append("Name more of the specifics (tools, terms, sizes, numbers): each one is evidence.")
    if judged.results < 100 and found.kind == "behavioural":
        steps.append("Put a number on the result: how much it changed (time, errors, money, people).")
    return steps[:3] or ["Tie it more closely to the question: name what it asks about, answer that head on."]
