"""The markdown report for editors (GitHub-flavoured), and its short form for PR comments.

Every piece of text that comes from a claims file, an article or a fetched page is untrusted:
it goes through :func:`text` (control and bidi characters stripped, markdown and HTML
characters escaped, autolinks, math and emoji short codes defused) or :func:`code`, and only
http(s) URLs ever become links (:func:`link`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from factcheck.findings import CODES, Finding
from factcheck.policy import FailOn, blocks
from factcheck.render.common import clean, plural
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
SKIP_WORDS = {
    "offline": "offline run",
    "not-fetched": "the page could not be fetched",
    "truncated": "the page was cut off before its end",
    "too-little-text": "too little text on the page",
    "not-text": "not a text page",
    "unreadable": "the page could not be read",
    "paywalled": "paywalled: checked on the archive copy only",
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


def fully_checked(claim: ClaimReport) -> bool:
    """Evidence whose links are all ok and whose quotes were all found."""
    if not claim.evidence:
        return False
    for item in claim.evidence:
        if item.link is None or item.link.outcome != "ok":
            return False
        if item.quote is not None and item.quote.result != "found":
            return False
    return True


def severity_order(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then in file order."""
    return sorted(findings, key=lambda f: (-f.severity.rank, *f.sort_key()))


def blocking_claims(report: Report) -> list[tuple[ClaimReport, list[Finding]]]:
    fail_on = _fail_on(report)
    found = []
    for claim in report.claims:
        stopping = [f for f in report.findings_for(claim.file, claim.id) if blocks(f, fail_on)]
        if stopping:
            found.append((claim, severity_order(stopping)))
    return found


def _fail_on(report: Report) -> FailOn:
    try:
        return FailOn(report.gate.fail_on)
    except ValueError:
        return FailOn.ERROR


# --------------------------------------------------------------------------- the verdict


def verdict_line(report: Report, files: list[FileReport] | None = None) -> str:
    """Publishable or not, and why; in review mode, what the fact-check found."""
    files = report.files if files is None else files
    review = bool(files) and all(f.mode == "review" for f in files)
    if report.fatal and not report.files and report.findings:
        head = f"❌ **Cannot check:** {text(report.findings[0].message)}."
    elif report.fatal:
        head = "❌ **Cannot check:** a claims file cannot be used (FC101)."
    elif report.gate.passed:
        if review:
            head = "✅ **No finding blocks this fact-check**"
        else:
            head = "✅ **Publishable:** no finding blocks publication"
        head += f" (--fail-on {text(report.gate.fail_on)})."
    else:
        what = "This fact-check is not finished" if review else "Not publishable"
        head = f"❌ **{what}:** {reason_words(report.gate.reasons)}."
    parts = [head]
    if review:
        counts = report.status_counts()
        found = [
            f"{counts[status]} {STATUS_WORDS[status]}"
            for status in STATUS_WORDS
            if counts.get(status)
        ]
        if found:
            parts.append(
                f"What the fact-check found, of {plural(counts['total'], 'claim')}: "
                f"{', '.join(found)}."
            )
    parts.append(_coverage_note(report))
    if report.partial:
        parts.append(f"Partial run: only {plural(len(report.claims), 'claim')} selected.")
    return " ".join(p for p in parts if p)


def _coverage_note(report: Report) -> str:
    if not report.links_checked:
        return "Links and quotes were not checked (`factcheck verify` or `report` checks them)."
    if report.gate.offline:
        return "Offline run: links and quotes not checked."
    return ""


# --------------------------------------------------------------------------- the full report


def render(report: Report) -> str:
    """The whole report: header, summary, claims table, a section per claim, findings."""
    out: list[str] = []
    single = len(report.files) == 1
    if single:
        title = report.files[0].article.get("title")
        out.append(f"# Fact-check: {text(str(title or report.files[0].file))}")
    else:
        out.append(f"# Fact-check report: {plural(len(report.files), 'claims file')}")
    out += ["", verdict_line(report), ""]
    for index, file in enumerate(report.files):
        if not single:
            out += [f"### {code(file.file)}", ""]
        out += _header(report, file, index)
        out.append("")
    out += _settings(report)
    out += ["## Summary", "", *_summary(report), ""]
    out += ["## Claims", ""]
    prefixes = _prefixes(report)
    for file in report.files:
        claims = [c for c in report.claims if c.file == file.file]
        if not single:
            out += [f"### {code(file.file)}", ""]
        out += _claims_table(report, claims, prefixes[file.file])
        out.append("")
    if report.claims:
        out += ["## Claim by claim", ""]
        for claim in report.claims:
            out += _claim_section(report, claim, prefixes[claim.file], single)
    out += ["## All findings", ""]
    out += _findings_table(report, severity_order(report.findings), prefixes)
    out += ["", f"_Generated by factcheck {text(report.tool_version)}._", ""]
    return "\n".join(out)


def _prefixes(report: Report) -> dict[str, str]:
    if len(report.files) <= 1:
        return {f.file: "" for f in report.files} | {c.file: "" for c in report.claims}
    return {f.file: f"f{i + 1}-" for i, f in enumerate(report.files)}


