"""Hostile files: archives and PDFs that expand far beyond a posting are refused fast, in one line."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from core.errors import PostingError
from knowledge import limits
from knowledge.readers import docx_to_text, pdf_to_text


def _docx(paragraphs: str) -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                head, _, tail = data.decode("utf-8").partition("<w:body>")
                data = f"{head}<w:body>{paragraphs}{tail}".encode()
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_docx_that_expands_to_hundreds_of_mb_is_refused_before_it_is_parsed() -> None:
    # Before: 800 KB expanding to ~250 MB took the app to 3.9 GB and was still parsing after 150 s.
    paragraph = "<w:p><w:r><w:t>Own the roadmap and the delivery of the platform.</w:t></w:r></w:p>"
    bomb = _docx(paragraph * 400_000)  # ~36 MB of XML, ~100 KB on disk
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(PostingError, match=r"^bomb\.docx: would expand to \d+ MB"):
        docx_to_text(bomb, "bomb.docx")
    assert time.perf_counter() - started < 2


def test_a_real_sized_docx_still_reads() -> None:
    paragraph = "<w:p><w:r><w:t>Build data pipelines in Python.</w:t></w:r></w:p>"
    text = docx_to_text(_docx(paragraph * 50), "ok.docx")
    assert "Build data pipelines in Python." in text


def test_an_archive_with_thousands_of_parts_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(limits.MAX_ARCHIVE_MEMBERS + 1):
            archive.writestr(f"part{n}.xml", "<x/>")
    with pytest.raises(PostingError, match="parts, far more than a posting"):
        limits.check_archive(out.getvalue(), "many.docx")


def test_a_part_that_expands_a_thousand_times_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (5 * 1024 * 1024))
    with pytest.raises(PostingError, match="zip bomb"):
        limits.check_archive(out.getvalue(), "ratio.docx")


def _pdf(pages: int, content: bytes | None = None) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(width=612, height=792)
        if content is not None:
            stream = DecodedStreamObject()
            stream.set_data(content)
            page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
            font = DictionaryObject({
                NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            })
            page[NameObject("/Resources")] = DictionaryObject({
                NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})
            })
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_with_hundreds_of_pages_is_refused() -> None:
    with pytest.raises(PostingError, match=r"^long\.pdf: has 250 pages"):
        pdf_to_text(_pdf(250), "long.pdf")


def test_a_pdf_stream_that_decompresses_beyond_the_bound_is_refused_fast() -> None:
    # 30 MB of text operators, ~50 KB compressed: under pypdf's own 75 MB default, over our bound.
    bomb = _pdf(1, b"BT /F1 12 Tf 72 712 Td (Own the roadmap) Tj ET\n" * (700 * 1024))
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(PostingError, match=r"^stream\.pdf: is not a readable PDF \(Limit reached"):
        pdf_to_text(bomb, "stream.pdf")
    assert time.perf_counter() - started < 5


def test_the_deadline_stops_a_slow_parse_with_the_files_name() -> None:
    deadline = limits.Deadline("slow.docx", seconds=0.0)
    time.sleep(0.01)
    with pytest.raises(PostingError, match=r"^slow\.docx: took over 0 s"):
        list(deadline.each([1, 2, 3]))
