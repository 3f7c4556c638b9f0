"""Presentation: escaped Markdown cards and the summary chart, as a person would read them."""

from __future__ import annotations

import re

import pytest

from chains.models import (
    AreaNote,
    CoveredPoint,
    Critique,
    Difficulty,
    Question,
    QuestionKind,
    RequirementProgress,
    SessionSummary,
    SubScores,
)
from knowledge.posting import Posting, QAPair, Requirement, RequirementKind
from knowledge.store import PostingSummary, SearchHit
from ui import render

EVIL = '<script>alert("x")</script> [click](javascript:alert(1)) ![img](http://t/x.png) # heading | cell'


def _no_live_markup(md: str) -> None:
    """No raw tag, link, image or table-breaking pipe survives from EVIL."""
    assert "<script>" not in md and "</script>" not in md
    assert "&lt;script&gt;" in md
    assert "](javascript" not in md and "](http://t" not in md
    assert not re.search(r"(?<!\\)\[click(?<!\\)\]", md)
    assert "\\| cell" in md


def _question(**kw: object) -> Question:
    base: dict[str, object] = dict(
        id="q1",
        text="Tell me about a time you scaled a data pipeline.",
        kind=QuestionKind.BEHAVIOURAL,
        difficulty=Difficulty.MEDIUM,
        requirements=[Requirement(text="Build data pipelines", kind=RequirementKind.RESPONSIBILITY)],
        why="Why this question: the posting asks you to build data pipelines.",
        model_answer="A strong answer.",
    )
    base.update(kw)
    return Question(**base)  # type: ignore[arg-type]


def _critique(score: int = 82, band: str = "strong", **kw: object) -> Critique:
    base: dict[str, object] = dict(
        score=score,
        band=band,
        subscores=SubScores(coverage=80, relevance=90, specificity=70, structure=60, results=50),
        covered=[
            CoveredPoint(point="Measured the outcome", evidence="We cut latency by 40%.", similarity=0.8)
        ],
        missing=["Explain the trade-offs"],
        improvements=["Name the tools you used", "Add one number"],
        narrative="You described the situation well.\n\nAdd the trade-offs next time.",
    )
    base.update(kw)
    return Critique(**base)  # type: ignore[arg-type]


def test_esc_neutralises_html_and_markdown() -> None:
    _no_live_markup(render.esc(EVIL))


def test_esc_keeps_plain_text_readable() -> None:
    assert render.esc("Python and SQL, 5 years") == "Python and SQL, 5 years"
    assert render.esc("multi\n  line\ttext") == "multi line text"


def test_esc_block_keeps_paragraphs() -> None:
    out = render.esc_block("First para line one\nline two\n\nSecond <b>para</b>")
    assert out.split("\n\n")[0] == "First para line one  \nline two"
    assert "&lt;b&gt;para&lt;/b&gt;" in out


def test_postings_table_and_welcome() -> None:
    postings = [
        PostingSummary(id="a1", title="Data Engineer", company="Acme", requirements=12, qa_pairs=2),
        PostingSummary(id="b2", title=EVIL, company="", requirements=3, qa_pairs=0),
    ]
    md = render.welcome(postings)
    assert "asks you role-specific interview questions" in md
    assert "| 1 | Data Engineer | Acme | 12 | 2 |" in md
    assert "| 2 |" in md and "| — | 3 | 0 |" in md
    _no_live_markup(md)
    many = render.welcome(postings * 6, shown=8)
    assert "Showing 8 of 12" in many and many.count("\n| ") == 8 + 1  # header row + 8 rows


def test_empty_store_tells_how_to_add() -> None:
    assert "Add one" in render.welcome([])


def test_filter_result_no_match_and_match() -> None:
    p = PostingSummary(id="a", title="Technical Writer", company="Google", requirements=5, qa_pairs=0)
    assert "No posting matches **nurse**" in render.filter_result("nurse", [], 10)
    assert "(1 of 10)" in render.filter_result("writer", [p], 10)


def test_parsed_posting_groups_requirements_by_kind() -> None:
    posting = Posting(
        id="p",
        title="Data Engineer <b>",
        company="Acme",
        source="job.pdf",
        text="...",
        requirements=[
            Requirement(text="Build pipelines", kind=RequirementKind.RESPONSIBILITY),
            Requirement(text="5+ years of Python", kind=RequirementKind.REQUIRED),
            Requirement(text=EVIL, kind=RequirementKind.PREFERRED),
        ],
        qa_pairs=[QAPair(question="Why Acme?", model_answer="Because.")],
    )
    md = render.parsed_posting(posting, "added")
    assert (
        "**3 requirements** (1 responsibilities, 1 required qualifications, "
        "1 preferred qualifications, 0 skills)" in md
    )
    assert "**1 Q&A pairs** found" in md
    assert (
        md.index("**Responsibilities**")
        < md.index("Build pipelines")
        < md.index("**Required qualifications**")
    )
    assert "- Why Acme?" in md and "Skills**" not in md
    assert "Added: Acme · job.pdf" in md
    _no_live_markup(md)


