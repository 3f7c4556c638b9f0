"""A person speaks an answer: Chromium plays an espeak-ng WAV as a fake microphone into the real app.

The WAV holds fillers and a long pause; the test asserts the transcript shown as the user's answer,
then the critique card with its score and delivery figures (pace, the fillers and the pause found).
A second browser is refused the microphone: Chainlit's client then ends the recording with no audio,
and the app says so in one line while the question stays due.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM, USERS
from tests.e2e.helpers import SLOW, cards, click, login, messages, pick_first_posting
from tests.integration.test_speech import answer_wav

pytestmark = pytest.mark.e2e


def test_a_spoken_answer_is_transcribed_scored_and_its_delivery_shown(
    playwright: Any, app_server: Any, tmp_path: Path, shot: Any
) -> None:
    wav = answer_wav(tmp_path)
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={wav}%noloop",
        ],
    )
    try:
        context = browser.new_context(permissions=["microphone"], viewport={"width": 1280, "height": 900})
        page = context.new_page()
        login(page, app_server.url, "alice", USERS["alice"])
        pick_first_posting(page)
        page.locator("body").click(position={"x": 5, "y": 5})
        page.keyboard.press("p")  # Chainlit's shortcut for the microphone button
        page.wait_for_timeout(24_000)  # the WAV plays for about 20 s
        page.locator("body").click(position={"x": 5, "y": 5})
        page.keyboard.press("p")
        heard = page.locator(".step[data-step-type='user_message']").last
        expect(heard).to_contain_text("release time", timeout=SLOW)
        expect(heard).to_contain_text("big deal")
        expect(messages(page, "Heard").last).to_contain_text("not stored")
        click(page, "Score this answer")
        expect(cards(page)).to_have_count(1, timeout=SLOW)
        card = cards(page).last
        expect(card).to_contain_text(re.compile(r"Score \d+/100"))  # the critique, as for a typed answer
        expect(card).to_contain_text("Delivery (not part of the score)")
        expect(card).to_contain_text(re.compile(r"Pace 1\d\d words/min"))
        # Whisper keeps most fillers but may drop an "um" (seen under load); "you know" it keeps.
        expect(card).to_contain_text(re.compile(r"Fillers (um|uh|like) \d"))
        expect(card).to_contain_text("you know 1")
        # The one 4 s silence put between the two sentences, found where it is (about 0:06).
        expect(card).to_contain_text(re.compile(r"Long pauses (3|4)\.\d s at 0:0\d"))
        shot(page, "spoken-answer")
    finally:
        browser.close()


def test_a_microphone_the_page_may_not_use_is_one_line_and_the_question_stays(
    playwright: Any, app_server: Any, shot: Any
) -> None:
    # No fake-UI flag and no "microphone" permission: the browser refuses the page the microphone.
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=["--headless", "--no-sandbox", "--disable-gpu", "--use-fake-device-for-media-stream"],
    )
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        login(page, app_server.url, "alice", USERS["alice"])
        pick_first_posting(page)
        questions = messages(page, "Why this question")
        shown = questions.count()
        asked = questions.last.inner_text().splitlines()[1]  # under "Question 1 of 5 · ...": its wording
        page.locator("body").click(position={"x": 5, "y": 5})
        page.keyboard.press("p")
        refused = messages(page, "allow this page to use the microphone").last
        expect(refused).to_be_visible(timeout=SLOW)
        expect(page.locator(".step[data-step-type='user_message']")).to_have_count(0)
        expect(questions).to_have_count(shown)  # the session goes on: the same question, still due
        expect(questions.last).to_contain_text(asked)
        refused.scroll_into_view_if_needed()
        shot(page, "microphone-refused")
    finally:
        browser.close()
