"""PATH arguments (SPEC.md): a directory means every claims.yaml and *.claims.yaml below it,
walked in sorted order, without following directory symlinks, skipping hidden and virtual-env
directories; files are used as given; a file named twice is checked once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.load.discover import discover, display_path
from tests.common import write


def names(paths: list[Path], base: Path) -> list[str]:
    return [p.relative_to(base).as_posix() for p in paths]


def touch(base: Path, *paths: str) -> None:
    for path in paths:
        write(base / path, "version: 1\n")


def test_directories_are_walked_in_sorted_order(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "b/claims.yaml",
        "a/z.claims.yaml",
        "a/claims.yaml",
        "a/sub/claims.yaml",
        "claims.yaml",
        "Z.claims.yaml",
    )
    assert names(discover([tmp_path]), tmp_path) == [
        "Z.claims.yaml",
        "claims.yaml",
        "a/claims.yaml",
        "a/z.claims.yaml",
        "a/sub/claims.yaml",
        "b/claims.yaml",
    ]


def test_only_claims_file_names_are_picked(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "claims.yaml",
        "x.claims.yaml",
        "claims.yml",
        "x.claims.yml",
        "claims.yaml.bak",
        "notclaims.yaml",
        "Claims.yaml",
    )
    assert names(discover([tmp_path]), tmp_path) == ["claims.yaml", "x.claims.yaml"]


@pytest.mark.parametrize(
    "skipped",
    [".git", ".hidden", "node_modules", "venv", "env", "__pycache__", "site-packages"],
)
def test_hidden_and_virtual_env_directories_are_skipped(tmp_path: Path, skipped: str) -> None:
    touch(tmp_path, "claims.yaml", f"{skipped}/claims.yaml", f"{skipped}/deep/claims.yaml")
    assert names(discover([tmp_path]), tmp_path) == ["claims.yaml"]


def test_a_virtual_env_by_any_name_is_skipped(tmp_path: Path) -> None:
    touch(tmp_path, "claims.yaml", "my-env/lib/claims.yaml")
    write(tmp_path / "my-env" / "pyvenv.cfg", "home = /usr\n")
    assert names(discover([tmp_path]), tmp_path) == ["claims.yaml"]


def test_directory_symlinks_are_not_followed(tmp_path: Path) -> None:
    touch(tmp_path, "real/claims.yaml", "elsewhere/claims.yaml")
    os.symlink(tmp_path / "elsewhere", tmp_path / "real" / "link")
    assert names(discover([tmp_path / "real"]), tmp_path) == ["real/claims.yaml"]


def test_a_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    touch(tmp_path, "claims.yaml")
    os.symlink(tmp_path, tmp_path / "loop")
    assert names(discover([tmp_path]), tmp_path) == ["claims.yaml"]


def test_files_are_used_as_given_even_in_hidden_directories(tmp_path: Path) -> None:
    touch(tmp_path, ".drafts/notes.yaml")
    assert names(discover([tmp_path / ".drafts" / "notes.yaml"]), tmp_path) == [
        ".drafts/notes.yaml"
    ]


def test_a_file_named_twice_is_checked_once(tmp_path: Path) -> None:
    touch(tmp_path, "claims.yaml")
    found = discover([tmp_path / "claims.yaml", tmp_path, tmp_path / "." / "claims.yaml"])
    assert names(found, tmp_path) == ["claims.yaml"]


def test_arguments_keep_their_order(tmp_path: Path) -> None:
    touch(tmp_path, "b/claims.yaml", "a/claims.yaml")
    assert names(discover([tmp_path / "b", tmp_path / "a"]), tmp_path) == [
        "b/claims.yaml",
        "a/claims.yaml",
    ]


def test_a_directory_without_claims_files_is_an_error(tmp_path: Path) -> None:
    touch(tmp_path, ".hidden/claims.yaml", "notes.yaml")
    with pytest.raises(FactcheckError, match=r"no claims\.yaml or"):
        discover([tmp_path])


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FactcheckError, match="no such file"):
        discover([tmp_path / "missing.yaml"])


def test_display_path_is_relative_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "fc/claims.yaml")
    monkeypatch.chdir(tmp_path)
    assert display_path(Path("fc/claims.yaml")) == "fc/claims.yaml"
    assert display_path(tmp_path / "fc" / "claims.yaml") == "fc/claims.yaml"
    monkeypatch.chdir(tmp_path / "fc")
    assert display_path(tmp_path / "fc" / "claims.yaml") == "claims.yaml"
    outside = tmp_path.parent / "elsewhere.yaml"
    assert display_path(outside) == outside.as_posix()
