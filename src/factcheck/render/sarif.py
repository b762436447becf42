"""SARIF 2.1.0 for code scanning (GitHub's ``upload-sarif``, other SARIF viewers).

One rule per finding code (its summary, default severity and help on what to do), one result
per finding at the claims file's line and column, the article's position as a related
location, and a stable fingerprint per finding so code scanning follows it across pushes
while lines move.

Paths are relative to the repository: ``$GITHUB_WORKSPACE`` when it is set, else the git
root above the current directory, else the current directory; of a file outside it, only its
name is given. The fingerprint is SHA-256 of the
finding's key (``Finding.key``, ``findings[].key`` in the JSON report, what ``--baseline``
matches: SPEC.md's identity), its four parts joined by NUL: the claims file relative to the
git root or the discovery root (POSIX form), the claim id, the code, and SHA-256 of the
normalised URL of the evidence item the finding is about (empty for findings about the claim
or the file). A finding without a key (a report saved before keys existed) is identified the
same way from its SARIF path and the evidence item its line sits in. A second finding with the
same identity gets an ordinal, so no two results share a fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from factcheck.findings import CODES, Code, Finding
from factcheck.render.common import clean, local_path, workspace_relative
from factcheck.report import ClaimReport, FileReport, Report
from factcheck.urls import normalise_url, redact

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: The name of factcheck's fingerprint in ``partialFingerprints`` (versioned: a change of
#: the identity's recipe takes a new name, so old alerts are not matched wrongly).
FINGERPRINT = "factcheck/identity/v1"

#: What to do about each finding, shown as the rule's help in code scanning.
HELP: dict[str, str] = {
    Code.FC101: "The claims file cannot be read as a claims file: it must be YAML whose top level "
    "is a mapping starting with `version: 1`. Fix the syntax error at the position given.",
    Code.FC102: "A key factcheck does not know, often a misspelling: use the key the message "
    "suggests, or prefix your own keys with `x-`, which are ignored.",
    Code.FC103: "The same key twice in one mapping: only the first is used. Delete or merge the "
    "second.",
    Code.FC104: "A value of the wrong type or shape: a bad date (write 2024-04-16), a claim id "
    "that is not capitals, digits, `-` and `_`, an unknown status, a missing required key, or "
    "a `TODO` placeholder left by `factcheck init`. Replace it with the real value.",
    Code.FC105: "Two claims share an id: ids must be unique in the file. Rename one.",
    Code.FC201: "An evidence URL must be an absolute http(s) address without a user name or "
    "password in it. Cite the page's public address; for offline sources use `citation`.",
    Code.FC202: "The claim's status needs evidence of a matching stance: supported and partially "
    "supported claims need supporting evidence, contradicted claims contradicting evidence. "
    "Add it, or correct the status.",
    Code.FC203: "Every claim that is not pending needs a rationale: what the evidence shows, in a "
    "sentence or two.",
    Code.FC204: "The same URL is cited twice in one claim: merge the two evidence items.",
    Code.FC205: "The evidence is the article itself, which cannot prove its own claim. Cite the "
    "article's source.",
    Code.FC206: "The `accessed` date is in the future or before the source was published: check "
    "both dates.",
    Code.FC207: "The `archive_url` is not an archived copy of this evidence URL: copy the archive "
    "link of the page you cite.",
    Code.FC208: "Give the evidence a `title` and a `publisher`, so a reader of the report knows "
    "what the source is without opening it.",
    Code.FC209: "A figure of the claim (a number, date or amount in its quote or assertion) is "
    "in none of its evidence quotes, their translations, nor its rationale: quote the passage "
    "that carries it.",
    Code.FC301: "The claim's quote is not in the article: copy the article's exact words (the "
    "closest passage is in the message). If the article changed, the claim may need checking "
    "again.",
    Code.FC302: "The claim's quote appears more than once in the article: lengthen it until it "
    "is unique, or give its `section`.",
    Code.FC303: "The claim's `section` is not a heading of the article, or the quote is not under "
    "it: copy the heading as the article writes it.",
    Code.FC304: "No article text could be had, so claim quotes were not anchored: give a local "
    "copy with `article.text` or `--article`.",
    Code.FC305: "The fetched article page does not look like the article (most claim quotes are "
    "missing): a paywall, a consent page or the wrong URL. Give a local copy with "
    "`article.text` or `--article`.",
    Code.FC306: "`article.text` cannot be read or lies outside the claims file's directory tree: "
    "point it at a file beside or below the claims file.",
    Code.FC401: "The evidence link is broken: find where the page went, or cite an archived copy "
    "with `archive_url` (Wayback Machine, archive.today, perma.cc).",
    Code.FC402: "The evidence link could not be confirmed (blocked robots, rate limits, timeouts, "
    "a private address) or only its archive copy works. Open it in a browser; if the passage "
    "is there, acknowledge the finding on the evidence item with `ignore: [{code: FC402, "
    'reason: "...", until: YYYY-MM-DD}]`.',
    Code.FC501: "The quoted passage is not on the cited page: copy the passage as the page reads "
    "now (the closest passage is in the message), or cite the archived page where you saw it.",
    Code.FC502: "The quoted passage is on the page only approximately, or missing from evidence "
    "the status does not rest on: copy it exactly.",
    Code.FC503: "The passage is only on the archive copy: the live page changed. Check whether "
    "the change matters to the claim, and keep the archive URL.",
    Code.FC504: "The quote could not be checked on evidence the status rests on (not fetched, "
    "truncated, paywalled, a challenge page): check it by hand and acknowledge the finding, "
    "or give an archive copy.",
    Code.FC601: "The claim is still pending: check it and set its status before publication.",
    Code.FC602: "The evidence contradicts the claim: correct the article (draft mode), then "
    "update the quote and the status.",
    Code.FC603: "No source settles the claim: find one, or soften the article's wording.",
    Code.FC604: "Claims cover less of the article's check-worthy sentences than "
    "`--min-coverage` asks: `factcheck coverage` lists the sentences no claim covers.",
}


def help_text(code: str) -> str:
    """What to do about a finding with ``code`` (the code's summary for a code without help)."""
    summary = CODES[code].summary if code in CODES else code
    return HELP.get(code) or f"{summary[:1].upper()}{summary[1:]}."


def repository_root(environ: Mapping[str, str] | None = None) -> Path:
    """``$GITHUB_WORKSPACE``, else the nearest directory from here upward holding ``.git``,
    else the current directory."""
    env = os.environ if environ is None else environ
    if env.get("GITHUB_WORKSPACE"):
        return Path(env["GITHUB_WORKSPACE"])
    here = Path.cwd()
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return here


def artifact_uri(path: str, root: Path) -> str:
    """A SARIF ``uri``: relative to ``root`` (percent-encoded) when below it, else the file's
    name alone (no absolute path, nothing outside the repository)."""
    shown = workspace_relative(path, root)
    if Path(shown).is_absolute() or shown.startswith(".."):
        shown = local_path(shown)  # no report names a place on one machine
    return quote(PurePosixPath(shown).as_posix(), safe="/-._~")


def _rule(code: str) -> dict[str, Any]:
    info = CODES[code]
    help_plain = help_text(code)
    return {
        "id": code,
        "name": code,
        "shortDescription": {"text": f"{info.summary[:1].upper()}{info.summary[1:]}"},
        "fullDescription": {"text": f"{code}: {info.summary}."},
        "help": {"text": help_plain, "markdown": help_plain},
        "defaultConfiguration": {"level": info.severity.value},
        "properties": {"tags": ["fact-check", _family(code)]},
    }


def _family(code: str) -> str:
    return {
        "1": "claims-file",
        "2": "evidence",
        "3": "article",
        "4": "links",
        "5": "quotes",
        "6": "claim-status",
    }.get(code[2:3], "other")


def _evidence_url(claim: ClaimReport | None, line: int | None) -> str:
    """The URL of the evidence item ``line`` sits in (the last item starting at or before it)."""
    if claim is None or line is None:
        return ""
    url = ""
    for item in claim.evidence:
        if item.line is not None and item.line <= line:
            url = item.url or ""  # a citation (no URL): identified by claim and code
    return url


def finding_identity(file_uri: str, item: Finding, url: str) -> str:
    url_hash = hashlib.sha256(normalise_url(url).encode()).hexdigest() if url else ""
    return "\x00".join((file_uri, item.claim or "", item.code, url_hash))


def _message(item: Finding) -> str:
    text = clean(item.message)
    if item.claim:
        text = f"{clean(item.claim)}: {text}"
    if item.article_line:
        text += f" (article line {item.article_line})"
    return text


def _region(line: int | None, column: int | None) -> dict[str, int] | None:
    if line is None or line < 1:
        return None
    region = {"startLine": line}
    if column is not None and column >= 1:
        region["startColumn"] = column
    return region


def _article_location(item: Finding, file: FileReport | None, root: Path) -> dict[str, Any] | None:
    """The article the finding points into, as a related location (its line when known)."""
    if file is None or not file.article_origin:
        return None
    if item.article_line is None and not str(item.code).startswith("FC3"):
        return None
    origin = file.article_origin
    if file.article_source == "url":
        if not origin.lower().startswith(("http://", "https://")):
            return None
        uri = redact(origin)
    else:
        uri = artifact_uri(origin, root)
    location: dict[str, Any] = {
        "id": 1,
        "physicalLocation": {"artifactLocation": {"uri": uri}},
        "message": {"text": "the article"},
    }
    region = _region(item.article_line, None)
    if region is not None:
        location["physicalLocation"]["region"] = region
        location["message"] = {"text": f"the article, line {item.article_line}"}
    return location


def sarif_log(report: Report, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (plain data)."""
    root = repository_root(environ)
    codes = list(CODES)
    for item in report.findings:
        if item.code not in CODES and item.code not in codes:
            codes.append(item.code)  # a code from a newer saved report: still a rule
    rules = [_rule(code) if code in CODES else _unknown_rule(code) for code in codes]
    index = {code: n for n, code in enumerate(codes)}
    claims = {(c.file, c.id): c for c in report.claims}
    files = {f.file: f for f in report.files}
    seen: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for item in report.findings:
        uri = artifact_uri(item.file, root)
        if item.key is not None:
            identity = "\x00".join(item.key)
        else:
            url = _evidence_url(claims.get((item.file, item.claim or "")), item.line)
            identity = finding_identity(uri, item, url)
        seen[identity] = seen.get(identity, 0) + 1
        if seen[identity] > 1:
            identity += f"\x00{seen[identity]}"
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        region = _region(item.line, item.column)
        if region is not None:
            physical["region"] = region
        result: dict[str, Any] = {
            "ruleId": item.code,
            "ruleIndex": index[item.code],
            "level": item.severity.value,
            "message": {"text": _message(item)},
            "locations": [{"physicalLocation": physical}],
            "partialFingerprints": {
                FINGERPRINT: hashlib.sha256(identity.encode("utf-8")).hexdigest()
            },
        }
        related = _article_location(item, files.get(item.file), root)
        if related is not None:
            result["relatedLocations"] = [related]
        if item.claim:
            result["properties"] = {"claim": item.claim}
        results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "factcheck",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "rules": rules,
            }
        },
        "invocations": [
            {
                "executionSuccessful": not report.fatal,
                "exitCode": report.exit_code,
                "properties": {
                    "command": report.command,
                    "gate": {
                        "passed": report.gate.passed,
                        "fail_on": report.gate.fail_on,
                        "reasons": list(report.gate.reasons),
                        "offline": report.gate.offline,
                    },
                },
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _unknown_rule(code: str) -> dict[str, Any]:
    return {
        "id": code,
        "shortDescription": {"text": code},
        "help": {"text": f"{code}: see the README's table of finding codes."},
    }


def render(report: Report) -> str:
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"
