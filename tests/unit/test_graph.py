"""The interview graph offline, end to end, on a posting in a real Chroma store and real SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from chains.critic.scorer import score_answer, score_question
from chains.models import Difficulty, QuestionKind
from chains.questions.references import export_model_answers, import_model_answers, read_answer_file
from chains.session.coach import EMPTY_ANSWER, MAX_ANSWER_CHARS, Coach, SessionOptions
from knowledge.posting import Posting, Requirement, RequirementKind, posting_id_for
from knowledge.store import open_store
from tests.engine_fixtures import QA, ingest, partial_answer, strong_answer


@pytest.fixture
async def coach() -> AsyncIterator[Coach]:
    async with Coach() as instance:
        yield instance


@pytest.fixture
def posting() -> Posting:
    return ingest()


async def test_full_session_offline(coach: Coach, posting: Posting) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=3))
    assert turn.planned == 3 and turn.answered == 0 and not turn.done and turn.critique is None
    first = turn.question
    assert first is not None and not first.is_follow_up
    assert first.why and first.model_answer
    # The retrieval behind the question leads with the requirement it probes.
    assert turn.retrieved and turn.retrieved[0].requirement.text == first.requirements[0].text

    # A strong answer: critiqued, no follow-up, the next main question.
    turn = await coach.answer(turn.thread_id, strong_answer(first))
    assert turn.critique is not None and turn.critique.band == "strong"
    assert turn.critique.narrative and f"{turn.critique.score}/100" in turn.critique.narrative
    second = turn.question
    assert second is not None and not second.is_follow_up and second.id != first.id
    assert turn.answered == 1

    # A weak answer that misses the key points: one follow-up probing that gap.
    full = strong_answer(second)
    first_try = partial_answer(full)
    turn = await coach.answer(turn.thread_id, first_try)
    weak = turn.critique
    assert weak is not None and weak.missing and weak.score < 75
    follow = turn.question
    assert follow is not None and follow.is_follow_up and follow.parent_id == second.id
    assert turn.answered == 2

    # The follow-up's answer is scored together with the first against the original model answer.
    rest = full[len(first_try) :].strip()
    turn = await coach.answer(turn.thread_id, rest)
    combined = score_question(second, f"{first_try}\n\n{rest}", posting.title)
    assert turn.critique is not None and turn.critique.score == combined.score
    assert turn.critique.score > weak.score
    third = turn.question
    assert third is not None and not third.is_follow_up and turn.answered == 2

    turn = await coach.answer(turn.thread_id, strong_answer(third))
    assert turn.done and turn.question is None and turn.answered == 3
    summary = turn.summary
    assert summary is not None and summary.answered == 3
    history = await coach.history(turn.thread_id)
    assert summary.scores_over_session == [item.critique.score for item in history]
    assert len(summary.scores_over_session) == 4
    asked_rows = [row for row in summary.rows if row.asked]
    probed = {q.requirements[0].text for q in (first, second, third)}
    assert {r.requirement.text for r in asked_rows} >= probed
    assert summary.overall_score is not None and summary.strongest
    # Once ended, the session stays ended and scores nothing more.
    after = await coach.answer(turn.thread_id, "one more answer")
    assert after.done and after.critique is None and "ended" in (after.notice or "")
    assert coach.past_sessions(posting.id, None) == [summary.scores_over_session]
    assert coach.past_sessions(posting.id, None, exclude_thread_id=turn.thread_id) == []
    assert coach.past_sessions(posting.id, "someone-else") == []


async def test_offline_model_answers_judge_a_real_story_by_its_parts(coach: Coach) -> None:
    # A duty no library competency matches: its model answer is an outline of the parts to cover.
    posting = ingest(_only_requirement("Run our carrier scan event handlers"))
    turn = await coach.start(posting.id, SessionOptions(questions=1, kinds=[QuestionKind.BEHAVIOURAL]))
    question = turn.question
    assert question is not None and question.model_answer_source == "offline" and question.guide
    requirement = question.requirements[0].text
    story = strong_answer(question)
    turn = await coach.answer(turn.thread_id, story)
    critique = turn.critique
    assert critique is not None
    kwargs = {"requirement": requirement, "difficulty": question.difficulty}
    # Judged as experience: the same score as score_question, not a comparison with the scaffold.
    assert critique.judged_as == "experience"
    assert critique.score == score_question(question, story, posting.title).score
    word_for_word = score_answer(question.text, question.model_answer, story, **kwargs)
    assert critique.score > word_for_word.score
    assert critique.band == "strong" and not critique.missing


def _only_requirement(text: str) -> Posting:
    body = f"Shipment Engineer\n\n- {text}"
    return Posting(
        id=posting_id_for(body), title="Shipment Engineer", source="one.txt", text=body,
        requirements=[Requirement(text=text, kind=RequirementKind.REQUIRED, section="Requirements")],
    )


async def test_library_questions_come_with_their_guide_and_example_answer(
    coach: Coach, posting: Posting
) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=1, kinds=[QuestionKind.BEHAVIOURAL]))
    question = turn.question
    assert question is not None and question.model_answer_source == "library" and question.competency_id
    assert 4 <= len(question.guide) <= 7 and len(question.model_answer.split()) >= 60
    turn = await coach.act(turn.thread_id, "model_answer")
    assert turn.model_answer == question.model_answer


async def test_posting_questions_use_the_postings_model_answer(coach: Coach, posting: Posting) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=1, kinds=[QuestionKind.POSTING]))
    assert turn.question is not None
    assert turn.question.kind == QuestionKind.POSTING
    assert turn.question.text == QA.question
    assert turn.question.model_answer == QA.model_answer
    assert turn.question.model_answer_source == "posting"


async def test_actions(coach: Coach, posting: Posting) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=3, follow_ups=False))
    first = turn.question
    assert first is not None

    turn = await coach.act(turn.thread_id, "retry")
    assert turn.notice and "Nothing to retry" in turn.notice and turn.question == first

    turn = await coach.act(turn.thread_id, "model_answer")
    assert turn.model_answer == first.model_answer and turn.question == first and turn.critique is None

    harder = await coach.act(turn.thread_id, "harder")
    assert harder.question is not None and harder.question.difficulty == Difficulty.HARD
    assert harder.question.requirements == first.requirements and harder.model_answer is None
    again = await coach.act(turn.thread_id, "harder")
    assert again.question == harder.question and "hardest" in (again.notice or "")
    easier = await coach.act(turn.thread_id, "easier")
    assert easier.question is not None and easier.question.difficulty == Difficulty.MEDIUM

    turn = await coach.answer(turn.thread_id, "I once used it.")
    answered = easier.question
    second = turn.question
    assert second is not None and second.id != answered.id

    turn = await coach.act(turn.thread_id, "retry")
    assert turn.question is not None and turn.question.id == answered.id
    turn = await coach.answer(turn.thread_id, strong_answer(answered))
    assert turn.question is not None and turn.question.id == second.id  # back to where we were

    turn = await coach.act(turn.thread_id, "skip")
    third = turn.question
    assert third is not None and third.id not in (second.id, answered.id)
    assert len(await coach.history(turn.thread_id)) == 2  # skipping scores nothing

    turn = await coach.act(turn.thread_id, "end")
    assert turn.done and turn.summary is not None
    rows = {row.requirement.text: row for row in turn.summary.rows}
    assert rows[answered.requirements[0].text].attempts == 2
    assert rows[second.requirements[0].text].asked and rows[second.requirements[0].text].best_score is None
    with pytest.raises(ValueError, match="Unknown action"):
        await coach.act(turn.thread_id, "dance")  # type: ignore[arg-type]


async def test_next_drops_a_follow_up(coach: Coach, posting: Posting) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=2))
    main = turn.question
    assert main is not None
    turn = await coach.answer(turn.thread_id, partial_answer(strong_answer(main)))
    assert turn.question is not None and turn.question.is_follow_up
    turn = await coach.act(turn.thread_id, "next")
    assert turn.question is not None and not turn.question.is_follow_up and turn.question.id != main.id


async def test_empty_answer_scores_nothing(coach: Coach, posting: Posting) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=2))
    for empty in ("", "   \n\t "):
        again = await coach.answer(turn.thread_id, empty)
        assert again.notice == EMPTY_ANSWER
        assert again.question == turn.question and again.critique is None
    assert await coach.history(turn.thread_id) == []


async def test_five_megabyte_answer_is_cut_with_a_notice_and_the_session_goes_on(
    coach: Coach, posting: Posting
) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=2, follow_ups=False))
    assert turn.question is not None
    huge = (turn.question.model_answer + " ") * (5 * 1024 * 1024 // (len(turn.question.model_answer) + 1) + 1)
    assert len(huge) >= 5 * 1024 * 1024
    turn = await coach.answer(turn.thread_id, huge)
    assert turn.critique is not None
    assert turn.notice and f"{MAX_ANSWER_CHARS:,}" in turn.notice
    history = await coach.history(turn.thread_id)
    assert len(history[0].answer) == MAX_ANSWER_CHARS
    assert turn.question is not None and not turn.done


async def test_sessions_belong_to_their_user(coach: Coach, posting: Posting) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=1), user_id="alice")
    assert (await coach.current(turn.thread_id, "alice")) is not None
    with pytest.raises(PermissionError):
        await coach.current(turn.thread_id, "bob")
    with pytest.raises(PermissionError):
        await coach.current(turn.thread_id, None)
    with pytest.raises(PermissionError):  # starting someone else's thread id is refused too
        await coach.start(posting.id, thread_id=turn.thread_id, user_id="bob")
    assert await coach.current("no-such-thread", "alice") is None
    # Starting the same thread again resumes it instead of starting over.
    same = await coach.start(posting.id, thread_id=turn.thread_id, user_id="alice")
    assert same.question == turn.question
    await coach.act(turn.thread_id, "end")
    assert coach.past_sessions(posting.id, "alice") == []  # nothing was scored
    assert coach.past_sessions(posting.id, "bob") == []


async def test_unknown_posting_is_a_clear_error(coach: Coach) -> None:
    with pytest.raises(LookupError, match="not in the store"):
        await coach.start("ffffffffffffffff")


async def test_summary_on_request_before_the_end(coach: Coach, posting: Posting) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=3, follow_ups=False))
    assert turn.question is not None
    turn = await coach.answer(turn.thread_id, strong_answer(turn.question))
    summary = await coach.summary(turn.thread_id)
    assert summary.answered == 1 and summary.overall_score == turn.critique.score  # type: ignore[union-attr]
    assert not (await coach.current(turn.thread_id)).done  # type: ignore[union-attr]


async def test_edited_model_answers_take_precedence(coach: Coach, posting: Posting, tmp_path: Path) -> None:
    store = open_store()
    files = export_model_answers(posting, store, tmp_path / "answers")
    assert len(files) >= len(posting.requirements)
    header, body = read_answer_file(files[0])
    assert body and header["posting_id"] == posting.id
    # Unchanged files are not stored as edits.
    result = import_model_answers(tmp_path / "answers", store)
    assert result.edited == [] and len(result.unchanged) == len(files)

    edited = "I run Kubernetes upgrades with surge capacity. I cut failed rollouts by half with canaries."
    text = files[0].read_text(encoding="utf-8")
    files[0].write_text(text.replace(body, edited), encoding="utf-8")
    result = import_model_answers(tmp_path / "answers", store)
    assert result.edited == [files[0].name]

    turn = await coach.start(posting.id, SessionOptions(questions=len(files), follow_ups=False))
    shown = {}
    while not turn.done:
        assert turn.question is not None
        shown[turn.question.id] = turn.question
        turn = await coach.act(turn.thread_id, "skip")
    question = shown[str(header["question_id"])]
    assert question.model_answer == edited and question.model_answer_source == "edited"


async def test_a_double_submit_scores_each_answer_once_in_order(coach: Coach, posting: Posting) -> None:
    import asyncio

    turn = await coach.start(posting.id, SessionOptions(questions=3, follow_ups=False))
    first, second = await asyncio.gather(
        coach.answer(turn.thread_id, "I ran the clusters myself."),
        coach.answer(turn.thread_id, "I wrote the Terraform modules myself."),
    )
    history = await coach.history(turn.thread_id)
    answers = [item.answer for item in history]
    assert answers == ["I ran the clusters myself.", "I wrote the Terraform modules myself."]
    assert history[0].question.id != history[1].question.id
    assert second.answered == 2 and first.answered == 1


async def test_a_posting_without_requirements_ends_at_once_with_a_notice(coach: Coach) -> None:
    empty = Posting(id="0123456789abcdef", title="Just a title", text="Just a title")
    open_store().ingest(empty)
    turn = await coach.start(empty.id)
    assert turn.done and turn.question is None and turn.planned == 0
    assert turn.notice and "no requirements" in turn.notice
    assert turn.summary is not None and turn.summary.overall_score is None


async def test_a_second_session_starts_where_the_first_left_off(coach: Coach, posting: Posting) -> None:
    options = SessionOptions(questions=2, follow_ups=False)
    first = await coach.start(posting.id, options)
    assert first.question is not None
    opened_with = first.question.requirements[0].text
    turn = await coach.answer(first.thread_id, partial_answer(first.question.model_answer))
    await coach.act(turn.thread_id, "end")
    second = await coach.start(posting.id, options)
    assert second.question is not None and second.thread_id != first.thread_id
    # Not the same first question: a requirement no earlier session asked comes first.
    assert second.question.requirements[0].text != opened_with
    asked_before = {r.text for q in (first.question, turn.question) if q is not None for r in q.requirements}
    assert second.question.requirements[0].text not in asked_before
