"""-o FILE: atomic, readable by others, and never over an input, the cache or a directory."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.conftest import Cli

CLAIMS = """\
version: 1
article: {title: T, url: "https://example.org/a", publisher: P}
claims:
  - id: C1
    quote: a quote
    status: opinion
    rationale: the writer's view
"""


def _claims(tmp_path: Path) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text(CLAIMS)
    return path


def test_output_file_is_written_whole_and_readable_by_others(cli: Cli, tmp_path: Path) -> None:
    _claims(tmp_path)
    result = cli("validate", "--format", "json", "-o", "out/run.json", cwd=tmp_path)
    assert result.code == 0, result.err
    written = tmp_path / "out" / "run.json"
    assert written.read_text().startswith("{")
    assert stat.S_IMODE(written.stat().st_mode) & 0o044 == 0o044
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["run.json"]


def test_output_over_an_input_is_refused_and_the_input_kept(cli: Cli, tmp_path: Path) -> None:
    claims = _claims(tmp_path)
    result = cli("validate", "-o", "claims.yaml", cwd=tmp_path)
    assert result.code == 2
    assert "refusing to write the output over an input" in result.err
    assert claims.read_text() == CLAIMS


def test_output_to_a_directory_is_one_clear_error(cli: Cli, tmp_path: Path) -> None:
    _claims(tmp_path)
    (tmp_path / "reports").mkdir()
    result = cli("validate", "-o", "reports", cwd=tmp_path)
    assert result.code == 2
    assert "reports: is a directory" in result.err
    assert "Traceback" not in result.err


def test_output_into_the_cache_directory_is_refused(cli: Cli, tmp_path: Path) -> None:
    _claims(tmp_path)
    result = cli("verify", "--offline", "--cache-dir", "cache", "-o", "cache/out.txt", cwd=tmp_path)
    assert result.code == 2
    assert "into the cache" in result.err
