"""A person speaks an answer: Chromium plays an espeak-ng WAV as a fake microphone into the real app.

The WAV holds fillers and a long pause; the test asserts the transcript shown as the user's answer,
then the critique card with its delivery figures (the fillers and the pause are found).
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
        args=["--headless", "--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream",
              "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav}%noloop"],
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
        expect(card).to_contain_text("Delivery (not part of the score)")
        # Whisper keeps most fillers but may drop an "um" (seen under load); "you know" it keeps.
        expect(card).to_contain_text(re.compile(r"Fillers (um|uh|like) \d"))
        expect(card).to_contain_text("you know 1")
        expect(card).to_contain_text("Long pauses 4")
        shot(page, "spoken-answer")
    finally:
        browser.close()
