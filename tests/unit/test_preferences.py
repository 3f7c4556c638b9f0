"""A user's settings kept in the data dir until they change them."""

from __future__ import annotations

from pathlib import Path

from ui import preferences


def test_saved_per_user_and_read_back(tmp_path: Path) -> None:
    assert preferences.load(tmp_path, "alice") == {}
    preferences.save(tmp_path, "alice", {"difficulty": "hard", "questions": 3, "unknown": "x"})
    preferences.save(tmp_path, "bob", {"questions": 9})
    assert preferences.load(tmp_path, "alice") == {"difficulty": "hard", "questions": 3}
    assert preferences.load(tmp_path, "bob") == {"questions": 9}
    preferences.save(tmp_path, "alice", {"questions": 4})
    assert preferences.load(tmp_path, "alice") == {"questions": 4}
    files = list((tmp_path / "preferences").iterdir())
    assert len(files) == 2 and all("alice" not in f.name for f in files)  # named by a hash


def test_an_unreadable_file_means_defaults(tmp_path: Path) -> None:
    preferences.save(tmp_path, "../../alice", {"questions": 4})
    [path] = list((tmp_path / "preferences").iterdir())  # a user id never becomes a path
    path.write_text("{not json")
    assert preferences.load(tmp_path, "../../alice") == {}