def _header(report: Report, file: FileReport, index: int) -> list[str]:
    del index
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
    lines.append(f"- **Claims file:** {code(file.file)}")
    lines.append(f"- **Article text:** {_article_source(file)}")
    lines.append(
        f"- **Checked:** {checked_when(report)} by factcheck {text(report.tool_version)} "
        f"({code('factcheck ' + report.command)})"
    )
    if not report.links_checked:
        lines.append("- **Links and quotes:** not checked by `validate`")
    elif report.gate.offline:
        lines.append(
            "- **Links and quotes:** not checked (offline run); the link and quote columns stay "
            "empty until a run with web access"
        )
    if len(report.files) > 1:
        state = "passed" if file.gate_passed else f"failed: {reason_words(file.gate_reasons)}"
        lines.append(f"- **Gate for this file:** {state}")
    return lines


def _article_source(file: FileReport) -> str:
    origin = file.article_origin
    if file.article_source == "option":
        return f"the local copy given with `--article`: {code(origin)}" if origin else "`--article`"
    if file.article_source == "text":
        return f"`article.text`: {code(origin)}" if origin else "`article.text`"
    if file.article_source == "url":
        return f"the published page, {link(None, origin or file.article.get('url'))}"
    return "none: claim quotes were not anchored in the article (FC304)"


def _settings(report: Report) -> list[str]:
    if not report.settings:
        return ["**Settings:** the defaults.", ""]
    lines = ["**Settings that differ from the defaults:**", ""]
    for setting in report.settings:
        lines.append(
            f"- {code(setting.name)} = {code(setting.value)} (from {text(setting.source)})"
        )
    return [*lines, ""]


def _summary(report: Report) -> list[str]:
    claims = report.status_counts()
    lines = [
        f"- **Claims:** {claims['total']}: "
        + ", ".join(f"{claims[s]} {w}" for s, w in STATUS_WORDS.items()),
    ]
    if report.links_checked and not report.gate.offline:
        links = report.link_counts()
        lines.append(
            f"- **Links:** {plural(len(report.links), 'distinct URL')}: "
            + ", ".join(f"{n} {outcome}" for outcome, n in links.items())
        )
        quotes = report.quote_counts()
        lines.append("- **Quotes:** " + ", ".join(f"{n} {r}" for r, n in quotes.items()))
    else:
        lines.append("- **Links and quotes:** not checked")
    severities = report.severity_counts()
    lines.append(
        f"- **Findings:** {plural(severities['error'], 'error')}, "
        f"{plural(severities['warning'], 'warning')}"
    )
    coverage = report.coverage
    if coverage is not None:
        lines.append(
            f"- **Claim coverage:** {coverage.covered} of {coverage.check_worthy} check-worthy "
            f"sentences of the article ({coverage.shown_percent}); `factcheck coverage` lists "
            "the others"
        )
    with_evidence = [c for c in report.claims if c.evidence]
    if report.links_checked and not report.gate.offline and with_evidence:
        good = sum(fully_checked(c) for c in with_evidence)
        share = round(100 * good / len(with_evidence))
        lines.append(
            f"- **Fully checked:** {good} of {len(with_evidence)} claims with evidence ({share}%) "
            "have every link ok and every quote found"
        )
    else:
        lines.append(
            f"- **Fully checked:** not measured ({len(with_evidence)} of {claims['total']} "
            "claims have evidence; their links and quotes were not checked)"
        )
    return lines


def _claims_table(report: Report, claims: list[ClaimReport], prefix: str) -> list[str]:
    if not claims:
        return ["No claims."]
    checked = report.links_checked and not report.gate.offline
    lines = [
        "| Claim | Status | The claim, in short | Evidence | Links | Quotes |",
        "| --- | --- | --- | ---: | --- | --- |",
    ]
    for claim in claims:
        summary = text(shorten(claim.assertion or claim.quote))
        links = quotes = ""
        if checked:
            health = claim.link_health
            links = f"{LINK_ICONS.get(health, '')} {health}" if health else "—"
            result = claim.quote_health
            quotes = f"{QUOTE_ICONS.get(result, '')} {result}" if result else "—"
        lines.append(
            f"| [{text(claim.id)}](#{anchor(claim, prefix)}) | {status_word(claim.status)} "
            f"| {summary} | {len(claim.evidence)} | {links} | {quotes} |"
        )
    if not checked:
        lines += [
            "",
            "_The Links and Quotes columns stay empty until a run with web access "
            "(`factcheck report` without `--offline`)._",
        ]
    return lines


