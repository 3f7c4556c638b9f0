"""Practice over sessions as a person meets it: settings that stay, the counter, the summary and its files.

All on the one shared server of the e2e run (a server start costs half a minute); alice and bob are
the two users of ``conftest.USERS``. The screenshots of the summary and the progress view in the
README are taken here, from the real page at 1280 px.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from tests.e2e.conftest import REPO, USERS
from tests.e2e.helpers import (
    MODEL_ANSWER,
    SLOW,
    answer,
    click,
    login,
    messages,
    named_thread,
    questions,
    send,
)

pytestmark = pytest.mark.e2e

COUNTER = re.compile(r"Question (\d+) of (\d+)")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
NURSE = "Registered Nurse, Medical-Surgical Unit (Nights)"
DOCS = REPO / "docs"


def _pick_posting(page: Page) -> None:
    """Start a session on a posting (a posting button, not 'Practise my weakest areas')."""
    welcome = messages(page, "Choose a posting").last
    welcome.get_by_role("button", name=re.compile(" · ")).first.click()
    expect(questions(page).first).to_be_visible(timeout=SLOW)


def _new_chat(page: Page) -> None:
    page.locator("#new-chat-button").click()
    page.get_by_role("dialog").get_by_role("button", name="Confirm").click()
    expect(messages(page, "Choose a posting")).to_have_count(1, timeout=SLOW)


def _open_settings(page: Page) -> Any:
    page.locator("#chat-settings-open-modal").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("slider")).to_be_visible(timeout=SLOW)
    return dialog


def _set_questions(page: Page, count: int) -> None:
    """Move the 'Number of questions' slider to ``count`` with the keyboard and confirm."""
    dialog = _open_settings(page)
    slider = dialog.get_by_role("slider")
    now = int(slider.get_attribute("aria-valuenow") or 0)
    slider.focus()
    for _ in range(abs(count - now)):
        page.keyboard.press("ArrowRight" if count > now else "ArrowLeft")
    expect(slider).to_have_attribute("aria-valuenow", str(count))
    dialog.get_by_role("button", name="Confirm").click()
    expect(messages(page, "Settings saved").last).to_be_visible(timeout=SLOW)


def _idle(page: Page) -> None:
    """Wait until the app has finished the last request (Chainlit drops input sent while it runs)."""
    expect(page.locator("#stop-button")).to_have_count(0, timeout=SLOW)


def _model_answer(page: Page) -> str:
    """The pending question's model answer: its example, or its guide for an offline outline (no quote)."""
    before = messages(page, MODEL_ANSWER).count()
    click(page, "Show model answer")
    expect(messages(page, MODEL_ANSWER)).to_have_count(before + 1, timeout=SLOW)
    shown = messages(page, MODEL_ANSWER).last
    example = shown.locator("blockquote")
    if example.count():
        return example.inner_text().strip()
    return " ".join(shown.locator("li").all_inner_texts())


def _counted(page: Page) -> list[tuple[int, int]]:
    """Every "Question N of M" on the page, in order."""
    return [(int(n), int(m)) for text in questions(page).all_inner_texts() for n, m in COUNTER.findall(text)]


def test_settings_stay_for_their_user_across_new_chat_and_reload(
    browser: Browser, browser_context_args: dict[str, Any], app_server: Any
) -> None:
    url = app_server.url
    bob = browser.new_context(**browser_context_args).new_page()
    login(bob, url, "bob", USERS["bob"])
    _set_questions(bob, 3)

    _new_chat(bob)
    _pick_posting(bob)
    expect(questions(bob).last).to_contain_text("Question 1 of 3")

    # Reloaded before the thread is stored (its URL not yet /thread/ID), the page is a new chat, as in
    # any Chainlit app; under load that can take a few seconds, so wait for it as a person's reload would.
    expect(bob).to_have_url(re.compile(r"/thread/[0-9a-f-]{36}$"), timeout=SLOW)
    bob.reload()
    expect(messages(bob, "Welcome back.")).to_have_count(1, timeout=SLOW)
    expect(messages(bob, "Welcome back.")).to_contain_text("of 3 questions")
    dialog = _open_settings(bob)
    expect(dialog.get_by_role("slider")).to_have_attribute("aria-valuenow", "3")
    dialog.get_by_role("button", name="Cancel").click()

    # Alice, on the same server, still has her own (the default five).
    alice = browser.new_context(**browser_context_args).new_page()
    login(alice, url, "alice", USERS["alice"])
    dialog = _open_settings(alice)
    expect(dialog.get_by_role("slider")).to_have_attribute("aria-valuenow", "5")
    dialog.get_by_role("button", name="Cancel").click()
    _pick_posting(alice)
    expect(questions(alice).last).to_contain_text("Question 1 of 5")

    _set_questions(bob, 5)  # as it was: later tests count on the default


