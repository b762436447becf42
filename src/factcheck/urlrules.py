"""Which evidence URLs are fetched, and where: ``--include``, ``--remap`` and ``.factcheckignore``.

- ``--exclude REGEX`` skips the URLs it matches (``re.search`` on the normalised URL);
  ``--include REGEX`` overrides it: a URL an include matches is fetched whatever an exclude
  or an ignore file says.
- ``--remap 'REGEX REPLACEMENT'`` rewrites a URL before it is fetched (a staging host, a
  moved domain): the first rule whose pattern matches applies, ``re.sub`` once, groups as
  ``\\1``. The report keeps the cited URL and says where it was fetched.
- ``.factcheckignore`` beside a claims file: URL patterns (regular expressions like
  ``--exclude``), one a line, ``#`` comments and blank lines skipped; they skip the URLs of
  that claims file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from factcheck.errors import FactcheckError

IGNORE_FILE = ".factcheckignore"


def compile_pattern(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise FactcheckError(f"{where} {pattern!r} is not a regular expression: {exc}") from None


@dataclass(frozen=True)
class Remap:
    pattern: re.Pattern[str]
    replacement: str

    @property
    def spec(self) -> str:
        return f"{self.pattern.pattern} {self.replacement}"

    def apply(self, url: str) -> str | None:
        """The rewritten URL when the pattern matches ``url``, else None."""
        if not self.pattern.search(url):
            return None
        try:
            return self.pattern.sub(self.replacement, url, count=1)
        except (re.error, IndexError) as exc:  # a group the pattern does not have
            raise FactcheckError(f"--remap {self.spec!r}: {exc}") from None


def parse_remap(spec: str, where: str = "--remap") -> Remap:
    """``'REGEX REPLACEMENT'``: the replacement is the last word, the pattern what is before it."""
    match = re.fullmatch(r"\s*(.+?)\s+(\S+)\s*", spec)
    if match is None:
        raise FactcheckError(
            f"{where} {spec!r}: write 'REGEX REPLACEMENT', e.g. "
            "'^https://staging\\.example\\.com/ https://www.example.com/'"
        )
    pattern = compile_pattern(match.group(1), where)
    replacement = match.group(2)
    if not replacement.lower().startswith(("http://", "https://", "\\", "\\g<")):
        raise FactcheckError(
            f"{where} {spec!r}: the replacement must be an http(s) URL (or start with a group)"
        )
    remap = Remap(pattern, replacement)
    try:
        pattern.sub(replacement, "")  # an unknown group is an error now, not mid-run
    except (re.error, IndexError) as exc:
        raise FactcheckError(f"{where} {spec!r}: {exc}") from None
    return remap


def remapped(url: str, remaps: Iterable[Remap]) -> str:
    """``url`` after the first remap rule that matches it (``url`` itself without one)."""
    for rule in remaps:
        target = rule.apply(url)
        if target is not None:
            return target
    return url


def read_ignore_file(path: Path) -> tuple[re.Pattern[str], ...]:
    """The patterns of one ignore file; a bad pattern is an error naming its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise FactcheckError(f"cannot read: {exc.strerror}", location=str(path)) from None
    except UnicodeDecodeError:
        raise FactcheckError("not UTF-8 text", location=str(path)) from None
    patterns = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        patterns.append(compile_pattern(line, f"{path.as_posix()}:{number}:"))
    return tuple(patterns)


def ignore_file_beside(claims_file: Path) -> Path | None:
    found = claims_file.parent / IGNORE_FILE
    return found if found.is_file() else None


@dataclass(frozen=True)
class UrlRules:
    includes: tuple[re.Pattern[str], ...] = ()
    excludes: tuple[re.Pattern[str], ...] = ()
    remaps: tuple[Remap, ...] = ()

    def skipped_by(self, url: str, ignores: Iterable[re.Pattern[str]] = ()) -> str | None:
        """Why ``url`` is not fetched (``--exclude 'P'`` or ``.factcheckignore 'P'``), or None:
        an include that matches wins over both."""
        if any(p.search(url) for p in self.includes):
            return None
        for pattern in self.excludes:
            if pattern.search(url):
                return f"--exclude {pattern.pattern!r}"
        for pattern in ignores:
            if pattern.search(url):
                return f"{IGNORE_FILE} {pattern.pattern!r}"
        return None
