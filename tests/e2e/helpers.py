"""Steps a person takes in the browser, shared by the e2e scenarios."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

ASSISTANT = ".step[data-step-type='assistant_message']"
SCORE = re.compile(r"Score \d+/100")
MODEL_ANSWER = re.compile(r"Model answer \(")  # the message, not the "Show model answer" button
SLOW = 90_000  # ms: the first answer on a cold server waits for the embeddings model


def login(page: Page, url: str, name: str, password: str) -> None:
    """Log in on the login page and wait for the first screen."""
    page.goto(url)
    page.wait_for_selector("#email", timeout=SLOW)
    page.fill("#email", name)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(ASSISTANT).first).to_contain_text("Choose a posting", timeout=SLOW)


def messages(page: Page, has_text: Any = None) -> Locator:
    """Assistant messages, optionally only those containing ``has_text`` (str or regex)."""
    found = page.locator(ASSISTANT)
    return found.filter(has_text=has_text) if has_text is not None else found


def questions(page: Page) -> Locator:
    """The question messages."""
    return messages(page, "Why this question:")


def cards(page: Page) -> Locator:
    """The critique cards."""
    return messages(page, SCORE)


def send(page: Page, text: str) -> None:
    """Type into the chat box and send."""
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")


def pick_first_posting(page: Page) -> str:
    """Click the first posting on the welcome screen; its button label."""
    button = messages(page, "Choose a posting").first.get_by_role("button").first
    label = button.inner_text().strip()
    button.click()
    expect(questions(page).first).to_be_visible(timeout=SLOW)
    return label


def click(page: Page, label: str) -> None:
    """Click the (only live) button with this label."""
    page.get_by_role("button", name=label, exact=True).last.click()


def model_answer_text(page: Page) -> str:
    """Show the model answer of the pending question and return its text."""
    before = messages(page, MODEL_ANSWER).count()
    click(page, "Show model answer")
    expect(messages(page, MODEL_ANSWER)).to_have_count(before + 1, timeout=SLOW)
    return messages(page, MODEL_ANSWER).last.locator("blockquote").inner_text().strip()


def answer(page: Page, text: str) -> str:
    """Send an answer and return the text of its critique card (after the next question or summary)."""
    before = cards(page).count()
    send(page, text)
    expect(cards(page)).to_have_count(before + 1, timeout=SLOW)
    return cards(page).last.inner_text()


def score_of(text: str) -> int:
    """The score in a critique card's text."""
    match = re.search(r"Score (\d+)/100", text)
    assert match, f"no score in: {text[:200]}"
    return int(match.group(1))


def open_thread_from_sidebar(page: Page, thread_id: str) -> None:
    """Click the session in the sidebar's history."""
    link = page.locator(f"a[href='/thread/{thread_id}']")
    expect(link).to_be_visible(timeout=SLOW)
    link.click()
    expect(messages(page, "Welcome back.")).to_have_count(1, timeout=SLOW)


def threads_of(data_dir: Path, user: str) -> list[dict[str, Any]]:
    """The user's threads in the app's history database (id, name), newest first."""
    db = sqlite3.connect(data_dir / "history.sqlite")
    try:
        rows = db.execute(
            'SELECT "id", "name" FROM threads WHERE "userIdentifier" = ? ORDER BY "createdAt" DESC', (user,)
        ).fetchall()
    finally:
        db.close()
    return [{"id": r[0], "name": r[1]} for r in rows]


def named_thread(data_dir: Path, user: str, pattern: str, thread_id: str | None = None) -> dict[str, Any]:
    """The user's thread (the newest, or thread_id) once its name matches pattern.

    The app names a thread in the background so the first question never waits on SQLite's single
    writer; the name can land a moment after the question shows. Returns the thread as last read, so
    a name that never matches fails the caller's assertion with the name it had.
    """
    deadline = time.monotonic() + SLOW / 1000
    while True:
        threads = threads_of(data_dir, user)
        if thread_id is not None:
            threads = [t for t in threads if t["id"] == thread_id]
        if threads and re.fullmatch(pattern, threads[0]["name"] or ""):
            return threads[0]
        if time.monotonic() > deadline:
            assert threads, f"no thread of {user} in the history database"
            return threads[0]
        time.sleep(0.2)