def test_nursing_job_in_words_picks_the_nurse_posting(page: Page, app_server: Any) -> None:
    login(page, app_server.url, "alice", USERS["alice"])
    send(page, "I have an interview next week for a nursing job")
    reply = messages(page, "closest in meaning").last
    expect(reply).to_be_visible(timeout=SLOW)
    first = reply.get_by_role("button", name=re.compile(" · ")).first  # a posting, not the copy icon
    expect(first).to_contain_text(NURSE)
    first.click()
    expect(questions(page).first).to_be_visible(timeout=SLOW)
    expect(page).to_have_url(re.compile(r"/thread/[0-9a-f-]{36}$"), timeout=SLOW)
    thread_id = page.url.rsplit("/", 1)[1]
    name = named_thread(app_server.data_dir, "alice", rf".* · {re.escape(NURSE)}", thread_id)["name"]
    assert name.endswith(f" · {NURSE}"), name
    expect(page.locator(f"a[href='/thread/{thread_id}']")).to_contain_text(NURSE, timeout=SLOW)


def test_a_click_on_a_row_of_the_postings_table_picks_that_posting(page: Page, app_server: Any) -> None:
    login(page, app_server.url, "alice", USERS["alice"])
    welcome = messages(page, "Choose a posting").last
    expect(welcome).to_be_visible(timeout=SLOW)
    row = welcome.locator("tr.coach-pick", has_text=NURSE).first
    expect(row).to_be_visible(timeout=SLOW)
    row.locator("td").last.click()  # a cell, not a button: the row itself picks
    expect(questions(page).first).to_be_visible(timeout=SLOW)
    expect(page).to_have_url(re.compile(r"/thread/[0-9a-f-]{36}$"), timeout=SLOW)
    thread_id = page.url.rsplit("/", 1)[1]
    name = named_thread(app_server.data_dir, "alice", rf".* · {re.escape(NURSE)}", thread_id)["name"]
    assert name.endswith(f" · {NURSE}"), name


def test_a_long_answer_is_scored_and_told_how_long_an_answer_should_take(page: Page, app_server: Any) -> None:
    # bob: alice's sessions are counted by the whole-session test below.
    login(page, app_server.url, "bob", USERS["bob"])
    _pick_posting(page)
    story = (
        "In my last role I looked after the weekly planning for a team of eight, and one spring the plan "
        "kept slipping because two people were off and the work came in late from another team. "
    )
    long_answer = story * 30  # about 1,000 words: several minutes spoken
    card = answer(page, long_answer)
    assert re.search(r"\d+/100", card), card
    expect(messages(page, "one to three minutes").last).to_be_visible(timeout=SLOW)
    expect(messages(page, "one to three minutes").last).to_contain_text("minutes spoken")


