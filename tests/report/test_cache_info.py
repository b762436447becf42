"""``factcheck cache info`` after a real run: the table counts what the run cached."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import Cli

from .conftest import write_factcheck


def test_cache_info_after_a_run(cli: Cli, web: str, tmp_path: Path) -> None:
    write_factcheck(tmp_path, base=web)
    cli("verify", "--article", "article.md", "--allow-cidr", "127.0.0.1/32", "-q")
    info = cli("cache", "info")
    assert info.code == 0
    rows = dict(line.split(None, 1) for line in info.out.splitlines())
    assert rows["cache"] == ".factcheck/cache.sqlite"
    assert re.fullmatch(r"\d+\.\d KiB|\d+ bytes", rows["size"])
    assert rows["ok"] == "3 entries"  # the minutes, the tram page and the moved page
    assert re.fullmatch(r"20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC", rows["oldest"])
    assert rows["oldest"] <= rows["newest"]
