"""``coach transcribe FILE [--json]``: the transcript of a spoken answer and its delivery figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def delivery_lines(text: str | None, delivery: object) -> list[str]:
    """The transcript (if given) and the delivery figures as plain lines, for the terminal."""
    from chains.models import Delivery
    from chains.speech.delivery import fillers_line

    assert isinstance(delivery, Delivery)
    d = delivery
    pace = "-" if d.words_per_minute is None else f"{d.words_per_minute:.0f} words/min"
    pauses = ", ".join(f"{p.length_s:.1f} s at {p.start_s:.1f} s" for p in d.long_pauses) or "none"
    lines = [text] if text is not None else []
    lines += [
        f"Delivery (not part of the score): {d.duration_s:.1f} s, {pace}, "
        f"fillers: {fillers_line(d.fillers)}, long pauses: {pauses}.",
        f"Tip: {d.tip}",
    ]
    return lines


def transcribe(
    file: Annotated[Path, typer.Argument(help="An audio file (WAV, MP3, FLAC, OGG, M4A), up to 5 minutes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: text, duration_s, words_per_minute, "
                                          "fillers, long_pauses.")] = False,
    question: Annotated[str | None, typer.Option("--question", help="The interview question answered (a hint "
                                                 "to the decoder when COACH_SPEECH_PROMPT is set).")] = None,
) -> None:
    """Transcribe a spoken answer offline and print the transcript with its delivery figures."""
    from chains.speech.transcriber import Transcriber
    from core.errors import CoachError
    from core.settings import get_settings

    settings = get_settings()
    recogniser = Transcriber(
        settings.data_dir, threads=settings.speech_threads, prompting=settings.speech_prompt
    )
    try:
        heard = recogniser.transcribe_file(file, question)
    except CoachError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        recogniser.close()
    d = heard.delivery
    if as_json:
        typer.echo(json.dumps({
            "text": heard.text,
            "duration_s": d.duration_s,
            "words_per_minute": d.words_per_minute,
            "fillers": d.fillers,
            "long_pauses": [{"start_s": p.start_s, "length_s": p.length_s} for p in d.long_pauses],
            "tip": d.tip,
        }, indent=2))
        return
    for line in delivery_lines(heard.text, d):
        typer.echo(line)


def register(app: typer.Typer) -> None:
    """Add ``transcribe`` to the app."""
    app.command("transcribe")(transcribe)
