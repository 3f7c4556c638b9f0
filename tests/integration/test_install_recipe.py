"""`make system-packages` for real, with `apt-get`, `sudo` and `id` replaced by shims on PATH.

The shims record each call (argv, DEBIAN_FRONTEND, SUDO_USER) in a log; the apt-get shim "installs"
Chromium, initdb and espeak-ng by creating the files that the Makefile's CHROMIUM, PG_GLOB and ESPEAK
point at. The
sudo shim resets the environment as real sudo does, so a DEBIAN_FRONTEND set before sudo is lost.
Needs only make and sh, not the venv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
INSTALL = ["install", "-y", "-qq", "chromium", "postgresql", "espeak-ng"]
UPDATE = ["update", "-qq"]

# Each shim appends one tab-separated line: name, DEBIAN_FRONTEND, SUDO_USER, then its arguments.
_RECORD = """\
{{ printf '%s\\t%s\\t%s' "{name}" "${{DEBIAN_FRONTEND-<unset>}}" "${{SUDO_USER-<unset>}}"
  for arg in "$@"; do printf '\\t%s' "$arg"; done
  printf '\\n'; }} >> "{log}"
"""

_APT_GET = """\
#!/bin/sh
{record}
if [ "$1" = update ]; then exit {update_rc}; fi
if [ "$1" = install ]; then
  [ {install_rc} = 0 ] || exit {install_rc}
  {install_files}
  exit 0
