"""Chainlit's page, served without requests to other hosts (Google Fonts, KaTeX on jsDelivr)."""

from __future__ import annotations

import re

from ui import compat


def test_the_installed_page_asks_no_other_host_once_patched() -> None:
    import chainlit.server as server

    compat.serve_page_offline()
    compat.serve_page_offline()  # idempotent
    page = server.get_html_template("")
    links = re.findall(r"<link\b[^>]*>", page)
    scripts = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]*)\"", page)
    assert links and not [link for link in links if "https://" in link or "http://" in link]
    assert scripts and all(src.startswith("/") for src in scripts)
    assert "/assets/" in page  # the app's own bundle stays


def test_offline_page_keeps_local_links() -> None:
    html = (
        '<link rel="preconnect" href="https://fonts.googleapis.com" />\n'
        '<link\n  href="https://fonts.googleapis.com/css2?family=Inter" rel="stylesheet"\n/>\n'
        '<link rel="stylesheet" href="/public/coach.css">'
    )
    assert compat.offline_page(html) == '<link rel="stylesheet" href="/public/coach.css">'