def test_whole_session_offline_counter_summary_files_and_reopen(
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    playwright: Playwright,
    app_server: Any,
    shot: Any,
) -> None:
    url = app_server.url
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    login(page, url, "alice", USERS["alice"])
    _pick_posting(page)
    expect(questions(page).last).to_contain_text("Question 1 of 5")

    # Skips say what they do, and a skipped question's place does not count.
    for _ in range(4):
        notices, asked = messages(page, "Skipped:").count(), questions(page).count()
        _idle(page)
        click(page, "Next question")
        expect(messages(page, "Skipped:")).to_have_count(notices + 1, timeout=SLOW)
        expect(questions(page)).to_have_count(asked + 1, timeout=SLOW)
        skipped = messages(page, "Skipped:").last.inner_text()
        assert "does not count as one of your" in skipped or "nothing takes its place" in skipped, skipped
    expect(questions(page).last).to_contain_text("Question 1 of")

    # An answer, a retry of it, the next answer: retries keep their question's number.
    _idle(page)
    answer(page, "fine")
    asked = questions(page).count()
    _idle(page)
    click(page, "Retry this question")
    expect(questions(page)).to_have_count(asked + 1, timeout=SLOW)
    _idle(page)
    answer(page, _model_answer(page))  # the retry, as well as it can be answered: the best score counts
    if "Follow-up" in questions(page).last.inner_text():
        asked = questions(page).count()
        _idle(page)
        click(page, "Next question")
        expect(questions(page)).to_have_count(asked + 1, timeout=SLOW)
    _idle(page)
    answer(page, _model_answer(page))
    counted = _counted(page)
    assert counted and all(n <= m for n, m in counted), counted
    numbers = [n for n, _ in counted]
    assert numbers == sorted(numbers), counted  # never back to 1 after a skip or a retry
    assert max(numbers) >= 2, counted  # four skips did not use up the session

    _idle(page)
    click(page, "End session")
    summary = messages(page, "Session summary").last
    expect(summary).to_be_visible(timeout=SLOW)
    chart = summary.locator(".js-plotly-plot")
    expect(chart).to_be_visible(timeout=SLOW)
    table = summary.locator("table").first
    table.scroll_into_view_if_needed()
    for cell in (table.locator("th").last, table.locator("tr").last.locator("td").last):
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1280, box
    # Chainlit puts an inline file before an inline chart: the text says where the report is.
    link_box = summary.get_by_role("link", name=re.compile(r"interview-report-.*\.md")).bounding_box()
    chart_box = chart.bounding_box()
    assert link_box is not None and chart_box is not None and link_box["y"] < chart_box["y"]
    expect(summary).to_contain_text("the Markdown file just below")
    _save_views(page, summary)
    shot(page, "summary")

    # Reopened, the finished thread shows its summary once, with its chart and report as stored.
    reopened = len(requested)
    page.reload()
    expect(messages(page, "Welcome back.")).to_contain_text("This session has ended", timeout=SLOW)
    expect(messages(page, "Session summary")).to_have_count(1)
    again = messages(page, "Session summary").last
    expect(again.locator(".js-plotly-plot")).to_be_visible(timeout=SLOW)
    # One definition of the session score: the welcome-back line and the summary give the same number.
    said = re.search(r"Session score (\d+)/100", messages(page, "Welcome back.").last.inner_text())
    shown = re.search(r"Session score (\d+)/100", again.inner_text())
    assert said and shown and said.group(1) == shown.group(1), (said, shown)
    expect(again.get_by_role("link", name=re.compile(r"interview-report-.*\.md"))).to_have_count(1)
    expect(messages(page, "Download the report")).to_have_count(1)
    expect(messages(page, "The chart and report of this session")).to_have_count(0)
    shot(page, "reopened")

    # Its report and chart are stored elements: alice reads them at the URLs the reopened page uses; bob
    # (logged in) and a visitor without a cookie cannot.
    link = again.get_by_role("link", name=re.compile(r"interview-report-.*\.md"))
    href = link.get_attribute("href") or ""
    assert href.startswith("/coach/files/threads/") or href.startswith(f"{url}/coach/files/threads/"), href
    file_url = href if href.startswith("http") else url + href
    mine = page.request.get(file_url)
    assert mine.status == 200 and "### Question 1" in mine.text(), mine.status
    bob = browser.new_context(**browser_context_args).new_page()
    login(bob, url, "bob", USERS["bob"])
    assert bob.request.get(f"{url}/user").status == 200  # he is logged in: the refusal is about the file
    refused = bob.request.get(file_url)
    # Not found, as for a file that is not there: 401 ("log in") would be untrue, he is logged in.
    assert refused.status == 404 and "### Question" not in refused.text(), refused.status
    anonymous = playwright.request.new_context()
    try:
        assert anonymous.get(file_url).status == 401
    finally:
        anonymous.dispose()
    chart_urls = [u for u in requested[reopened:] if "/coach/files/threads/" in u and u != file_url]
    assert chart_urls, "the chart was not read from the stored file"
    assert page.request.get(chart_urls[-1]).status == 200
    assert bob.request.get(chart_urls[-1]).status == 404

    # Nothing the page asked for left this machine (fonts, KaTeX, telemetry...).
    outside = sorted(
        {
            urlsplit(u).hostname or ""
            for u in requested
            if urlsplit(u).scheme in ("http", "https", "ws", "wss")
            and urlsplit(u).hostname not in LOCAL_HOSTS
        }
    )
    assert outside == [], outside


def _save_views(page: Page, summary: Any) -> None:
    """The README's pictures: the summary (score and table) and the progress view (table and chart).

    The window is made tall for the moment of the pictures so that each view is on screen whole; the
    width stays 1280 px.
    """
    DOCS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 3000})
    try:
        summary.scroll_into_view_if_needed()
        progress = summary.get_by_role("heading", name=re.compile("Your progress on this posting"))
        chart = summary.locator(".js-plotly-plot")
        box, start, end = summary.bounding_box(), progress.bounding_box(), chart.bounding_box()
        assert box is not None and start is not None and end is not None
        x, width = box["x"], box["width"]
        page.screenshot(
            path=str(DOCS / "summary.png"),
            clip={"x": x, "y": box["y"], "width": width, "height": start["y"] - box["y"] - 4},
        )
        page.screenshot(
            path=str(DOCS / "progress.png"),
            clip={
                "x": x,
                "y": start["y"] - 4,
                "width": width,
                "height": end["y"] + end["height"] - start["y"] + 12,
            },
        )
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