fi
echo "apt-get shim: unexpected call: $*" >&2
exit 2
"""

# Real sudo resets the environment (env_reset): only PATH and SUDO_USER reach the command.
_SUDO = """\
#!/bin/sh
{record}
exec env -i PATH="$PATH" SUDO_USER=shim-user "$@"
"""

_ID = """\
#!/bin/sh
{record}
if [ "$1" = -u ]; then echo {uid}; exit 0; fi
echo "id shim: unexpected call: $*" >&2
exit 2
"""


@dataclass(frozen=True)
class Call:
    name: str
    debian_frontend: str
    sudo_user: str
    args: list[str]


@dataclass
class Machine:
    """A temp dir with shims on PATH and the paths the recipe checks."""

    root: Path
    log: Path
    chromium: Path
    initdb: Path
    espeak: Path

    @property
    def pg_glob(self) -> str:
        return str(self.root / "usr-lib-postgresql" / "*" / "bin" / "initdb")

    def make(self) -> subprocess.CompletedProcess[str]:
        env = {
            key: value
            for key, value in os.environ.items()
            # No flags or variables from an enclosing `make test`, and no DEBIAN_FRONTEND from the caller.
            if key not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "DEBIAN_FRONTEND"}
        }
        env["PATH"] = f"{self.root / 'bin'}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"
        return subprocess.run(
            [
                _tool("make"),
                "--no-print-directory",
                "-C",
                str(REPO_ROOT),
                "system-packages",
                f"CHROMIUM={self.chromium}",
                f"PG_GLOB={self.pg_glob}",
                f"ESPEAK={self.espeak}",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )

    def calls(self, *names: str) -> list[Call]:
        if not self.log.exists():
            return []
        found = []
        for line in self.log.read_text().splitlines():
            name, frontend, sudo_user, *args = line.split("\t")
            if not names or name in names:
                found.append(Call(name, frontend, sudo_user, args))
        return found


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"'{name}' is not on PATH: the install recipe test needs make and sh")
    return found


def _machine(
    tmp_path: Path, *, uid: int, update_rc: int = 0, install_rc: int = 0, installs: tuple[str, ...] = ("all",)
) -> Machine:
    _tool("sh")
    machine = Machine(
        root=tmp_path,
        log=tmp_path / "calls.log",
        chromium=tmp_path / "usr-bin" / "chromium",
        initdb=tmp_path / "usr-lib-postgresql" / "15" / "bin" / "initdb",
        espeak=tmp_path / "usr-bin" / "espeak-ng",
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    install_files = []
    if "all" in installs or "chromium" in installs:
        install_files.append(
            f'mkdir -p "{machine.chromium.parent}" && : > "{machine.chromium}" '
            f'&& chmod +x "{machine.chromium}"'
        )
    if "all" in installs or "initdb" in installs:
        install_files.append(
            f'mkdir -p "{machine.initdb.parent}" && : > "{machine.initdb}" && chmod +x "{machine.initdb}"'
        )
    if "all" in installs or "espeak" in installs:
        install_files.append(
            f'mkdir -p "{machine.espeak.parent}" && : > "{machine.espeak}" && chmod +x "{machine.espeak}"'
        )
    scripts = {
        "apt-get": _APT_GET.format(
            record=_RECORD.format(name="apt-get", log=machine.log),
            update_rc=update_rc,
            install_rc=install_rc,
            install_files="\n  ".join(install_files) or ":",
        ),
        "sudo": _SUDO.format(record=_RECORD.format(name="sudo", log=machine.log)),
        "id": _ID.format(record=_RECORD.format(name="id", log=machine.log), uid=uid),
    }
    for name, text in scripts.items():
        path = bin_dir / name
        path.write_text(text)
        path.chmod(0o755)
    return machine


def _failure(result: subprocess.CompletedProcess[str]) -> str:
    return f"make exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_as_root_apt_get_runs_without_sudo_and_noninteractive(tmp_path: Path) -> None:
    machine = _machine(tmp_path, uid=0)

    result = machine.make()

    assert result.returncode == 0, _failure(result)
    assert machine.calls("sudo") == []
    apt = machine.calls("apt-get")
    assert [call.args for call in apt] == [UPDATE, INSTALL], _failure(result)
    assert [call.sudo_user for call in apt] == ["<unset>", "<unset>"]
    assert apt[1].debian_frontend == "noninteractive"
    assert machine.chromium.exists() and machine.initdb.exists() and machine.espeak.exists()


def test_as_a_user_apt_get_runs_through_sudo_and_noninteractive(tmp_path: Path) -> None:
    machine = _machine(tmp_path, uid=1000)

    result = machine.make()

    assert result.returncode == 0, _failure(result)
    calls = machine.calls("sudo", "apt-get")
    # Each apt-get call comes right after the sudo call that ran it, and runs as sudo's child.
    assert [call.name for call in calls] == ["sudo", "apt-get", "sudo", "apt-get"], _failure(result)
    apt = machine.calls("apt-get")
    assert [call.args for call in apt] == [UPDATE, INSTALL]
    assert [call.sudo_user for call in apt] == ["shim-user", "shim-user"]
    # The shim sudo resets the environment: DEBIAN_FRONTEND must be set after sudo, not before it.
    assert apt[1].debian_frontend == "noninteractive"
    sudo = machine.calls("sudo")
    assert sudo[0].args[-len(UPDATE) - 1 :] == ["apt-get", *UPDATE]
    assert sudo[1].args[-len(INSTALL) - 1 :] == ["apt-get", *INSTALL]


@pytest.mark.parametrize("uid", [0, 1000])
def test_a_missing_espeak_alone_is_installed(tmp_path: Path, uid: int) -> None:
    machine = _machine(tmp_path, uid=uid)
    for path in (machine.chromium, machine.initdb):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o755)

    result = machine.make()

    assert result.returncode == 0, _failure(result)
    assert [call.args for call in machine.calls("apt-get")] == [UPDATE, INSTALL]
    assert machine.espeak.exists()


@pytest.mark.parametrize("uid", [0, 1000])
def test_nothing_is_installed_when_chromium_initdb_and_espeak_are_there(tmp_path: Path, uid: int) -> None:
    machine = _machine(tmp_path, uid=uid)
    for path in (machine.chromium, machine.initdb, machine.espeak):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o755)

    result = machine.make()

    assert result.returncode == 0, _failure(result)
    assert machine.calls("sudo", "apt-get") == []


@pytest.mark.parametrize("uid", [0, 1000])
@pytest.mark.parametrize(("update_rc", "install_rc"), [(100, 0), (0, 100)], ids=["update", "install"])
def test_a_failing_apt_get_fails_the_target_with_one_line(
    tmp_path: Path, uid: int, update_rc: int, install_rc: int
) -> None:
    machine = _machine(tmp_path, uid=uid, update_rc=update_rc, install_rc=install_rc)

    result = machine.make()

    assert result.returncode != 0, _failure(result)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, _failure(result)
    assert "apt-get" in lines[0] and "chromium" in lines[0] and "postgresql" in lines[0]
    assert "espeak-ng" in lines[0]
    assert len(machine.calls("apt-get")) == (1 if update_rc else 2)


@pytest.mark.parametrize(
    ("installs", "expected"),
    [
        (("initdb", "espeak"), "Chromium did not install"),
        (("chromium", "espeak"), "initdb"),
        (("chromium", "initdb"), "espeak-ng did not install"),
    ],
    ids=["no-chromium", "no-initdb", "no-espeak"],
)
def test_the_target_fails_when_apt_get_did_not_install_a_package(
    tmp_path: Path, installs: tuple[str, ...], expected: str
) -> None:
    machine = _machine(tmp_path, uid=0, installs=installs)

    result = machine.make()

    assert result.returncode != 0, _failure(result)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], _failure(result)
