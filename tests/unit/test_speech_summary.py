"""Delivery in the card, the summary and the report; a typed-only session shows none; scores never change."""

from __future__ import annotations

from chains.models import Delivery, LongPause
from chains.session.summary import build_summary
from tests.unit.test_summary import POSTING, REQS, _c, _q
from ui import render

SPOKEN = Delivery(
    duration_s=75.0, words=190, words_per_minute=152.0, fillers={"um": 3, "like": 1},
    long_pauses=[LongPause(start_s=40.0, length_s=3.6)], tip='You said "um" 3 times: pause silently instead.',
)


def test_summary_and_report_show_delivery_over_the_spoken_answers() -> None:
    answered = [(_q(0, REQS[0]), _c(60)), (_q(1, REQS[1]), _c(80))]
    typed = build_summary(POSTING, answered, [q for q, _ in answered])
    spoken = build_summary(POSTING, answered, [q for q, _ in answered], [SPOKEN, None])

    assert typed.delivery is None and "Delivery" not in typed.markdown
    assert "Delivery" not in render.summary(typed)
    assert spoken.delivery is not None and spoken.delivery.answers == 1
    assert spoken.delivery.fillers == {"um": 3, "like": 1} and spoken.delivery.long_pauses == 1
    # Delivery is beside the content: every score and area is the same with or without it.
    content = {"delivery", "markdown"}
    assert spoken.model_dump(exclude=content) == typed.model_dump(exclude=content)
    assert spoken.markdown.startswith(typed.markdown.rstrip("\n"))
    assert "## Delivery (spoken answers)" in spoken.markdown and "um 3, like 1" in spoken.markdown
    shown = render.summary(spoken)
    assert "**Delivery** over 1 spoken answer: 75 s on average · 152 words/min" in shown
    assert "1 long pause" in shown and "Tip:" in shown


def test_the_card_section_names_every_figure() -> None:
    text = render.delivery(SPOKEN)
    assert "Delivery (not part of the score)" in text
    assert "**Length** 1:15" in text and "**Pace** 152 words/min" in text
    assert "um 3, like 1" in text and "3.6 s at 0:40" in text
    assert "pause silently instead" in text
    plain = {"fillers": {}, "long_pauses": [], "words_per_minute": None}
    quiet = render.delivery(SPOKEN.model_copy(update=plain))
    assert "**Fillers** none" in quiet and "**Long pauses** none" in quiet and "**Pace** —" in quiet


def test_the_transcript_offer_says_where_the_audio_went() -> None:
    assert render.SPEECH_PRIVACY in render.transcript_offer(SPOKEN, kept=False)
    assert render.SPEECH_KEPT in render.transcript_offer(SPOKEN, kept=True)
    assert "not stored" not in render.transcript_offer(SPOKEN, kept=True)
    assert "not kept unless recordings are switched on" in render.WELCOME  # said before any recording


def test_the_downloadable_report_shows_each_spoken_answers_delivery_and_the_sessions() -> None:
    from datetime import datetime

    from chains.session.report import ReportItem, SessionReport
    from tests.unit.test_ui_render import _critique, _progress, _question

    spoken_q, typed_q = _question(), _question().model_copy(update={"id": "q2", "text": "And another?"})
    answered = [(spoken_q, _critique(score=70)), (typed_q, _critique(score=50))]
    summary = build_summary(POSTING, answered, [spoken_q, typed_q], [SPOKEN, None])
    items = [
        ReportItem(number=1, question=spoken_q, answer="I said it.", critique=_critique(score=70),
                   reference=spoken_q, delivery=SPOKEN),
        ReportItem(number=2, question=typed_q, answer="I typed it.", critique=_critique(score=50),
                   reference=typed_q),
    ]
    report = SessionReport(posting_id="p", posting_title="Data Engineer", made_at=datetime(2026, 12, 3),
                           score=60, summary=summary, items=items, progress=_progress())
    md = render.report_markdown(report)
    first, second = md.split("### Question 2", 1)
    assert "Delivery (not part of the score)" in first.split("### Question 1", 1)[1]
    assert "um 3, like 1" in first and "3.6 s at 0:40" in first
    assert "Delivery (not part of the score)" not in second  # the typed answer has none
    overview = "## Delivery (spoken answers)\n\n- Spoken answers: 1, 75 s on average"
    assert overview in md and md.index(overview) < md.index("## Every question and answer")
    typed_only = report.model_copy(update={
        "summary": build_summary(POSTING, answered, [spoken_q, typed_q]),
        "items": [i.model_copy(update={"delivery": None}) for i in items],
    })
    assert "Delivery" not in render.report_markdown(typed_only)
