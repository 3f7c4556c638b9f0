"""Presentation: escaped Markdown cards and the summary chart, as a person would read them."""

from __future__ import annotations

import re
from datetime import datetime

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
    guide_text,
)
from chains.session.progress import Progress, build_progress
from chains.session.report import ReportItem, SessionReport
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
    meaning = render.filter_result("a nursing job", [p], 10, by_meaning=True)
    assert "No title has the words **a nursing job**; closest in meaning (1 of 10)" in meaning


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
    assert "file name" not in md
    _no_live_markup(md)


def test_parsed_posting_says_when_its_title_comes_from_the_file_name() -> None:
    posting = Posting(
        id="p", title="Records Clerk", title_from="file name", source="records-clerk.txt", text="...",
        requirements=[Requirement(text="Files court records", kind=RequirementKind.RESPONSIBILITY)],
    )
    md = render.parsed_posting(posting, "added")
    head, added, _, note = md.splitlines()[:4]
    assert (head, note) == (
        "### Records Clerk", "_The text names no job title: the title above is taken from the file name._"
    )
    assert added.startswith("Added: ")


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


def test_summary_table_fits_three_columns_and_states_the_session_score() -> None:
    md = render.summary(_summary())
    assert "Session score **64/100** (the mean of your best score per requirement) over 2 answered" in md
    assert "| Requirement | Best score | Attempts |" in md
    assert "| Build pipelines | 82 | 2 |" in md
    assert "| not asked | 0 |" in md
    assert "**Strongest**\n- Build pipelines (82): Keep the numbers." in md
    assert "**To practise next**\n- SQL (30): Practise window functions." in md
    _no_live_markup(md)


def _progress() -> Progress:
    from chains.session.index import SessionRecord

    return build_progress("p", [
        SessionRecord("t1", 1_700_000_000, [40, 70], 55, {"SQL": 40, "Build pipelines": 70}),
        SessionRecord("t2", 1_700_090_000, [30], 30, {"SQL": 30}),
        SessionRecord("t3", 1_700_180_000, [60, 90], 75, {"SQL": 60, EVIL: 90}),
    ])


def test_progress_has_best_latest_trend_and_what_next() -> None:
    p = _progress()
    sql = next(t for t in p.requirements if t.requirement == "SQL")
    assert (sql.best, sql.latest, sql.change, sql.sessions) == (60, 60, 30, 3)
    assert p.practise_next == ["SQL", "Build pipelines"]  # below strong, weakest latest first
    md = render.progress_view(p)
    assert "## Your progress on this posting (3 sessions)" in md
    assert "| SQL | 60 | 60 | 40 → 30 → 60 (▲30) |" in md
    assert "| Build pipelines | 70 | 70 | first time |" in md
    assert "**Practise next** (weakest latest score first)\n- SQL\n- Build pipelines" in md
    _no_live_markup(md)
    assert render.progress_view(build_progress("p", [])) == "_No ended session on this posting yet._"


def test_progress_figure_has_the_session_line_and_best_and_latest_bars() -> None:
    fig = render.progress_figure(_progress())
    assert [t.name for t in fig.data] == ["Session score", "Best", "Latest"]
    assert list(fig.data[0].y) == [55, 30, 75] and fig.data[0].x[0].startswith("#1 ")
    assert list(fig.data[2].x)[-1] == 60  # the weakest requirement is drawn at the top


def test_report_has_every_exchange_its_parts_and_progress() -> None:
    question = _question(model_answer_source="posting", guide=["Name the result"])
    question = question.model_copy(update={"model_answer": "I cut costs by 30%."})
    critique = _critique(score=70, band="fair", missing=["A measured result"])
    report = SessionReport(
        posting_id="p", posting_title="Data Engineer", company="Acme", made_at=datetime(2026, 12, 3, 14, 5),
        session_number=3, score=64, summary=_summary(), progress=_progress(),
        items=[ReportItem(number=1, question=question, answer=EVIL, critique=critique, reference=question)],
        skipped=[question.model_copy(update={"id": "s", "text": "A skipped one"})],
    )
    md = render.report_markdown(report)
    for part in (
        "# Interview practice report: Data Engineer (Acme)",
        "Session #3 on this posting · report made 03 Dec 2026 14:05",
        "Session score **64/100**",
        "### Question 1 · behavioural · medium",
        "**Score 70/100** (fair): coverage ",
        "**Missing**\n- A measured result",
        "**Model answer** (from the posting) to: _Tell me about",
        "> I cut costs by 30%.",
        "**What a strong answer covers**\n- Name the result",
        "**Skipped**\n- A skipped one",
        "## Progress against earlier sessions (3 sessions)",
        "| Requirement | Kind | Best score | Attempts |",
    ):
        assert part in md, part
    _no_live_markup(md)


def test_thread_names_tell_sessions_apart() -> None:
    name = render.thread_name("Backend Engineer, Shipment Tracking", 2, datetime(2026, 12, 3, 14, 5))
    assert name == "#2 · 3 Dec 14:05 · Backend Engineer, Shipment Tracking"


def test_report_filename_is_safe() -> None:
    assert render.report_filename(_summary()) == "interview-report-data-engineer-acme.md"
    bad = _summary().model_copy(update={"posting_title": "../../etc/passwd"})
    assert render.report_filename(bad) == "interview-report-etc-passwd.md"


def test_progress_line_states_the_session_score_as_the_summary_does() -> None:
    assert render.progress(2, 5, [40, 80], 60) == (
        "**Welcome back.** 2 of 5 questions answered; scores so far: 40, 80; session score 60/100 "
        "(the mean of your best score per requirement)."
    )
    assert render.progress(0, 5, []) == "**Welcome back.** 0 of 5 questions answered."


def test_a_library_question_with_no_example_of_its_own_shows_its_guide_only() -> None:
    guide = ["The bank and ledger balances side by side", "Each difference listed and aged"]
    question = _question(model_answer_source="library", guide=guide, model_answer=guide_text(guide))
    md = render.model_answer(question.model_answer, question)
    assert question.answer_is_guide
    assert "no example answer is written for this question yet" in md
    assert "**What a strong answer covers**" in md and "**Example answer**" not in md


def test_a_library_question_with_its_own_example_shows_guide_and_example() -> None:
    question = _question(model_answer_source="library", guide=["A real case"],
                         model_answer="At a wholesaler I found the break in the supplier ledger.")
    md = render.model_answer(question.model_answer, question)
    assert not question.answer_is_guide
    assert "(an example answer from the question library)" in md and "**Example answer**" in md