def _claim_section(report: Report, claim: ClaimReport, prefix: str, single: bool) -> list[str]:
    where = claim.file if claim.line is None else f"{claim.file}:{claim.line}"
    out = [
        f'### <a name="{anchor(claim, prefix)}"></a>{text(claim.id)}: {status_word(claim.status)}',
        "",
        f"> {block_text(claim.quote)}",
        "",
    ]
    if claim.assertion:
        out.append(f"- **Claim:** {text(claim.assertion)}")
    if claim.section:
        out.append(f"- **Section:** {text(claim.section)}")
    if claim.rationale:
        out.append(f"- **Rationale:** {text(claim.rationale)}")
    out.append(f"- **In the claims file:** {code(where)}")
    out.append("")
    if claim.evidence:
        out += ["**Evidence**", ""]
        for number, item in enumerate(claim.evidence, 1):
            out += _evidence(report, item, number)
        out.append("")
    else:
        out += ["No evidence.", ""]
    findings = severity_order(report.findings_for(claim.file, claim.id))
    if findings:
        out += ["**Findings**", ""]
        for found in findings:
            out.append(
                f"- {SEVERITY_ICONS[found.severity.value]} {found.severity.value} {found.code} "
                f"at {code(str(found.location))}: {text(found.message)}{_article_line(found)}"
            )
        out.append("")
    del single
    return out


def _evidence(report: Report, item: EvidenceReport, number: int) -> list[str]:
    head = link(item.title, item.url)
    if item.publisher:
        head += f", {text(item.publisher)}"
    head += f" · {text(item.stance)}"
    if item.line is not None:
        head += f" · line {item.line}"
    lines = [f"{number}. {head}"]
    checked = report.links_checked and not report.gate.offline
    if item.title:
        lines.append(f"   - URL: {code(shown_url(item.url))}")
    if item.original_url:
        lines.append(f"   - Original publication: {link(None, item.original_url)}")
    if checked or item.link is not None:
        lines.append(f"   - Link: {link_words(item.link)}")
    if item.quote_text:
        lines.append(f"   - Quoted passage: “{text(item.quote_text)}”")
        if item.quote_translation:
            lines.append(f"   - Translation: “{text(item.quote_translation)}”")
        if checked or item.quote is not None:
            lines.append(f"   - Quote: {quote_words(item.quote)}")
    if item.archive_url:
        archive = f"   - Archive copy: {link('archived page', item.archive_url)}"
        if item.archive_link is not None:
            archive += f": {link_words(item.archive_link)}"
        lines.append(archive)
    return lines


def _article_line(item: Finding) -> str:
    return f" (article line {item.article_line})" if item.article_line else ""


def _findings_table(report: Report, findings: list[Finding], prefixes: dict[str, str]) -> list[str]:
    if not findings:
        return ["No findings."]
    claims = {(c.file, c.id): c for c in report.claims}
    lines = [
        "| Severity | Code | Where | Claim | Message |",
        "| --- | --- | --- | --- | --- |",
    ]
    for item in findings:
        claim = claims.get((item.file, item.claim or ""))
        if claim is not None:
            who = f"[{text(claim.id)}](#{anchor(claim, prefixes.get(claim.file, ''))})"
        else:
            who = text(item.claim)
        lines.append(
            f"| {SEVERITY_ICONS[item.severity.value]} {item.severity.value} | {item.code} "
            f"| {code(str(item.location), in_table=True)} | {who} "
            f"| {text(item.message)}{_article_line(item)} |"
        )
    return lines


# --------------------------------------------------------------------------- the short form


def render_summary(report: Report, *, limit: int = SUMMARY_LIMIT) -> str:
    """Verdict, counts and blocking claims, for a pull-request comment (under ``limit``)."""
    out: list[str] = []
    if len(report.files) == 1:
        file = report.files[0]
        title = file.article.get("title")
        out.append(f"## factcheck: {text(str(title or file.file))}")
    else:
        out.append(f"## factcheck: {plural(len(report.files), 'claims file')}")
    out += ["", verdict_line(report), ""]
    out += _summary(report)
    out.append(f"- **Checked:** {checked_when(report)} by factcheck {text(report.tool_version)}")
    out.append("")
    stopping = blocking_claims(report)
    file_level = [f for f in report.findings if f.claim is None and blocks(f, _fail_on(report))]
    if stopping or file_level:
        out += [f"**Blocking ({plural(len(stopping) + len(file_level), 'item')}):**", ""]
    tail = "\n"
    body: list[str] = []
    items = [_blocking_line(c, f) for c, f in stopping] + [
        f"- {code(str(f.location))} {f.code}: {text(f.message)}" for f in file_level
    ]
    used = len("\n".join(out)) + 200
    for number, line in enumerate(items):
        if used + len(line) + 1 > limit:
            body.append(f"- … and {len(items) - number} more: see the full report")
            break
        body.append(line)
        used += len(line) + 1
    return "\n".join(out + body) + tail


def _blocking_line(claim: ClaimReport, findings: list[Finding]) -> str:
    where = claim.file if claim.line is None else f"{claim.file}:{claim.line}"
    reasons = "; ".join(f"{f.code} {text(shorten(f.message, 160))}" for f in findings[:3])
    if len(findings) > 3:
        reasons += f"; {len(findings) - 3} more"
    return (
        f"- **{text(claim.id)}** ({status_word(claim.status)}, {code(where)}): "
        f"{text(shorten(claim.assertion or claim.quote, 120))} — {reasons}"
    )
