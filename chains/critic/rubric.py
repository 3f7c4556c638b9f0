"""The rubric (``prompts/rubric.yaml``) as a typed model, validated when it is loaded.

Every number the scorer decides with lives in the file; this model is its schema. A missing,
misspelled or unknown key fails at once with ``RubricError`` naming the key, so a typo cannot
silently fall back to a default and change scores. The app and the CLI load it at start.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.errors import SetupError

RUBRIC_PATH = Path(__file__).resolve().parents[2] / "prompts" / "rubric.yaml"


class RubricError(SetupError):
    """The rubric file is missing, malformed or has a wrong key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ByDifficulty(_Strict):
    """One value per difficulty."""

    easy: float
    medium: float
    hard: float

    def at(self, level: str) -> float:
        """The value for ``level`` ('easy', 'medium' or 'hard')."""
        return float(getattr(self, level))


class CoverageModel(_Strict):
    """Logistic model: probability that one answer sentence covers one key point."""

    fitted_on: str
    intercept: float
    weights: dict[str, float]


class Weights(_Strict):
    """Weights of the sub-scores in the overall score."""

    coverage: float = Field(ge=0)
    relevance: float = Field(ge=0)
    specificity: float = Field(ge=0)
    structure: float = Field(ge=0)
    results: float = Field(ge=0)


class WeightsByDifficulty(_Strict):
    """Sub-score weights per difficulty."""

    easy: Weights
    medium: Weights
    hard: Weights

    def at(self, level: str) -> Weights:
        """The weights for ``level``."""
        return getattr(self, level)  # type: ignore[no-any-return]


class Band(_Strict):
    """Low and high ends of a linear scale."""

    low: float
    high: float


class Scaffold(_Strict):
    """Credit for story parts against an offline model answer."""

    role_probability: ByDifficulty
    job_only_probability: ByDifficulty
    topic_cosine: float
    told_result: int = Field(ge=0, le=100)


class Bands(_Strict):
    """Score bands shown on the card."""

    strong: int = Field(ge=0, le=100)
    fair: int = Field(ge=0, le=100)


class Caps(_Strict):
    """Highest score of each kind of non-answer."""

    non_answer: int = Field(ge=0, le=100)
    repeats_question: int = Field(ge=0, le=100)
    keyword_list: int = Field(ge=0, le=100)
    off_topic: int = Field(ge=0, le=100)


class Alignment(_Strict):
    """Constants of the alignment features (``pair_features``)."""

    sharp_floor: float = Field(ge=0, lt=1)
    min_point_weight: float = Field(gt=0)
    min_answer_weight: float = Field(ge=0)


class RepeatsQuestion(_Strict):
    """When an answer only restates the question."""

    min_share: float = Field(gt=0, le=1)
    cosine: float = Field(gt=0, le=1)


class Structure(_Strict):
    """How the story and result sub-scores are measured."""

    per_part: int = Field(ge=0, le=100)
    number_only_results: int = Field(ge=0, le=100)
    read_whole_up_to_sentences: int = Field(ge=1)


class AdviceBelow(_Strict):
    """Sub-scores under which the card advises working on that part."""

    specificity: int = Field(ge=0, le=100)
    structure: int = Field(ge=0, le=100)
    relevance: int = Field(ge=0, le=100)


class PartWeights(_Strict):
    """Weights of the parts of a strong answer (each kind uses its own four) and of parts vs specificity."""

    situation: float = Field(ge=0)
    actions: float = Field(ge=0)
    result: float = Field(ge=0)
    reflection: float = Field(ge=0)
    plan: float = Field(ge=0)
    people: float = Field(ge=0)
    risks: float = Field(ge=0)
    check: float = Field(ge=0)
    method: float = Field(ge=0)
    reasons: float = Field(ge=0)
    detail: float = Field(ge=0)
    parts: float = Field(gt=0)
    specificity: float = Field(ge=0)


class FieldRubric(_Strict):
    """When an answer reads as being about another field of the library (chains/questions/fields.py)."""

    rank_over: int = Field(ge=1)  # the asked competency is not among this many closest profiles
    gap_over: float = Field(ge=0)  # and the closest profile is this much closer than the asked one
    neighbour_cosine: float = Field(ge=0, le=1)  # the closest this close to the asked one: a neighbour
    any_field_families: list[str]  # families answered with stories from any field: never judged


