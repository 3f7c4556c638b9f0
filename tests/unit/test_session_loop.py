"""The session loop as a user counts it: "Question N of M", skips, one session score, progress, reports."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from chains.session.coach import ANSWER_LENGTH_ADVICE, Coach, SessionOptions, length_notice
from chains.session.summary import session_score
from knowledge.posting import Posting
from tests.engine_fixtures import ingest, partial_answer


@pytest.fixture
async def coach() -> AsyncIterator[Coach]:
    async with Coach() as instance:
        yield instance


@pytest.fixture
def posting() -> Posting:
    return ingest()


async def test_retries_rewordings_and_follow_ups_keep_the_question_number(
    coach: Coach, posting: Posting
) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=3))
    assert (turn.number, turn.planned) == (1, 3)
    first = turn.question
    assert first is not None
    turn = await coach.act(turn.thread_id, "harder")
    assert turn.number == 1  # the same question, harder
    turn = await coach.answer(turn.thread_id, partial_answer(first.model_answer))
    assert turn.question is not None and turn.question.is_follow_up and turn.number == 1
    turn = await coach.answer(turn.thread_id, "I would also write it down.")
    assert turn.question is not None and not turn.question.is_follow_up and turn.number == 2
    for _ in range(3):  # retrying the first question again and again never counts past M
        turn = await coach.act(turn.thread_id, "retry")
        assert turn.number == 1
        turn = await coach.answer(turn.thread_id, "Again: I ran it in production for two years.")
        if turn.question is not None and turn.question.is_follow_up:
            turn = await coach.act(turn.thread_id, "next")
        assert turn.number == 2 and turn.answered == 1
    turn = await coach.answer(turn.thread_id, "Second answer.")
    if turn.question is not None and turn.question.is_follow_up:
        turn = await coach.act(turn.thread_id, "next")
    assert (turn.number, turn.planned, turn.answered) == (3, 3, 2)


async def test_a_skip_is_replaced_while_requirements_are_left_and_says_so(
    coach: Coach, posting: Posting
) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=3, follow_ups=False))
    seen = {turn.question.requirements[0].text} if turn.question else set()
    turn = await coach.act(turn.thread_id, "skip")
    assert turn.notice and "does not count as one of your 3 questions" in turn.notice
    assert (turn.number, turn.planned) == (1, 3)  # the next question is question 1: the skip took no place
    for _ in range(2):
        assert turn.question is not None
        seen.add(turn.question.requirements[0].text)
        turn = await coach.answer(turn.thread_id, "I ran it in production and measured the result.")
    assert turn.question is not None and turn.number == 3
    turn = await coach.answer(turn.thread_id, "A third answer with a concrete example.")
    assert turn.done and turn.summary is not None and turn.summary.answered == 3


async def test_a_skip_with_nothing_left_to_ask_shortens_the_session_and_says_so(
    coach: Coach, posting: Posting
) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=6, follow_ups=False))  # six requirements
    for _ in range(4):
        turn = await coach.answer(turn.thread_id, "I did this at work and it cut costs by 10%.")
    assert turn.number == 5
    turn = await coach.act(turn.thread_id, "skip")
    assert turn.notice and "nothing takes its place" in turn.notice and "now has 5 questions" in turn.notice
    assert (turn.number, turn.planned) == (5, 5)
    turn = await coach.answer(turn.thread_id, "The last one.")
    assert turn.done and turn.summary is not None and turn.summary.answered == 5


async def test_one_session_score_in_the_turn_the_summary_and_progress(coach: Coach, posting: Posting) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=2, follow_ups=False), user_id="alice")
    first = turn.question
    assert first is not None
    turn = await coach.answer(turn.thread_id, "fine")
    turn = await coach.act(turn.thread_id, "retry")
    turn = await coach.answer(turn.thread_id, first.model_answer)  # the retry is better: it counts
    turn = await coach.answer(turn.thread_id, "I once did it.")
    assert turn.done and turn.summary is not None
    history = await coach.history(turn.thread_id)
    scores = [item.critique.score for item in history]
    plain_mean = round(sum(scores) / len(scores))
    expected = session_score([(item.question, item.critique) for item in history])
    assert turn.score == turn.summary.overall_score == expected
    assert expected != plain_mean  # the retry's weak first try is not averaged in
    progress = coach.progress(posting.id, "alice")
    assert [point.score for point in progress.sessions] == [expected]


async def test_progress_over_two_sessions_and_practise_the_weakest_first(
    coach: Coach, posting: Posting
) -> None:
    options = SessionOptions(questions=3, follow_ups=False)
    turn = await coach.start(posting.id, options, user_id="alice")
    answers = {}
    while not turn.done:
        assert turn.question is not None
        text = turn.question.model_answer if len(answers) != 1 else "fine"  # the second one is weak
        answers[turn.question.requirements[0].text] = text
        turn = await coach.answer(turn.thread_id, text)
    weak = [text for text, answer in answers.items() if answer == "fine"][0]
    progress = coach.progress(posting.id, "alice")
    assert progress.practise_next[0] == weak
    assert progress.requirements[0].requirement == weak and progress.requirements[0].change is None

    focused = options.model_copy(update={"focus": progress.practise_next})
    turn = await coach.start(posting.id, focused, user_id="alice")
    assert turn.question is not None and turn.question.requirements[0].text == weak
    turn = await coach.answer(turn.thread_id, turn.question.model_answer)  # better this time
    turn = await coach.act(turn.thread_id, "end")
    assert coach.session_number(turn.thread_id, posting.id, "alice") == 2
    progress = coach.progress(posting.id, "alice")
    trend = next(t for t in progress.requirements if t.requirement == weak)
    assert trend.sessions == 2 and trend.latest == trend.best and (trend.change or 0) > 0
    assert len(progress.sessions) == 2 and coach.progress(posting.id, "bob").empty
    assert coach.practised_postings("alice") == [posting.id] and coach.practised_postings("bob") == []


async def test_the_answered_questions_model_answer_is_the_one_beside_its_critique(
    coach: Coach, posting: Posting
) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=2))
    first = turn.question
    assert first is not None
    turn = await coach.answer(turn.thread_id, partial_answer(first.model_answer))
    assert turn.question is not None and turn.question.is_follow_up
    turn = await coach.answer(turn.thread_id, "And I would check it with a dashboard.")
    assert turn.question is not None and turn.question.id != first.id  # the next one is on screen
    assert (await coach.answered_question(turn.thread_id, 0)).id == first.id
    assert (await coach.answered_question(turn.thread_id, 1)).id == first.id  # the follow-up's question
    with pytest.raises(LookupError):
        await coach.answered_question(turn.thread_id, 5)


async def test_report_holds_every_exchange_and_progress(coach: Coach, posting: Posting) -> None:
    turn = await coach.start(posting.id, SessionOptions(questions=2, follow_ups=False), user_id="alice")
    turn = await coach.act(turn.thread_id, "skip")
    skipped_note = turn.notice
    from tests.unit.test_speech_summary import SPOKEN

    spoken = SPOKEN  # the first answer is spoken, the second typed
    while not turn.done:
        assert turn.question is not None
        turn = await coach.answer(turn.thread_id, turn.question.model_answer, delivery=spoken)
        spoken = None
    report = await coach.report(turn.thread_id, "alice")
    assert [item.delivery for item in report.items] == [SPOKEN, None]
    assert report.summary.delivery is not None and report.summary.delivery.answers == 1
    assert skipped_note and len(report.skipped) == 1
    assert [item.number for item in report.items] == [1, 2]
    assert all(item.answer and item.reference.model_answer for item in report.items)
    assert report.score == report.summary.overall_score and report.company == "Acme Cloud"
    assert len(report.progress.sessions) == 1


def test_long_answers_are_told_how_long_an_answer_should_take() -> None:
    assert length_notice("word " * 300) is None
    notice = length_notice("word " * 1500)
    assert notice and "1,500 words" in notice and "10 minutes" in notice and ANSWER_LENGTH_ADVICE in notice
