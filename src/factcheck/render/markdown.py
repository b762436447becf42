"""The markdown report for editors (GitHub-flavoured), and its short form for PR comments.

The page is :mod:`factcheck.render.sections` in markdown: what must be done first, then the
claims by section and the settings, codes and positions, folded in ``<details>``.

Every piece of text that comes from a claims file, an article or a fetched page is untrusted:
it goes through :func:`text` (control and bidi characters stripped, markdown and HTML
characters escaped, autolinks, math and emoji short codes defused) or :func:`code`, and only
http(s) URLs ever become links (:func:`link`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from html import escape as html_escape
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from factcheck.findings import CODES, Code, Finding
from factcheck.render.common import clean, local_path, plural, setting_value
from factcheck.render.fragments import passage_target
from factcheck.render.sections import (
    NO_SECTION,
    Blocker,
    Entry,
    Listing,
    Page,
    Section,
    build_page,
    checked_links,
    status_counts_words,
)
from factcheck.render.sections import STATUS_WORDS as PLAIN_STATUS
from factcheck.report import ClaimReport, EvidenceReport, FileReport, LinkInfo, QuoteInfo, Report
from factcheck.urls import redact

#: GitHub refuses a pull-request comment over 65,536 characters; the summary stays well below.
SUMMARY_LIMIT = 60_000

STATUS_WORDS = {
    "supported": "supported",
    "partially_supported": "partially supported",
    "contradicted": "contradicted",
    "unverified": "unverified",
    "opinion": "opinion",
    "pending": "pending",
}
MODE_WORDS = {
    "draft": "draft: our own article before publication (pending and contradicted claims "
    "block it, unverified claims warn)",
    "review": "review: a fact-check of someone else's published article (contradicted and "
    "unverified claims are what the fact-check found, not defects)",
}
LINK_ICONS = {"ok": "✅", "warning": "⚠️", "broken": "❌", "skipped": "➖"}
QUOTE_ICONS = {"found": "✅", "near": "⚠️", "missing": "❌", "skipped": "➖"}
SEVERITY_ICONS = {"error": "❌", "warning": "⚠️"}
#: What the reports say of a status resting only on sources cited without a URL.
OFFLINE_ONLY = (
    "the status rests only on offline sources (print, interviews, documents on file): "
    "factcheck could not check them"
)
SKIP_WORDS = {
    "offline": "offline run",
    "not-fetched": "the page could not be fetched",
    "truncated": "the page was cut off before its end",
    "too-little-text": "too little text on the page",
    "not-text": "not a text page",
    "unreadable": "the page could not be read",
    "paywalled": "paywalled: checked on the archive copy only",
    "challenge": "a bot challenge or consent page stood in for the page",
    "offline-source": "offline source",
    "too-complex": "the page is too complex to read within its CPU budget",
    "excluded": "excluded by an --exclude pattern",
    "not-http": "not an http(s) link",
}

# --------------------------------------------------------------------------- escaping

_SPECIAL = re.compile(r"[\\`*_\[\]<>|~&$@]")
#: ``http://`` autolinks are made by the markdown parser: an escaped colon defuses them.
_URL_COLON = re.compile(r":(?=//)")
_WWW = re.compile(r"(?i)\b(www)\.")
#: GitHub finds ``:emoji:`` short codes and ``@mentions`` in the rendered text, where escapes
#: are gone; an invisible word joiner keeps them from matching (and from notifying anyone).
_JOINER = "\u2060"
_EMOJI_COLON = re.compile(r":(?=[A-Za-z0-9_+-]+:)")
_MENTION = re.compile(r"\\@(?=[A-Za-z0-9])")
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")
_UNSAFE_URL = re.compile(r"[\s<>()\"'\\|`^{}\[\]\x00-\x1f\x7f]")


def text(value: str | None) -> str:
    """Untrusted text, safe anywhere inline (table cells included)."""
    escaped = _SPECIAL.sub(lambda m: "\\" + m.group(), clean(value))
    escaped = _URL_COLON.sub(r"\\:", escaped)
    escaped = _EMOJI_COLON.sub(":" + _JOINER, escaped)
    escaped = _MENTION.sub("\\\\@" + _JOINER, escaped)
    return _WWW.sub(r"\1\\.", escaped)


def block_text(value: str | None) -> str:
    """Untrusted text that starts a line (a block quote): no heading, list or quote marker."""
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text(value))


def code(value: str | None, *, in_table: bool = False) -> str:
    """A code span holding untrusted text verbatim (file paths, locations)."""
    content = clean(value)
    if in_table:
        content = content.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content.startswith("`") or content.endswith("`") or not content else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def safe_url(url: str | None) -> str | None:
    """The URL as a link destination, or None when it must not be a link (not http(s))."""
    if not url:
        return None
    url = clean(url).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    netloc = parts.netloc
    if "@" in netloc:  # never show credentials
        netloc = "***@" + netloc.rpartition("@")[2]
    shown = redact(urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)))
    return _UNSAFE_URL.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), shown)


def shown_url(url: str | None) -> str:
    """A URL as text (never a link): credentials and secret-looking parameters masked."""
    if not url:
        return ""
    try:
        parts = urlsplit(clean(url))
        if "@" in parts.netloc:
            url = urlunsplit(
                (
                    parts.scheme,
                    "***@" + parts.netloc.rpartition("@")[2],
                    parts.path,
                    parts.query,
                    parts.fragment,
                )
            )
    except ValueError:
        pass
    return redact(url)


def link(label: str | None, url: str | None) -> str:
    """``[label](url)`` for an http(s) URL; otherwise the label (or the URL) as plain text."""
    target = safe_url(url)
    shown = label if label and clean(label).strip() else shown_url(url)
    if target is None:
        return text(shown)
    return f"[{text(shown)}]({target})"


def anchor(claim: ClaimReport, prefix: str = "") -> str:
    """The anchor of a claim's section: ASCII letters, digits and hyphens only."""
    slug = re.sub(r"[^a-z0-9-]+", "-", claim.id.lower()).strip("-") or "claim"
    return f"claim-{prefix}{slug}"