def test_question_shows_position_kind_and_why() -> None:
    md = render.question(_question(), number=2, planned=5)
    assert md.startswith("**Question 2 of 5** · behavioural · medium")
    assert "_Why this question:_ the posting asks you to build data pipelines." in md
    follow = render.question(_question(is_follow_up=True, text=EVIL), number=2, planned=5)
    assert follow.startswith("**Follow-up**")
    _no_live_markup(follow)


def test_retrieval_lists_requirements_with_scores() -> None:
    hits = [
        SearchHit(
            posting_id="p",
            requirement=Requirement(text="Build pipelines", kind=RequirementKind.SKILL),
            score=0.8123,
        )
    ]
    assert "| 0.81 | skill | Build pipelines |" in render.retrieval(hits)
    assert "No requirement" in render.retrieval([])


@pytest.mark.parametrize(
    ("score", "band", "badge"), [(82, "strong", "🟢"), (50, "fair", "🟡"), (10, "weak", "🔴")]
)
def test_critique_card_band_colour(score: int, band: str, badge: str) -> None:
    md = render.critique_card(_critique(score=score, band=band))
    assert md.startswith(f"### Score {score}/100 · {badge} {band}")


def test_critique_card_sections_quote_the_evidence() -> None:
    md = render.critique_card(_critique())
    assert "coverage 80 · relevance 90 · specificity 70 · structure 60 · results 50" in md
    assert "- ✅ Measured the outcome — _“We cut latency by 40%.”_" in md
    assert "**Missing**\n- ❌ Explain the trade\\-offs" in md
    assert "1. Name the tools you used\n2. Add one number" in md
    assert md.endswith("You described the situation well.\n\nAdd the trade\\-offs next time.")
    assert "non-answer" not in md


def test_critique_card_without_narrative() -> None:
    md = render.critique_card(_critique(), narrative=False)
    assert "You described the situation well" not in md and md.endswith("2. Add one number")


def test_critique_card_flags_and_escaping() -> None:
    md = render.critique_card(
        _critique(
            score=5,
            band="weak",
            flags=["repeats the question"],
            covered=[CoveredPoint(point="p", evidence=EVIL, similarity=0.5)],
            narrative=EVIL,
        )
    )
    assert "Treated as a non-answer: repeats the question" in md
    _no_live_markup(md)


def test_a_long_answer_note_is_no_non_answer() -> None:
    note = "long answer: only the first 20000 characters were read"
    md = render.critique_card(_critique(score=80, band="strong", flags=[note]), narrative=False)
    assert "non-answer" not in md and "ℹ️ Long answer: only the first 20000 characters were read" in md


def test_model_answer_is_quoted_and_labelled() -> None:
    md = render.model_answer("Line one\nLine <two>", _question(model_answer_source="posting"))
    assert md.startswith("**Model answer** (from the posting) to: _Tell me about")
    assert "> Line one  \n> Line &lt;two&gt;" in md


def _summary() -> SessionSummary:
    req = Requirement(text="Build pipelines", kind=RequirementKind.RESPONSIBILITY)
    return SessionSummary(
        posting_id="p",
        posting_title="Data Engineer / Acme",
        overall_score=64,
        answered=2,
        rows=[
            RequirementProgress(requirement=req, asked=True, best_score=82, attempts=2),
            RequirementProgress(requirement=Requirement(text=EVIL, kind=RequirementKind.SKILL), asked=False),
        ],
        strongest=[AreaNote(requirement="Build pipelines", score=82, advice="Keep the numbers.")],
        weakest=[AreaNote(requirement="SQL", score=30, advice="Practise window functions.")],
        scores_over_session=[46, 82],
        markdown="# Report\n",
    )


def test_summary_table_and_areas() -> None:
    md = render.summary(_summary())
    assert "Overall **64/100** over 2 answered questions." in md
    assert "| Build pipelines | responsibility | ✓ | 82 | 2 |" in md
    assert "| — | 0 |" in md
    assert "**Strongest**\n- Build pipelines (82): Keep the numbers." in md
    assert "**To practise next**\n- SQL (30): Practise window functions." in md
    _no_live_markup(md)


def test_scores_figure_has_this_and_earlier_sessions() -> None:
    fig = render.scores_figure([46, 82], earlier=[[30, 40, 50], []])
    names = [trace.name for trace in fig.data]
    assert names == ["Earlier session 1", "This session"]
    assert list(fig.data[-1].y) == [46, 82] and list(fig.data[-1].x) == [1, 2]
    assert tuple(fig.layout.yaxis.range) == (0, 100)


def test_without_session_drops_only_the_latest_match() -> None:
    assert render.without_session([[40, 50], [60], [40, 50]], [40, 50]) == [[40, 50], [60]]
    assert render.without_session([[10]], [99]) == [[10]]


def test_report_filename_is_safe() -> None:
    assert render.report_filename(_summary()) == "interview-report-data-engineer-acme.md"
    bad = _summary().model_copy(update={"posting_title": "../../etc/passwd"})
    assert render.report_filename(bad) == "interview-report-etc-passwd.md"


def test_progress_line() -> None:
    assert render.progress(2, 5, [40, 80]) == (
        "**Welcome back.** 2 of 5 questions answered; scores so far: 40, 80 (average 60)."
    )
    assert render.progress(0, 5, []) == "**Welcome back.** 0 of 5 questions answered."
