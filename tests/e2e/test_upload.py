"""A person adds their own posting in the browser: a bad file first, then a Word file; then practises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.e2e.conftest import USERS
from tests.e2e.helpers import SLOW, answer, click, login, messages, questions, score_of, send

pytestmark = pytest.mark.e2e

TITLE = "Site Reliability Engineer <script>alert('x')</script>"


def _posting_docx(path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_heading(TITLE, level=1)
    doc.add_paragraph("Nimbus Cloudworks, Lisbon, Portugal")
    doc.add_heading("Responsibilities", level=2)
    for item in (
        "Run and improve the on-call rotation for our Kubernetes platform.",
        "Define service level objectives and build dashboards and alerts in Prometheus and Grafana.",
        "Lead blameless postmortems and follow up on the action items.",
    ):
        doc.add_paragraph(item, style="List Bullet")
    doc.add_heading("Minimum qualifications", level=2)
    for item in (
        "3 years of experience operating Linux systems in production.",
        "Experience automating infrastructure with Terraform.",
    ):
        doc.add_paragraph(item, style="List Bullet")
    doc.save(str(path))
    return path


def _upload(page: Page, path: Path) -> None:
    """Attach a file with the clip button's file input, wait for the upload, then send."""
    with page.expect_response(
        lambda r: "/project/file" in r.url and r.request.method == "POST", timeout=SLOW
    ) as uploaded:
        page.locator("input[type=file]").first.set_input_files(str(path))
    assert uploaded.value.ok, uploaded.value.status
    expect(page.get_by_text(path.name).last).to_be_visible(timeout=SLOW)
    send(page, f"here is {path.stem}")


def test_upload_bad_file_then_docx_and_practise(
    page: Page, app_server: Any, shot: Any, tmp_path: Path
) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    login(page, app_server.url, "alice", USERS["alice"])

    fake = tmp_path / "broken.pdf"
    fake.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    _upload(page, fake)
    problem = messages(page, "broken.pdf:").last
    expect(problem).to_contain_text("try again", timeout=SLOW)
    expect(problem.get_by_role("button", name="Try again")).to_be_visible()
    shot(page, "1-bad-file")

    click(page, "Try again")
    expect(messages(page, "Add a posting").last).to_be_visible(timeout=SLOW)
    _upload(page, _posting_docx(tmp_path / "sre-posting.docx"))
    parsed = messages(page, "5 requirements").last
    expect(parsed).to_be_visible(timeout=SLOW)
    expect(parsed).to_contain_text(TITLE)  # the tag shows as text
    expect(parsed).to_contain_text("3 responsibilities, 2 required qualifications")
    expect(parsed).to_contain_text("Terraform")
    assert page.locator("script:has-text(\"alert('x')\")").count() == 0
    shot(page, "2-parsed")

    click(page, "Start practice on this posting")
    expect(questions(page).last).to_contain_text("Question 1 of", timeout=SLOW)
    card = answer(
        page,
        "I ran the on-call rotation for a Kubernetes platform for two years: I cut pages by 40% "
        "by fixing noisy alerts in Prometheus, wrote runbooks, and led blameless postmortems.",
    )
    assert 0 <= score_of(card) <= 100
    # Offline, the card names the parts of a strong answer, never the model answer's placeholders.
    assert "Your own actions" in card and "In my last role" not in card, card
    shot(page, "3-practising")
    assert dialogs == []  # nothing from the posting ran as script