# --------------------------------------------------------------------------- words


def status_word(status: str) -> str:
    return STATUS_WORDS.get(status, clean(status))


def shorten(value: str | None, limit: int = 90) -> str:
    value = clean(value).strip()
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def checked_when(report: Report) -> str:
    try:
        moment = datetime.fromisoformat(report.checked_at)
    except ValueError:
        return text(report.checked_at)
    offset = moment.utcoffset()
    if offset is not None and not offset:
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M %z").strip()


def reason_words(codes: Iterable[str]) -> str:
    """``FC401 ×2`` gate reasons in words: "2 × evidence link broken (FC401)"."""
    words = []
    for reason in codes:
        code_, _, count = reason.partition(" ×")
        info = CODES.get(code_)
        if info is None:
            words.append(text(reason))
            continue
        summary = info.summary.split(" (")[0].replace("`", "")
        words.append(f"{count + ' × ' if count else ''}{text(summary)} ({code_})")
    return "; ".join(words)


def link_words(info: LinkInfo | None) -> str:
    if info is None:
        return "not checked"
    if info.outcome == "skipped":
        reason = SKIP_WORDS.get(info.reason, info.reason)
        return f"{LINK_ICONS['skipped']} not checked ({text(reason)})"
    words = f"{LINK_ICONS.get(info.outcome, '')} {text(info.outcome)}"
    if info.reason == "redirected" and info.final_url:
        return f"{words}, redirected to {link(None, info.final_url)}"
    if info.reason not in {"ok", "redirected"}:
        words += f": {text(info.reason)}"
        extra = info.detail or (f"HTTP {info.status_code}" if info.status_code else "")
        if extra:
            words += f" ({text(shorten(extra, 120))})"
    return words


def quote_words(info: QuoteInfo | None) -> str:
    if info is None:
        return "no quote to check"
    icon = QUOTE_ICONS.get(info.result, "")
    if info.result == "skipped":
        reason = SKIP_WORDS.get(info.reason or "", info.reason or "")
        return f"{icon} not checked ({text(reason)})"
    words = f"{icon} {text(info.result)}"
    if info.result == "near" and info.score is not None:
        words += f" ({info.score:.1f}% similar)"
    if info.copy == "archive":
        words += " on the archive copy only"
    if info.truncated:
        words += " (the page was cut off before its end)"
    if info.result == "missing" and info.reason:
        words += f" ({text(info.reason)})"
    if info.passage and info.result != "found":
        words += f"; closest passage on the page: “{text(shorten(info.passage, 300))}”"
    return words


