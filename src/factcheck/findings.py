"""Findings: the one type every rule reports, and the registry of finding codes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def rank(self) -> int:
        return 2 if self is Severity.ERROR else 1


class Code(StrEnum):
    """Every finding code, named through the registry (``Code.FC401``), never as a literal."""

    FC101 = "FC101"
    FC102 = "FC102"
    FC103 = "FC103"
    FC104 = "FC104"
    FC105 = "FC105"
    FC201 = "FC201"
    FC202 = "FC202"
    FC203 = "FC203"
    FC204 = "FC204"
    FC205 = "FC205"
    FC206 = "FC206"
    FC207 = "FC207"
    FC208 = "FC208"
    FC209 = "FC209"
    FC301 = "FC301"
    FC302 = "FC302"
    FC303 = "FC303"
    FC304 = "FC304"
    FC305 = "FC305"
    FC306 = "FC306"
    FC401 = "FC401"
    FC402 = "FC402"
    FC501 = "FC501"
    FC502 = "FC502"
    FC503 = "FC503"
    FC504 = "FC504"
    FC601 = "FC601"
    FC602 = "FC602"
    FC603 = "FC603"
    FC604 = "FC604"


@dataclass(frozen=True)
class CodeInfo:
    code: Code
    severity: Severity
    summary: str


def _codes(*rows: tuple[Code, Severity, str]) -> dict[str, CodeInfo]:
    return {code: CodeInfo(code, severity, summary) for code, severity, summary in rows}


E, W = Severity.ERROR, Severity.WARNING

#: Every finding code, its default severity and what it means. Append-only: never renumber.
CODES: dict[str, CodeInfo] = _codes(
    (Code.FC101, E, "the file cannot be used (not YAML, not a mapping, no `version: 1`)"),
    (Code.FC102, E, "unknown key (with suggestion)"),
    (Code.FC103, E, "duplicate key"),
    (
        Code.FC104,
        E,
        "wrong type, bad date, bad id, bad status, missing required key, `TODO` placeholder left "
        "by init",
    ),
    (Code.FC105, E, "duplicate claim id"),
    (Code.FC201, E, "evidence URL not absolute http(s), or with credentials in it"),
    (Code.FC202, E, "claim status without evidence of the stance it needs"),
    (Code.FC203, E, "non-pending claim without rationale"),
    (Code.FC204, W, "the same URL twice in one claim"),
    (Code.FC205, W, "evidence that is the article itself"),
    (Code.FC206, W, "`accessed` after today (+1 day) or before the evidence's `published`"),
    (Code.FC207, W, "`archive_url` that is not an archive of this URL"),
    (Code.FC208, W, "evidence without title or publisher"),
    (
        Code.FC209,
        W,
        "a supported or partly supported claim whose figures (numbers, dates, amounts in its "
        "quote or assertion) are in none of its evidence quotes, their translations, nor its "
        "rationale",
    ),
    (Code.FC301, E, "claim quote not in the article text"),
    (Code.FC302, W, "claim quote found more than once"),
    (Code.FC303, W, "`section` is not a heading of the article (or the quote is outside it)"),
    (Code.FC304, W, "no article text could be had: quotes not anchored"),
    (Code.FC305, E, "the fetched article page does not look like the article"),
    (Code.FC306, E, "`article.text` unreadable or outside the claims file's directory tree"),
    (Code.FC401, E, "evidence link broken (and no working archive copy)"),
    (
        Code.FC402,
        W,
        "evidence link in the warning tier, broken with a working archive copy, or not fetched "
        "because it resolves to a private address (with the --allow-private / --allow-cidr hint)",
    ),
    (
        Code.FC501,
        E,
        "quote missing on a completely read page (whatever its length), for the evidence the "
        "status rests on",
    ),
    (Code.FC502, W, "quote near (fuzzy), or missing on other evidence"),
    (Code.FC503, W, "quote found only on the archive copy: no longer on the live page"),
    (
        Code.FC504,
        W,
        "quote not checked (not fetched, truncated, challenge, paywalled, …) on evidence the "
        "status rests on; under --offline one notice instead",
    ),
    (Code.FC601, E, "pending claim"),
    (Code.FC602, E, "contradicted claim: the article must be corrected (draft mode only)"),
    (Code.FC603, W, "unverified claim (draft mode only)"),
    (Code.FC604, E, "claim coverage below --min-coverage (factcheck coverage)"),
)


@dataclass(frozen=True)
class Location:
    """A 1-based position in a claims file."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"


@dataclass(frozen=True)
class Finding:
    """One problem, located in the claims file. Findings are data, never exceptions."""

    code: str
    message: str
    location: Location
    claim: str | None = None
    severity: Severity = field(default=Severity.ERROR)
    article_line: int | None = None
    #: Index of the evidence item the finding is about (for `ignore` entries); not in reports.
    evidence: int | None = None
    #: The finding's identity (:mod:`factcheck.report.identity`): (file, claim, code, URL
    #: digest), set when the report is assembled; ``findings[].key`` in the JSON report.
    key: tuple[str, str, str, str] | None = None

    @property
    def file(self) -> str:
        return self.location.file

    @property
    def line(self) -> int | None:
        return self.location.line

    @property
    def column(self) -> int | None:
        return self.location.column

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.column or 0, self.code)

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)

    def with_key(self, key: tuple[str, str, str, str]) -> Finding:
        """This finding with its identity: built directly (``dataclasses.replace`` inspects
        the fields each time, and a report keys every finding)."""
        return Finding(
            self.code,
            self.message,
            self.location,
            self.claim,
            self.severity,
            self.article_line,
            self.evidence,
            key,
        )


def finding(
    code: str,
    message: str,
    location: Location,
    *,
    claim: str | None = None,
    article_line: int | None = None,
    evidence: int | None = None,
) -> Finding:
    """Build a finding with the code's default severity."""
    return Finding(
        code=code,
        message=message,
        location=location,
        claim=claim,
        severity=CODES[code].severity,
        article_line=article_line,
        evidence=evidence,
    )
