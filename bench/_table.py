"""A tiny table printer shared by the benchmarks: Markdown pipe tables, pasteable into docs."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Sequence


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Rows under headers as an aligned Markdown table (numeric columns right-aligned)."""
    cells = [[_cell(v) for v in row] for row in rows]
    columns = range(len(headers))
    widths = [max([len(headers[i]), *(len(r[i]) for r in cells)]) for i in columns]
    numeric = [bool(cells) and all(_is_number(r[i]) for r in cells) for i in columns]

    def line(values: Sequence[str]) -> str:
        padded = [values[i].rjust(widths[i]) if numeric[i] else values[i].ljust(widths[i]) for i in columns]
        return "| " + " | ".join(padded) + " |"

    rule = "|".join("-" * (widths[i] + 1) + ":" if numeric[i] else "-" * (widths[i] + 2) for i in columns)
    return "\n".join([line(list(headers)), f"|{rule}|", *(line(r) for r in cells)])


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a titled Markdown table with the date and machine, ready for docs/benchmarks.md."""
    print(f"### {title}\n")
    print(f"{time.strftime('%Y-%m-%d')}, {machine()}\n")
    print(markdown_table(headers, rows))
    print()


def machine() -> str:
    """A short description of where the benchmark ran."""
    system = f"{platform.system()} {platform.machine()}"
    return f"{os.cpu_count()} cores, {system}, Python {platform.python_version()}"


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").rstrip("x%"))
    except ValueError:
        return False
    return True
