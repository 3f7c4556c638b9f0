"""The critic on interview answers: bench/data/interview_answers.csv (graded by hand, offline scaffolds)."""

from __future__ import annotations

from itertools import combinations

from scipy.stats import spearmanr

from chains.evaluation.critic import load_rows
from tests.conftest import REPO_ROOT

DATA = REPO_ROOT / "bench" / "data" / "interview_answers.csv"


def test_better_answers_score_higher_on_every_question() -> None:
    rows = load_rows(DATA)
    assert len(rows) >= 30 and all(r.scaffold and r.requirement and r.posting_title for r in rows)
    scored = [(r, r.critique().score) for r in rows]
    for (a, sa), (b, sb) in combinations(scored, 2):
        assert a.score is not None and b.score is not None
        # Within one question, a real answer (graded 60+) beats one graded 25+ points lower. (Among
        # near-empty answers the order is noise: "I don't know SQL" 5 vs "I would do my best" 4.)
        if a.question_id == b.question_id and abs(a.score - b.score) >= 25 and max(a.score, b.score) >= 60:
            better, worse = ((a, sa), (b, sb)) if a.score > b.score else ((b, sb), (a, sa))
            assert better[1] > worse[1], (better[0].answer[:60], better[1], worse[0].answer[:60], worse[1])
    grades = [r.score for r, _ in scored]
    by_parts = spearmanr(grades, [s for _, s in scored]).statistic
    word_for_word = spearmanr(
        grades, [r.model_copy(update={"scaffold": False}).critique().score for r in rows]
    ).statistic
    assert by_parts >= 0.85 and by_parts > word_for_word + 0.05, (by_parts, word_for_word)
