"""The pre-commit hooks of .pre-commit-hooks.yaml, run as pre-commit runs them: each hook's
``files`` pattern picks from the files a commit stages in a temporary git repository, and its
``entry`` runs on them (the installed ``factcheck`` command) from the repository's root.
Offline: pre-commit itself would install the hook from the package index, so the test runs
what pre-commit would run."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
]

HOOKS: dict[str, dict[str, Any]] = {
    hook["id"]: hook
    for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
}

ARTICLE = """\
# The harbour reopens

The council approved a harbour budget of 4.2 million crowns on 12 March.

The ferry runs twice a day from May.
"""

CLAIMS = """\
version: 1
article:
  title: The harbour reopens
  url: https://courier.example.com/harbour
  publisher: The Example Courier
  text: {text}
claims:
  - id: C001
    quote: "approved a harbour budget of 4.2 million crowns"
    status: pending
  - id: C002
    quote: "The ferry runs twice a day"
    status: pending
"""


def git(repo: Path, *args: str) -> str:
    """git in ``repo``, blind to the user's and the system's configuration."""
    empty = repo.parent / "empty.gitconfig"
    empty.touch()
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": str(empty),
        "GIT_CONFIG_SYSTEM": str(empty),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def staged(repo: Path) -> list[str]:
    return git(repo, "diff", "--cached", "--name-only", "--diff-filter=ACMR").splitlines()


def run_hook(hook_id: str, repo: Path) -> subprocess.CompletedProcess[str] | None:
    """Run one hook as pre-commit would on the staged files: None when it selects none."""
    hook = HOOKS[hook_id]
    pattern = re.compile(hook["files"])
    selected = [name for name in staged(repo) if pattern.search(name)]
    if not selected:
        return None
    entry = shlex.split(hook["entry"])
    command = [str(Path(sys.executable).parent / entry[0]), *entry[1:]]
    if hook.get("pass_filenames", True):
        command += selected
    env = {**os.environ, "NO_COLOR": "1", "GITHUB_WORKSPACE": ""}
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with two fact-checks committed: harbour/ and ferry/ with its draft."""
    root = tmp_path / "newsroom"
    (root / "harbour").mkdir(parents=True)
    (root / "harbour" / "article.md").write_text(ARTICLE, encoding="utf-8")
    (root / "harbour" / "claims.yaml").write_text(CLAIMS.format(text="article.md"), "utf-8")
    (root / "ferry" / "drafts").mkdir(parents=True)
    (root / "ferry" / "drafts" / "ferry.html").write_text(
        "<html><body><h1>The harbour reopens</h1><p>"
        + ARTICLE.split("\n", 2)[2].replace("\n\n", "</p><p>")
        + "</p></body></html>",
        encoding="utf-8",
    )
    (root / "ferry" / "ferry.claims.yaml").write_text(
        CLAIMS.format(text="drafts/ferry.html"), "utf-8"
    )
    (root / "README.md").write_text("# Newsroom fact-checks\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fact-checks")
    return root


def test_the_hooks_select_what_they_should() -> None:
    claims = re.compile(HOOKS["factcheck-validate"]["files"])
    articles = re.compile(HOOKS["factcheck-validate-articles"]["files"])
    for name in ("claims.yaml", "a/budget.claims.yaml"):
        assert claims.search(name) and not articles.search(name), name
    for name in ("article.md", "drafts/story.html", "drafts/story.htm", "notes/text.txt"):
        assert articles.search(name) and not claims.search(name), name
    for name in ("article.md.bak", "claims.yml", "picture.png", "article.mdx"):
        assert not articles.search(name) and not claims.search(name), name
    assert HOOKS["factcheck-validate-articles"]["pass_filenames"] is True


def test_an_article_edit_that_breaks_a_quote_fails_the_commit(repo: Path) -> None:
    article = repo / "harbour" / "article.md"
    article.write_text(ARTICLE.replace("twice a day", "three times a day"), encoding="utf-8")
    git(repo, "add", "-A")
    assert run_hook("factcheck-validate", repo) is None  # no claims file changed
    result = run_hook("factcheck-validate-articles", repo)
    assert result is not None and result.returncode == 1, result
    assert "harbour/claims.yaml:" in result.stdout and "FC301" in result.stdout
    assert "[C002]" in result.stdout and "[C001]" not in result.stdout
    # The other fact-check's article did not change: its claims file is not validated.
    assert "ferry" not in result.stdout


def test_an_html_draft_edit_validates_its_claims_file_only(repo: Path) -> None:
    draft = repo / "ferry" / "drafts" / "ferry.html"
    draft.write_text(draft.read_text("utf-8").replace("4.2 million", "4.8 million"), "utf-8")
    git(repo, "add", "-A")
    result = run_hook("factcheck-validate-articles", repo)
    assert result is not None and result.returncode == 1
    assert "ferry/ferry.claims.yaml:" in result.stdout and "[C001]" in result.stdout
    assert "harbour/claims.yaml" not in result.stdout


def test_an_edit_that_keeps_the_quotes_passes(repo: Path) -> None:
    article = repo / "harbour" / "article.md"
    article.write_text(ARTICLE + "\nThe quay is painted blue.\n", encoding="utf-8")
    (repo / "README.md").write_text("# Newsroom fact-checks\n\nSee harbour/.\n", "utf-8")
    git(repo, "add", "-A")
    result = run_hook("factcheck-validate-articles", repo)
    assert result is not None and result.returncode == 0, result.stdout + result.stderr
    assert "harbour/claims.yaml" not in result.stderr


def test_a_markdown_file_no_claims_file_uses_passes_quietly(repo: Path) -> None:
    (repo / "README.md").write_text("# Newsroom\n", encoding="utf-8")
    git(repo, "add", "-A")
    result = run_hook("factcheck-validate-articles", repo)
    assert result is not None and result.returncode == 0
    assert result.stdout == "" and "nothing to validate" in result.stderr


def test_the_claims_file_hook_still_validates_changed_claims_files(repo: Path) -> None:
    claims = repo / "harbour" / "claims.yaml"
    claims.write_text(
        claims.read_text("utf-8").replace("status: pending", "staus: pending", 1), "utf-8"
    )
    git(repo, "add", "-A")
    assert run_hook("factcheck-validate-articles", repo) is None
    result = run_hook("factcheck-validate", repo)
    assert result is not None and result.returncode == 1
    assert "FC102" in result.stdout and "harbour/claims.yaml:" in result.stdout
