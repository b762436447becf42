"""A report cut per claims file, each part with its own gate, and its file name: the slug of
the article's title (``reports/<slug>.md``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from factcheck.errors import FactcheckError
from factcheck.findings import Finding
from factcheck.links.types import LinkKind
from factcheck.report import ClaimReport, Gate, LinkEntry, Report
from factcheck.urls import normalise_url

SLUG_MAX = 60

# Letters NFKD does not decompose into ASCII, and Cyrillic (common in the articles we check).
_LATIN = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ð": "d"}
_LATIN |= {"ı": "i", "ħ": "h", "ŋ": "ng"}
_CYRILLIC_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўђјљњћџ"
_CYRILLIC_LATIN = (
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya i yi ye g u "
    "dj j lj nj c dz"
)
_CYRILLIC = dict(zip(_CYRILLIC_LETTERS, _CYRILLIC_LATIN.split(" "), strict=True))


def transliterate(text: str) -> str:
    """Lower-case ASCII, as close to ``text`` as a file name can be."""
    out = []
    for char in unicodedata.normalize("NFKD", text.lower()):
        if unicodedata.combining(char):
            continue
        if char.isascii():
            out.append(char)
        else:
            mapped = _LATIN.get(char) or _CYRILLIC.get(char, " ")
            out.append("" if mapped == "_" else mapped)
    return "".join(out)


def slugify(text: str) -> str:
    """``[a-z0-9-]{1,60}``, cut at a word boundary; empty when nothing is left."""
    text = re.sub(r"['’‘`]", "", text)  # "Russia's" -> "russias", not "russia-s"
    slug = re.sub(r"[^a-z0-9]+", "-", transliterate(text)).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[: SLUG_MAX + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[SLUG_MAX // 2 :] else slug[:SLUG_MAX]
    return slug.strip("-")


def report_slug(title: object, file: str) -> str:
    """The title transliterated, else the claims file's stem (README: ``reports/<slug>.md``)."""
    slug = slugify(title) if isinstance(title, str) else ""
    if slug:
        return slug
    name = Path(file).name
    for suffix in (".claims.yaml", ".yaml", ".yml"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return slugify(name) or "claims"


def split_by_file(report: Report) -> list[tuple[str, Report]]:
    """One report per claims file, each with the file's own gate; and its slug."""
    parts: list[tuple[str, Report]] = []
    seen: dict[str, str] = {}
    index = _Index(report)
    for file in report.files:
        slug = report_slug(file.article.get("title"), file.file)
        if slug in seen:
            raise FactcheckError(
                f"two claims files would write reports/{slug}.md ({seen[slug]} and {file.file}); "
                "give one of them another article title, or report them one at a time"
            )
        seen[slug] = file.file
        parts.append((slug, file_report(report, file.file, index)))
    return parts


class _Index:
    """A report's claims, links and findings by claims file, read once: splitting a run of
    thousands of files must not scan all of them for each file."""

    def __init__(self, report: Report) -> None:
        self.files = {f.file: f for f in report.files}
        self.claims: dict[str, list[ClaimReport]] = {}
        for claim in report.claims:
            self.claims.setdefault(claim.file, []).append(claim)
        self.findings: dict[str, list[Finding]] = {}
        for item in report.findings:
            self.findings.setdefault(item.file, []).append(item)
        #: (position in the report, link): a file's links keep the report's order.
        self.links: dict[str, list[tuple[int, LinkEntry]]] = {}
        self.article_links: dict[str, list[tuple[int, LinkEntry]]] = {}
        for position, link in enumerate(report.links):
            for owner in dict.fromkeys(owner for owner, _ in link.claims):
                self.links.setdefault(owner, []).append((position, link))
            if link.kind is LinkKind.ARTICLE:
                self.article_links.setdefault(link.url, []).append((position, link))


def file_report(report: Report, name: str, index: _Index | None = None) -> Report:
    """The part of ``report`` about one claims file."""
    index = index or _Index(report)
    file = index.files[name]
    claims = index.claims.get(name, [])
    article_url = file.article.get("url")
    article_key = normalise_url(article_url) if isinstance(article_url, str) else None
    own = dict(index.links.get(name, []))
    if article_key is not None:
        own.update(index.article_links.get(article_key, []))
    links = [own[position] for position in sorted(own)]
    return replace(
        report,
        files=[file],
        claims=claims,
        links=links,
        findings=index.findings.get(name, []),
        gate=Gate(file.gate_passed, report.gate.fail_on, file.gate_reasons, report.gate.offline),
        fatal=not file.usable,
    )