class ExperienceRubric(_Strict):
    """The interviewer's rubric for experience questions (chains/critic/experience.py)."""

    on_topic_cosine: float
    near_topic_cosine: float
    story_cosine: float
    whole_cosine: float
    term_bonus: float = Field(ge=0)
    full_on_topic_share: float = Field(gt=0, le=1)
    recall_weight: float = Field(ge=0)
    topic_score: Band
    off_topic_below: float
    words_on_topic: float  # no sentence on topic by cosine, but the topic score this high: on topic
    technical_topic_recall: Band
    technical_whole_cosine: float
    scenario_cosine: Band
    scenario_sentence_cosine: float = Field(gt=0, le=1)
    topic_floor: float = Field(ge=0, le=1)
    relevance_cosine: Band
    behavioural_weights: PartWeights
    situational_weights: PartWeights
    technical_weights: PartWeights
    steps_for_full: float = Field(gt=0)
    technical_steps_for_full: float = Field(gt=0)
    story_steps: int = Field(ge=1)  # own past actions that make an answer a told story, not an honest plan
    technical_terms_for_full: ByDifficulty
    we_step_credit: float = Field(ge=0, le=1)
    outcome_credit: float = Field(ge=0, le=1)
    specific_terms_for_full: ByDifficulty  # names, numbers and a field's own words (vocabulary.py)
    min_step_words: int = Field(ge=1)  # a technical statement of method has at least this many words
    detail_terms: int = Field(ge=1)  # concrete details in one sentence for the "details" part
    short_words: int = Field(ge=1)
    long_words: int = Field(ge=1)
    short_factor: float = Field(gt=0, le=1)
    long_factor: float = Field(gt=0, le=1)
    denial_max_steps: float = Field(ge=0)
    padding_factor: float = Field(gt=0, le=1)
    shortcut_factor: float = Field(gt=0, le=1)
    padding_cosine: float
    field: FieldRubric
    caps: dict[str, int]


class Rubric(_Strict):
    """The whole rubric file."""

    version: int = Field(ge=1)
    coverage_model: CoverageModel
    cover_threshold: ByDifficulty
    guide_cover_threshold: ByDifficulty
    guide_credit_full: ByDifficulty
    credit_full: ByDifficulty
    credit_gamma: ByDifficulty
    weights: WeightsByDifficulty
    gate_coverage: float = Field(gt=0)
    specific_terms_for_full: ByDifficulty
    relevance_cosine: Band
    scaffold: Scaffold
    bands: Bands
    pass_threshold: int = Field(ge=0, le=100)
    caps: Caps
    off_topic_cosine: float
    off_topic_min_words: int = Field(ge=0)
    alignment: Alignment
    repeats_question: RepeatsQuestion
    structure: Structure
    advice_below: AdviceBelow
    max_answer_chars: int = Field(ge=1)
    max_answer_sentences: int = Field(ge=1)
    experience: ExperienceRubric
    min_english_share: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        if self.bands.fair > self.bands.strong:
            raise ValueError("bands: fair must not be above strong")
        return self

    def band(self, score: int) -> str:
        """'strong', 'fair' or 'weak' for a score."""
        if score >= self.bands.strong:
            return "strong"
        return "fair" if score >= self.bands.fair else "weak"


def parse_rubric(data: Any, source: str = "rubric.yaml") -> Rubric:
    """Validate rubric data; the error names the first wrong key (``weights.medium.coverage``)."""
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        kind = {"missing": "missing key", "extra_forbidden": "unknown key"}.get(first["type"], first["msg"])
        raise RubricError(f"{source}: {kind}: {where}") from exc


def read_rubric(path: Path) -> Rubric:
    """Read and validate a rubric file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RubricError(f"Cannot read the rubric {path}: {exc}") from exc
    return parse_rubric(data, path.name)


@lru_cache(maxsize=1)
def load_rubric() -> Rubric:
    """The project's rubric (read and checked once per process)."""
    return read_rubric(RUBRIC_PATH)
