"""``--changed-since REF`` in a real temporary git repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.common import write
from tests.conftest import Cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CLAIMS = """\
version: 1
article:
  title: {title}
  url: https://news.example.com/{title}
  publisher: The Paper
  text: article.md
claims:
  - id: C001
    quote: "The sky is blue"
    status: opinion
    rationale: A view.
"""


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
    }
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with two fact-checks, committed and tagged ``base``."""
    for name in ("harbour", "budget"):
        write(tmp_path / "desk" / name / "claims.yaml", CLAIMS.format(title=name))
        write(tmp_path / "desk" / name / "article.md", "# Title\n\nThe sky is blue.\n")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base")
    _git(tmp_path, "tag", "base")
    return tmp_path


def _checked(cli: Cli, repo: Path, *args: str) -> tuple[int, list[str], str]:
    result = cli("validate", "desk", "--changed-since", "base", *args, "--format", "json", cwd=repo)
    files = [f["file"] for f in json.loads(result.out)["files"]] if result.out.strip() else []
    return result.code, files, result.err


def test_a_changed_claims_file_is_checked_alone(cli: Cli, repo: Path) -> None:
    path = repo / "desk" / "budget" / "claims.yaml"
    path.write_text(path.read_text("utf-8").replace("A view.", "A view, reworded."), "utf-8")
    assert _checked(cli, repo)[:2] == (0, ["desk/budget/claims.yaml"])
    _git(repo, "commit", "-q", "-am", "reword")  # committed: still changed since base
    assert _checked(cli, repo)[:2] == (0, ["desk/budget/claims.yaml"])


def test_a_changed_article_checks_the_claims_file_that_names_it(cli: Cli, repo: Path) -> None:
    write(repo / "desk" / "harbour" / "article.md", "# Title\n\nThe sky is grey.\n")
    code, files, _ = _checked(cli, repo)
    assert files == ["desk/harbour/claims.yaml"]
    assert code == 1  # the quote is no longer in the article: FC301


def test_a_renamed_claims_file_is_checked_under_its_new_name(cli: Cli, repo: Path) -> None:
    _git(repo, "mv", "desk/harbour/claims.yaml", "desk/harbour/harbour.claims.yaml")
    _git(repo, "commit", "-q", "-m", "rename")
    assert _checked(cli, repo)[:2] == (0, ["desk/harbour/harbour.claims.yaml"])


def test_a_new_untracked_claims_file_is_checked(cli: Cli, repo: Path) -> None:
    write(repo / "desk" / "new" / "claims.yaml", CLAIMS.format(title="new"))
    write(repo / "desk" / "new" / "article.md", "# Title\n\nThe sky is blue.\n")
    assert _checked(cli, repo)[:2] == (0, ["desk/new/claims.yaml"])


def test_nothing_changed_is_exit_0_with_nothing_to_check(cli: Cli, repo: Path) -> None:
    code, files, err = _checked(cli, repo)
    assert (code, files) == (0, [])
    assert "nothing to check" in err
    result = cli("verify", "desk", "--changed-since", "base", cwd=repo)
    assert result.code == 0 and "nothing to check" in result.err


def test_an_unknown_ref_is_exit_2_with_the_shallow_clone_hint(cli: Cli, repo: Path) -> None:
    result = cli("validate", "desk", "--changed-since", "origin/nowhere", cwd=repo)
    assert result.code == 2
    assert "origin/nowhere not found (shallow clone? fetch with depth 0)" in result.err


def test_outside_a_git_repository_is_exit_2(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "claims.yaml", CLAIMS.format(title="x"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = cli("validate", "--changed-since", "HEAD", cwd=tmp_path)
    assert result.code == 2 and "git repository" in result.err
