"""Files a user names are read through one helper (factcheck.files): a FIFO, a directory, a
file over its cap or not UTF-8 is one line and exit 2 (FC101 for a claims file), never a hang
or a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.files import (
    MIB,
    Problem,
    UserFile,
    forget_real_paths,
    read_bytes,
    read_text,
    real_path,
)
from tests.common import GOOD_CLAIM, claims_file
from tests.conftest import Cli

NOTES = UserFile("notes file", MIB)


def test_each_problem_is_one_clear_line_at_the_path(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (MIB + 1))
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"first line\ncaf\xe9\n")
    os.mkfifo(tmp_path / "pipe")
    cases = {
        tmp_path / "missing.txt": (Problem.MISSING, "no such notes file"),
        tmp_path: (Problem.DIRECTORY, "the notes file path is a directory"),
        tmp_path / "pipe": (Problem.NOT_REGULAR, "the notes file path is not a regular file"),
        big: (Problem.TOO_LARGE, "the notes file is 1.0 MiB; over 1 MiB is refused"),
    }
    for path, (problem, message) in cases.items():
        with pytest.raises(FactcheckError) as caught:
            read_bytes(path, NOTES)
        assert (caught.value.problem, caught.value.message) == (problem, message)  # type: ignore[attr-defined]
        assert caught.value.location == str(path)
    with pytest.raises(FactcheckError) as caught:
        read_text(latin, NOTES)
    assert str(caught.value) == f"{latin}:2:4: the notes file is not UTF-8 text (byte 0xe9)"


def test_a_byte_order_mark_is_not_part_of_the_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfhello")
    assert read_text(path, NOTES) == "hello"


def test_a_configuration_fifo_is_refused_not_waited_for(cli: Cli, tmp_path: Path) -> None:
    claims_file(tmp_path, GOOD_CLAIM)
    os.mkfifo(tmp_path / "factcheck.toml")
    result = cli("validate", "--config", "factcheck.toml", timeout=10)
    assert result.code == 2
    assert "factcheck.toml: the configuration file path is not a regular file" in result.err


def test_a_saved_report_fifo_is_refused_not_waited_for(cli: Cli, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "run.json")
    result = cli("report", "--from", "run.json", timeout=10)
    assert result.code == 2
    assert "run.json: the JSON report path is not a regular file" in result.err


def test_paths_resolve_as_the_system_resolves_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Directories are resolved once per run; a file reached through a linked directory, a
    linked file, ``..``, a missing file, a relative path: each is where ``realpath`` says, so
    the same claims file is never checked twice nor its article looked for elsewhere."""
    real = tmp_path / "desk" / "story"
    real.mkdir(parents=True)
    (real / "claims.yaml").write_text("version: 1\n", encoding="utf-8")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    (real / "alias.claims.yaml").symlink_to(real / "claims.yaml")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    monkeypatch.chdir(tmp_path)
    forget_real_paths()
    paths = [
        real / "claims.yaml",
        tmp_path / "linked" / "claims.yaml",
        real / "alias.claims.yaml",
        tmp_path / "linked" / ".." / "desk" / "story" / "claims.yaml",
        real / "missing.md",
        Path("linked/claims.yaml"),
        Path("claims.yaml"),
        tmp_path / "loop",
        tmp_path / "loop" / "claims.yaml",
        tmp_path.joinpath(*["deep"] * 100, "claims.yaml"),
    ]
    for path in paths:
        for _ in range(2):  # the second time from the cache of directories
            assert real_path(path) == os.path.realpath(path), path
    with pytest.raises(ValueError):
        real_path(real / "bad\x00name.md")
