"""A person practises in the browser from the first screen to the summary, across a reload and a restart."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import USERS
from tests.e2e.helpers import (
    SLOW,
    answer,
    cards,
    click,
    login,
    messages,
    model_answer_text,
    named_thread,
    open_thread_from_sidebar,
    pick_first_posting,
    questions,
    score_of,
)

pytestmark = pytest.mark.e2e


def test_practice_resume_restart_summary(page: Page, app_server: Any, shot: Any) -> None:
    url = app_server.url
    login(page, url, "alice", USERS["alice"])
    welcome = messages(page, "Choose a posting").first
    expect(welcome).to_contain_text("one at a time")
    expect(welcome.locator("table")).to_be_visible()
    shot(page, "1-welcome")

    label = pick_first_posting(page)
    title = label.split(" · ")[0]
    expect(questions(page).last).to_contain_text("Question 1 of 5")
    expect(questions(page).last).to_contain_text("Why this question:")
    expect(page.get_by_text("Retrieved requirements").first).to_be_visible()

    # A strong answer (the model answer, shown by the button) and a non-answer.
    strong = model_answer_text(page)
    assert len(strong) > 80
    good = score_of(answer(page, strong))
    if "Follow-up" in questions(page).last.inner_text():
        # Echoing the example answer is not always a strong answer to this wording: a follow-up may come
        # first. Moving on keeps the next answer its own question's (a follow-up's answer is scored
        # together with the first one).
        asked = questions(page).count()
        click(page, "Next question")
        expect(questions(page)).to_have_count(asked + 1, timeout=SLOW)
    weak_card = answer(page, "fine")
    weak = score_of(weak_card)
    shot(page, "2-two-answers")
    assert good >= weak + 40, (good, weak)
    assert "weak" in weak_card
    expect(cards(page).first).to_contain_text("Covered")

    # The model answer of the question now due, then a reload: nothing answered is lost.
    due_answer = model_answer_text(page)
    assert due_answer and due_answer != strong
    expect(page).to_have_url(re.compile(r"/thread/[0-9a-f-]{36}$"), timeout=SLOW)
    thread_id = page.url.rsplit("/", 1)[1]
    name = rf"#\d+ · \d+ \w{{3}} \d\d:\d\d · {re.escape(title)}"
    thread = named_thread(app_server.data_dir, "alice", name, thread_id)
    assert re.fullmatch(name, thread["name"]), thread["name"]
    due_question = questions(page).last.inner_text().split("\n")[0]
    page.reload()
    resumed = messages(page, "Welcome back.")
    expect(resumed).to_have_count(1, timeout=SLOW)
    expect(resumed).to_contain_text(re.compile(rf"scores so far: {good}, {weak}\b"))
    expect(questions(page).last).to_contain_text(due_question.split(" · ")[0])
    shot(page, "3-after-reload")

    # A server restart mid-session; the login survives (the secret is kept in the data dir).
    app_server.restart()
    page.goto(url)
    expect(messages(page, "Choose a posting").first).to_be_visible(timeout=SLOW)
    open_thread_from_sidebar(page, thread_id)
    expect(messages(page, "Welcome back.")).to_contain_text(re.compile(rf"scores so far: {good}, {weak}\b"))
    shot(page, "4-after-restart")

    third = score_of(answer(page, due_answer))
    assert third >= weak + 40
    click(page, "End session")
    summary = messages(page, "Session summary").last
    expect(summary).to_be_visible(timeout=SLOW)
    table = summary.locator("table").first
    expect(table).to_contain_text("Best score")
    # At 1280 px with the sidebar open the whole table is on screen, its last column too.
    table.scroll_into_view_if_needed()
    last = table.locator("th").last
    box = last.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280, box
    expect(summary).to_contain_text("Your progress on this posting")
    expect(page.locator(".js-plotly-plot").last).to_be_visible(timeout=SLOW)
    shot(page, "5-summary")

    link = page.get_by_role("link", name=re.compile(r"interview-report-.*\.md")).last
    with page.expect_download() as download_info:
        link.click()
    report = download_info.value.path().read_text()
    assert title.split(",")[0] in report
    for score in (good, weak, third):
        assert str(score) in report
    for part in ("### Question 1", "**Your answer:**", "**Model answer**", "## Progress against earlier"):
        assert part in report, part
    assert "fine" in report  # the weak answer itself, not only its score


WIDE_AS_ITS_LONGEST_WORD = """cell => {
    const probe = document.createElement("span");
    probe.style.whiteSpace = "nowrap";
    cell.appendChild(probe);
    let longest = 0;
    for (const word of cell.innerText.split(/\\s+/)) {
        probe.textContent = word;
        longest = Math.max(longest, probe.getBoundingClientRect().width);
    }
    probe.remove();
    const style = getComputedStyle(cell);
    return cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) + 0.5 >= longest;
}"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (768, 1024), (390, 844)])
def test_the_postings_list_fits_the_screen_on_a_desktop_a_tablet_and_a_phone(
    page: Page, app_server: Any, shot: Any, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    login(page, app_server.url, "bob", USERS["bob"])
    welcome = messages(page, "Choose a posting").first
    table = welcome.locator("table.coach-postings")
    expect(table).to_be_visible()
    # The table fits its box (no sideways scrolling): on narrow screens by leaving out the counts.
    overflow = table.evaluate("t => t.scrollWidth - t.parentElement.clientWidth")
    assert overflow <= 1, overflow
    counts = table.get_by_role("columnheader", name="Requirements")
    expect(counts).to_be_visible() if width > 900 else expect(counts).to_be_hidden()
    # Titles and companies break between words only: each cell is as wide as its longest word.
    for cell in table.locator("tbody tr td:nth-child(2), tbody tr td:nth-child(3)").all():
        assert cell.evaluate(WIDE_AS_ITS_LONGEST_WORD), cell.inner_text()
    buttons = welcome.get_by_role("button", name=re.compile(" · "))
    assert buttons.count() == table.locator("tbody tr").count()
    for button in buttons.all():
        box = button.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, (button.inner_text(), box)
    shot(page, f"welcome-{width}")