def severity_order(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then in file order."""
    return sorted(findings, key=lambda f: (-f.severity.rank, *f.sort_key()))


# --------------------------------------------------------------------------- the full report


def render(report: Report) -> str:
    """The editor's page: what to do first, then the claims by section, then the details."""
    page = build_page(report)
    prefixes = _prefixes(report)
    out = [f"# Fact-check: {text(page.title)}", ""]
    out += [f"**{text(page.bottom_line)}**", "", text(page.gate_line), ""]
    out += _corrections(page, prefixes)
    out += _unconfirmed(page, prefixes)
    out += _blockers(page, prefixes)
    out += ["## What holds up", "", text(page.holds_up), ""]
    out += _claims_by_section(report, page, prefixes)
    out += _about(report)
    out += [f"_Generated by factcheck {text(report.tool_version)}._", ""]
    return "\n".join(out)


def _prefixes(report: Report) -> dict[str, str]:
    if len(report.files) <= 1:
        return {f.file: "" for f in report.files} | {c.file: "" for c in report.claims}
    return {f.file: f"f{i + 1}-" for i, f in enumerate(report.files)}


def _claim_ref(claim: ClaimReport, prefixes: dict[str, str]) -> str:
    return f"[{text(claim.id)}](#{anchor(claim, prefixes.get(claim.file, ''))})"


def _fold(label: str, body: list[str]) -> list[str]:
    """A ``<details>`` block; GitHub renders markdown in it between blank lines."""
    while body and not body[-1]:
        body = body[:-1]
    return [f"<details><summary>{label}</summary>", "", *body, "", "</details>", ""]


def _listing(listing: Listing[Any], line: Callable[[Any], list[str]], more: str) -> list[str]:
    """The items shown, then the rest in a fold labelled with its count."""
    out: list[str] = []
    for item in listing.shown:
        out += line(item)
    out.append("")
    if listing.folded:
        body: list[str] = []
        for item in listing.folded:
            body += line(item)
        out += _fold(f"{len(listing.folded)} more {more}", body)
    return out


def _corrections(page: Page, prefixes: dict[str, str]) -> list[str]:
    if not page.contradicted and not page.partly:
        return ["## Corrections", "", "None: no claim is contradicted or only partly right.", ""]
    out = ["## Corrections", ""]
    if page.contradicted:
        out += [f"### Contradicted by the evidence ({page.contradicted.total})", ""]
        out += _listing(
            page.contradicted,
            lambda e: _contradicted(e, prefixes),
            _plural_word(len(page.contradicted.folded), "contradicted claim"),
        )
    if page.partly:
        out += [f"### Only partly right ({page.partly.total})", ""]
        out += _listing(
            page.partly,
            lambda e: _partly(e, prefixes),
            _plural_word(len(page.partly.folded), "partly right claim"),
        )
    return out


def _plural_word(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _contradicted(entry: Entry, prefixes: dict[str, str]) -> list[str]:
    claim = entry.claim
    lines = [f"- {_claim_ref(claim, prefixes)} **The article says:** “{text(claim.quote)}”  "]
    lines.append(f"  **The evidence shows:** {text(entry.shows)}")
    sources = [_source_link(item) for item in entry.sources[:3]]
    if sources:
        lines[-1] += "  "
        lines.append(f"  **{'Source' if len(sources) == 1 else 'Sources'}:** {'; '.join(sources)}")
    return lines


def _partly(entry: Entry, prefixes: dict[str, str]) -> list[str]:
    claim = entry.claim
    return [f"- {_claim_ref(claim, prefixes)} “{text(claim.quote)}” — {text(entry.shows)}"]


def _source_link(item: EvidenceReport) -> str:
    label = item.title or item.publisher
    shown = link(label, passage_target(item))
    if item.title and item.publisher:
        shown += f", {text(item.publisher)}"
    return shown


def _unconfirmed(page: Page, prefixes: dict[str, str]) -> list[str]:
    if not page.unconfirmed:
        return []
    out = [f"## What we could not confirm ({page.unconfirmed.total})", ""]

    def line(entry: Entry) -> list[str]:
        return [f"- {_claim_ref(entry.claim, prefixes)} “{text(entry.claim.quote)}”"]

    return out + _listing(
        page.unconfirmed, line, _plural_word(len(page.unconfirmed.folded), "unconfirmed claim")
    )


def _blockers(page: Page, prefixes: dict[str, str]) -> list[str]:
    out = ["## What blocks the gate", ""]
    if not page.blockers:
        return [*out, "Nothing.", ""]
    return out + _listing(
        page.blockers,
        lambda b: [blocker_line(b, prefixes)],
        _plural_word(len(page.blockers.folded), "item"),
    )


def blocker_line(item: Blocker, prefixes: dict[str, str], *, where: bool = False) -> str:
    head = "-"
    if item.claim is not None:
        head += f" {_claim_ref(item.claim, prefixes)} “{text(shorten(item.claim.quote, 160))}”:"
    elif len(prefixes) > 1:
        head += f" {code(local_path(item.file))}:"
    what = text(item.what)
    if item.claim is None and len(prefixes) <= 1:
        what = what[:1].upper() + what[1:]
    line = f"{head} {what}. **To do:** {text(item.action)}."
    grouped = item.claim is None and item.findings and item.findings[0].code == Code.FC602
    if where and not grouped and item.findings and item.findings[0].line is not None:
        found = item.findings[0]
        line += f" ({code(f'{local_path(found.file)}:{found.line}')})"
    return line


# --------------------------------------------------------------------------- claims by section


def _claims_by_section(report: Report, page: Page, prefixes: dict[str, str]) -> list[str]:
    if not report.claims:
        return []
    out = ["## Claims by section", ""]
    several = len(report.files) > 1
    checked = checked_links(report)
    for section in page.sections:
        label = _section_label(section, several)
        body: list[str] = []
        for claim in section.claims:
            body += _claim_entry(claim, prefixes, checked)
        out += _fold(label, body)
    if page.opinion:
        body = []
        for claim in page.opinion:
            body += _claim_entry(claim, prefixes, checked)
        out += _fold(
            f"<strong>Opinion</strong>: {plural(len(page.opinion), 'claim')}, not checked as fact",
            body,
        )
    return out


def _section_label(section: Section, several: bool) -> str:
    title = "<em>Before the first heading</em>" if section.title == NO_SECTION else None
    # A <summary> line is raw HTML, where markdown escapes mean nothing: HTML-escape instead.
    name = title or f"<strong>{html_escape(clean(section.title))}</strong>"
    if several:
        name = f"{html_escape(local_path(section.file))}: {name}"
    counts = status_counts_words(section.claims)
    return f"{name}: {plural(len(section.claims), 'claim')} ({counts})"


def _claim_entry(claim: ClaimReport, prefixes: dict[str, str], checked: bool) -> list[str]:
    head = f'#### <a name="{anchor(claim, prefixes.get(claim.file, ""))}"></a>{text(claim.id)}: '
    out = [head + PLAIN_STATUS.get(claim.status, text(claim.status)), ""]
    out += [f"> {block_text(claim.quote)}", ""]
    if claim.assertion and clean(claim.assertion) != clean(claim.quote):
        out.append(f"- **Claim:** {text(claim.assertion)}")
    if claim.rationale:
        out.append(f"- **Why:** {text(claim.rationale)}")
    if claim.rests_on_offline_sources:
        out.append(f"- **Checked:** {OFFLINE_ONLY}")
    for number, item in enumerate(claim.evidence, 1):
        out.append(f"- **Source {number}:** {_evidence(item, checked)}")
    return [*out, ""]


def _evidence(item: EvidenceReport, checked: bool) -> str:
    parts = [_source_link(item) if (item.title or item.publisher) else link(None, item.url)]
    if item.url is None:  # a source cited without a URL
        cited = text(item.citation)
        parts = [f"{parts[0]}: {cited}" if item.title or item.publisher else cited]
    if item.stance != "supports":
        parts[0] += f" ({text(item.stance)})"
    if item.original_url:
        parts.append(f"original publication: {link(None, item.original_url)}")
    if item.quote_text:
        quoted = f"quoted: “{text(item.quote_text)}”"
        if item.quote_translation:
            quoted += f" (“{text(item.quote_translation)}”)"
        parts.append(quoted)
    if checked and item.link is not None:
        parts.append(f"link: {link_words(item.link)}")
    if checked and item.quote is not None and item.quote_text:
        parts.append(f"passage: {quote_words(item.quote)}")
    if item.archive_url:
        archive = link("archived copy", item.archive_url)
        if checked and item.archive_link is not None:
            archive += f" ({link_words(item.archive_link)})"
        parts.append(archive)
    return " · ".join(parts)


# --------------------------------------------------------------------------- about this check


def _about(report: Report) -> list[str]:
    out = ["## About this check", ""]
    for file in report.files:
        if len(report.files) > 1:
            out += [f"### {code(local_path(file.file))}", ""]
        out += _header(report, file)
        if len(report.files) > 1:
            out.append("")
    out += _settings(report)
    out += _counts(report)
    out.append("")
    findings = severity_order(report.findings)
    prefixes = _prefixes(report)
    if findings:
        out += _fold(
            f"Findings, with their codes and positions in the claims file ({len(findings)})",
            _findings_table(report, findings, prefixes),
        )
    if report.claims:
        out += _fold(
            f"Claims and their positions in the claims file ({len(report.claims)})",
            _positions_table(report, prefixes),
        )
    return out


def _header(report: Report, file: FileReport) -> list[str]:
    article = file.article
    title = article.get("title")
    where = link(str(title) if title else None, article.get("url"))
    bits = [where]
    if article.get("publisher"):
        bits.append(text(str(article["publisher"])))
    if article.get("published"):
        bits.append(f"published {text(str(article['published']))}")
    lines = [f"- **Article:** {', '.join(bits)}"]
    authors = article.get("authors")
    if isinstance(authors, list) and authors:
        lines.append(f"- **By:** {', '.join(text(str(a)) for a in authors)}")
    lines.append(f"- **Mode:** {text(MODE_WORDS.get(file.mode, file.mode))}")
    lines.append(f"- **Claims file:** {code(local_path(file.file))}")
    lines.append(f"- **Article text:** {_article_source(file)}")
    lines.append(
        f"- **Checked:** {checked_when(report)} by factcheck {text(report.tool_version)} "
        f"({code('factcheck ' + report.command)})"
    )
    if not report.links_checked:
        lines.append("- **Links and quotes:** not checked by `validate`")
    elif report.gate.offline:
        lines.append("- **Links and quotes:** not checked (offline run)")
    if len(report.files) > 1:
        state = "passed" if file.gate_passed else f"failed: {reason_words(file.gate_reasons)}"
        lines.append(f"- **Gate for this file:** {state}")
    return lines


def _article_source(file: FileReport) -> str:
    origin = local_path(file.article_origin, file.file) if file.article_origin else ""
    if file.article_source == "option":
        return f"the local copy given with `--article`: {code(origin)}" if origin else "`--article`"
    if file.article_source == "text":
        return f"`article.text`: {code(origin)}" if origin else "`article.text`"
    if file.article_source == "url":
        return f"the published page, {link(None, file.article_origin or file.article.get('url'))}"
    return "none: claim quotes were not anchored in the article"


def _settings(report: Report) -> list[str]:
    if not report.settings:
        return ["- **Settings:** the defaults"]
    lines = ["- **Settings that differ from the defaults:**"]
    for setting in report.settings:
        value = setting_value(setting.value)
        lines.append(
            f"  - {code(setting.name)} = {code(value)} (from {text(local_path(setting.source))})"
        )
    return lines


def _counts(report: Report) -> list[str]:
    claims = report.status_counts()
    lines = [
        f"- **Claims:** {claims['total']}: "
        + ", ".join(f"{claims[s]} {w}" for s, w in STATUS_WORDS.items()),
    ]
    if checked_links(report):
        links = report.link_counts()
        lines.append(
            f"- **Links:** {plural(len(report.links), 'distinct URL')}: "
            + ", ".join(f"{n} {outcome}" for outcome, n in links.items())
        )
        quotes = report.quote_counts()
        lines.append("- **Quotes:** " + ", ".join(f"{n} {r}" for r, n in quotes.items()))
    severities = report.severity_counts()
    lines.append(
        f"- **Findings:** {plural(severities['error'], 'error')}, "
        f"{plural(severities['warning'], 'warning')}"
    )
    if report.coverage is not None:
        coverage = report.coverage
        lines.append(
            f"- **Claim coverage:** {coverage.covered} of {coverage.check_worthy} check-worthy "
            f"sentences of the article ({coverage.shown_percent}); `factcheck coverage` lists "
            "the others"
        )
    return lines


def _article_line(item: Finding) -> str:
    return f" (article line {item.article_line})" if item.article_line else ""


def _position(file: str, line: int | None, column: int | None = None) -> str:
    shown = local_path(file)
    if line is None:
        return shown
    return f"{shown}:{line}" if column is None else f"{shown}:{line}:{column}"


def _findings_table(report: Report, findings: list[Finding], prefixes: dict[str, str]) -> list[str]:
    claims = {(c.file, c.id): c for c in report.claims}
    lines = [
        "| Severity | Code | Where | Claim | Message |",
        "| --- | --- | --- | --- | --- |",
    ]
    for item in findings:
        claim = claims.get((item.file, item.claim or ""))
        who = _claim_ref(claim, prefixes) if claim is not None else text(item.claim)
        where = _position(item.file, item.line, item.column or 1 if item.line else None)
        lines.append(
            f"| {SEVERITY_ICONS[item.severity.value]} {item.severity.value} | {item.code} "
            f"| {code(where, in_table=True)} | {who} "
            f"| {text(item.message)}{_article_line(item)} |"
        )
    return lines


def _positions_table(report: Report, prefixes: dict[str, str]) -> list[str]:
    lines = ["| Claim | Status | Where |", "| --- | --- | --- |"]
    for claim in report.claims:
        lines.append(
            f"| {_claim_ref(claim, prefixes)} | {status_word(claim.status)} "
            f"| {code(_position(claim.file, claim.line), in_table=True)} |"
        )
    return lines


# --------------------------------------------------------------------------- the short form


def render_summary(report: Report, *, limit: int = SUMMARY_LIMIT) -> str:
    """The first screen, short, for a pull-request comment or a job summary (under ``limit``).

    The same sections as the report: bottom line, gate, what blocks the gate (with positions,
    which the fact-checker fixing them needs), and the corrections by claim id.
    """
    page = build_page(report)
    prefixes = _prefixes(report)
    out = [f"## factcheck: {text(page.title)}", ""]
    out += [f"**{text(page.bottom_line)}**", "", text(page.gate_line), ""]
    corrections = _summary_corrections(page)
    if corrections:
        out += [corrections, ""]
    out.append(f"_Checked {checked_when(report)} by factcheck {text(report.tool_version)}._")
    out.append("")
    blockers = [*page.blockers.shown, *page.blockers.folded]
    if not blockers:
        return "\n".join(out)
    out += [f"**What blocks the gate ({len(blockers)}):**", ""]
    used = len("\n".join(out)) + 200
    for number, item in enumerate(blockers):
        line = _unlinked(blocker_line(item, prefixes, where=True))
        if used + len(line) + 1 > limit:
            out.append(f"- … and {len(blockers) - number} more: see the full report")
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out) + "\n"


def _unlinked(line: str) -> str:
    """Claim ids without their in-page links: a comment has no claim sections to jump to."""
    return re.sub(r"\[([^\]]*)\]\(#claim-[a-z0-9-]+\)", r"**\1**", line)


def _summary_corrections(page: Page) -> str:
    parts = []
    for name, listing in (
        ("contradicted", page.contradicted),
        ("only partly right", page.partly),
        ("could not be confirmed", page.unconfirmed),
    ):
        claims = [*listing.shown, *listing.folded]
        if not claims:
            continue
        ids = ", ".join(text(e.claim.id) for e in claims[:40])
        if len(claims) > 40:
            ids += f" and {len(claims) - 40} more"
        parts.append(f"{len(claims)} {name} ({ids})")
    return f"**Corrections:** {'; '.join(parts)}." if parts else ""
