"""What a person sees at a terminal: no colour on a dumb terminal, the choices of --fail-on and
--mode in --help, and ``cache info`` as a table with dates."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.links.cache import CacheInfo
from factcheck.render.cache import render_cache_info
from tests.conftest import Cli

CLAIMS = """\
version: 1
article:
  title: A tiny article
  url: https://news.example.com/tiny
  publisher: The Example Courier
claims:
  - id: C001
    quote: "The bridge opened in 1932."
    status: pending
    rationle: typo
"""


def _on_a_terminal(tmp_path: Path, term: str) -> str:
    """``factcheck validate`` with stdout on a pseudo-terminal: what the terminal receives."""
    (tmp_path / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    env["TERM"] = term
    primary, secondary = os.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "factcheck", "validate"],
            cwd=tmp_path,
            env=env,
            stdout=secondary,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        os.close(secondary)
        secondary = -1
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO: the other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(primary)
        if secondary != -1:
            os.close(secondary)
    assert done.returncode == 1
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_dumb_terminal_gets_no_colour(tmp_path: Path) -> None:
    coloured = _on_a_terminal(tmp_path, "xterm-256color")
    assert "\x1b[" in coloured and "FC102" in coloured
    dumb = _on_a_terminal(tmp_path, "dumb")
    assert "FC102" in dumb and "\x1b" not in dumb


@pytest.mark.parametrize("command", ["validate", "verify", "report"])
def test_help_lists_the_choices_of_fail_on_and_mode(cli: Cli, command: str) -> None:
    text = re.sub(r"\s+", " ", cli(command, "--help").out)
    assert "--fail-on <error|warning|never>" in text
    assert "--mode <draft|review>" in text


def test_init_help_lists_the_modes(cli: Cli) -> None:
    assert "--mode <draft|review>" in cli("init", "--help").out


def test_cache_info_is_a_table_with_dates() -> None:
    info = CacheInfo(
        Path(".factcheck/cache.sqlite"),
        True,
        12,
        {"warning": 2, "ok": 10},
        49_152,
        1_795_000_000.0,
        1_795_003_600.5,
    )
    assert render_cache_info(info) == (
        "cache    .factcheck/cache.sqlite\n"
        "size     48.0 KiB\n"
        "ok       10 entries\n"
        "warning  2 entries\n"
        "entries  12 entries\n"
        "oldest   2026-11-18 11:06:40 UTC\n"
        "newest   2026-11-18 12:06:40 UTC\n"
    )


def test_cache_info_of_a_run_and_of_no_cache(cli: Cli, tmp_path: Path) -> None:
    empty = cli("cache", "info", "--cache-dir", "nowhere")
    assert empty.code == 0
    assert empty.out == (
        "no link cache at nowhere/cache.sqlite (nothing has been cached there yet)\n"
    )
