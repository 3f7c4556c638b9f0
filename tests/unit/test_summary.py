"""The session summary: rows per requirement, overall score, strongest and weakest, escaped Markdown."""

from __future__ import annotations

from chains.critic.parts import ADVICE, Role
from chains.models import Critique, Difficulty, Question, QuestionKind, SubScores
from chains.session.summary import build_summary
from knowledge.posting import Posting, Requirement, RequirementKind

REQS = [
    Requirement(text="Run Kubernetes clusters in production", kind=RequirementKind.REQUIRED, order=0),
    Requirement(text="Write Terraform modules", kind=RequirementKind.REQUIRED, order=1),
    Requirement(text="Mentor <b>junior</b> engineers | pair", kind=RequirementKind.RESPONSIBILITY, order=2),
    Requirement(text="Go or Rust", kind=RequirementKind.PREFERRED, order=3),
    Requirement(text="On-call rotation", kind=RequirementKind.RESPONSIBILITY, order=4),
]
POSTING = Posting(id="p1", title="SRE <script>alert(1)</script>", text="...", requirements=REQS)


def _q(i: int, req: Requirement, follow_up: bool = False) -> Question:
    return Question(
        id=f"q{i}{'f' if follow_up else ''}", text=f"Question {i}", kind=QuestionKind.TECHNICAL,
        difficulty=Difficulty.MEDIUM, requirements=[req], why="Why this question: it matters.",
        is_follow_up=follow_up, parent_id=f"q{i}" if follow_up else "",
    )


def _c(score: int, missing: list[str] | None = None) -> Critique:
    band = "strong" if score >= 75 else "fair" if score >= 45 else "weak"
    return Critique(
        score=score, band=band,
        subscores=SubScores(
            coverage=score, relevance=score, specificity=score, structure=score, results=score
        ),
        missing=missing or [], improvements=["Give one concrete example with a number."],
    )


def test_rows_best_scores_overall_and_areas() -> None:
    answered = [
        (_q(0, REQS[0]), _c(40, ["Capacity planning"])),
        (_q(0, REQS[0], follow_up=True), _c(62)),  # combined critique of question 0
        (_q(1, REQS[1]), _c(90)),
        (_q(2, REQS[2]), _c(30, ["Regular one-to-ones <img src=x>"])),
        (_q(2, REQS[2]), _c(50)),  # retried: the best score counts
    ]
    skipped = _q(3, REQS[3])
    summary = build_summary(POSTING, answered, [q for q, _ in answered] + [skipped])

    rows = {row.requirement.text: row for row in summary.rows}
    assert rows[REQS[0].text].best_score == 62 and rows[REQS[0].text].attempts == 1
    assert rows[REQS[1].text].best_score == 90
    assert rows[REQS[2].text].best_score == 50 and rows[REQS[2].text].attempts == 2
    assert rows[REQS[3].text].asked and rows[REQS[3].text].best_score is None
    assert not rows[REQS[4].text].asked
    assert summary.overall_score == round((62 + 90 + 50) / 3)
    assert summary.answered == 3
    assert summary.scores_over_session == [40, 62, 90, 30, 50]
    assert [n.score for n in summary.strongest] == [90, 62]
    assert [n.score for n in summary.weakest] == [50]
    assert summary.weakest[0].advice


def test_weak_answers_are_never_strongest_areas() -> None:
    answered = [(_q(0, REQS[0]), _c(15)), (_q(1, REQS[1]), _c(3))]
    summary = build_summary(POSTING, answered, [])
    assert summary.strongest == []
    assert [n.score for n in summary.weakest] == [3, 15]
    assert "Strongest areas" not in summary.markdown and "Practise next" in summary.markdown


def test_parts_of_an_offline_model_answer_are_named_once() -> None:
    missing = ["Hands-on experience with it", "A concrete situation"]
    weak = _c(17, missing).model_copy(update={"improvements": [
        ADVICE[Role.EXPERIENCE], ADVICE[Role.SITUATION], ADVICE[Role.RESULT],
    ]})
    fair = _c(60, ["What you learned"])
    summary = build_summary(POSTING, [(_q(0, REQS[0]), weak), (_q(1, REQS[1]), fair)], [])
    [practise] = summary.weakest
    assert practise.advice == (
        "Practise adding hands-on experience with it and a concrete situation. " + ADVICE[Role.RESULT]
    )
    assert summary.strongest[0].advice == "Getting there; to make it complete, add: what you learned."


def test_a_model_answers_own_story_is_compared_not_claimed() -> None:
    story = _c(30, ["I used Spark to process 10TB of events daily.", "Our pipeline fed the fraud models."])
    facts = _c(30, ["Capacity planning"])
    summary = build_summary(POSTING, [(_q(0, REQS[0]), story), (_q(1, REQS[1]), facts)], [])
    advice = {note.requirement: note.advice for note in summary.weakest}
    assert advice[REQS[0].text].startswith("Practise comparing your own experience with: I used Spark")
    assert advice[REQS[1].text].startswith("Practise covering: Capacity planning.")


def test_markdown_escapes_posting_and_answer_text() -> None:
    answered = [(_q(2, REQS[2]), _c(30, ["Regular one-to-ones <img src=x>"]))]
    md = build_summary(POSTING, answered, []).markdown
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "<b>" not in md and "<img" not in md
    assert "junior&lt;/b&gt; engineers \\| pair" in md  # a pipe cannot break the table
    assert "Overall score: 30/100" in md
    assert "On-call rotation" in md  # listed as not asked yet


def test_nothing_answered() -> None:
    summary = build_summary(POSTING, [], [])
    assert summary.overall_score is None and summary.strongest == [] and summary.weakest == []
    assert "No answer was scored" in summary.markdown
