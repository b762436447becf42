"""The HTML report: the editor's page as one self-contained, printable file.

Built from Jinja2 templates (``templates/report.html.j2``) over the same page as the markdown
report (:mod:`factcheck.render.sections`), so a newsroom can restyle it by editing a template.
Autoescaping is on for every value: untrusted text is passed as plain strings and the template
engine escapes it; only http(s) URLs reach an ``href``. There are no scripts and no external
assets: the stylesheet is inline, and the folds are ``<details>`` elements. Every quoted passage
found on its page links there with a text fragment, so the reader lands on the highlighted
words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from factcheck.render.common import clean, local_path, plural, setting_value
from factcheck.render.fragments import passage_target
from factcheck.render.markdown import (
    MODE_WORDS,
    OFFLINE_ONLY,
    SKIP_WORDS,
    STATUS_WORDS,
    anchor,
    checked_when,
    safe_url,
    severity_order,
    shorten,
    shown_url,
)
from factcheck.render.sections import (
    NO_SECTION,
    Blocker,
    Entry,
    Listing,
    Section,
    build_page,
    checked_links,
    status_counts_words,
)
from factcheck.render.sections import STATUS_WORDS as PLAIN_STATUS
from factcheck.report import ClaimReport, EvidenceReport, FileReport, LinkInfo, QuoteInfo, Report

TEMPLATE = "report.html.j2"


@cache
def environment() -> Environment:
    """The template environment: autoescape on for every template, undefined names fail."""
    return Environment(
        loader=PackageLoader("factcheck.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(report: Report) -> str:
    return environment().get_template(TEMPLATE).render(page=page_data(report))


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class Link:
    """A link the template may show: ``href`` is None unless the URL is http(s)."""

    label: str
    href: str | None


def make_link(label: str | None, url: str | None) -> Link:
    shown = clean(label).strip() if label else ""
    return Link(shown or shown_url(url), safe_url(url))


def page_data(report: Report) -> dict[str, Any]:
    page = build_page(report)
    prefixes = _prefixes(report)
    checked = checked_links(report)

    def claim_ref(claim: ClaimReport) -> dict[str, str]:
        return {"id": clean(claim.id), "anchor": anchor(claim, prefixes.get(claim.file, ""))}

    def entries(listing: Listing[Entry]) -> dict[str, Any]:
        def one(entry: Entry) -> dict[str, Any]:
            return {
                "claim": claim_ref(entry.claim),
                "quote": clean(entry.claim.quote),
                "shows": entry.shows,
                "sources": [_source_link(e) for e in entry.sources[:3]],
            }

        return {
            "shown": [one(e) for e in listing.shown],
            "folded": [one(e) for e in listing.folded],
            "total": listing.total,
        }

    def blocker(item: Blocker) -> dict[str, Any]:
        what = clean(item.what)
        if item.claim is None:
            what = what[:1].upper() + what[1:]
        return {
            "claim": claim_ref(item.claim) if item.claim is not None else None,
            "quote": shorten(item.claim.quote, 160) if item.claim is not None else "",
            "file": local_path(item.file) if len(report.files) > 1 else "",
            "what": what,
            "action": item.action,
        }

    return {
        "title": page.title,
        "bottom_line": page.bottom_line,
        "gate_line": page.gate_line,
        "gate_passed": report.gate.passed and not report.fatal,
        "contradicted": entries(page.contradicted),
        "partly": entries(page.partly),
        "unconfirmed": entries(page.unconfirmed),
        "blockers": {
            "shown": [blocker(b) for b in page.blockers.shown],
            "folded": [blocker(b) for b in page.blockers.folded],
            "total": page.blockers.total,
        },
        "holds_up": page.holds_up,
        "sections": [_section(s, len(report.files) > 1, claim_ref, checked) for s in page.sections],
        "opinion": {
            "count": plural(len(page.opinion), "claim"),
            "claims": [_claim(c, claim_ref, checked) for c in page.opinion],
        },
        "about": _about(report, claim_ref),
        "version": clean(report.tool_version),
    }


def _prefixes(report: Report) -> dict[str, str]:
    if len(report.files) <= 1:
        return {f.file: "" for f in report.files} | {c.file: "" for c in report.claims}
    return {f.file: f"f{i + 1}-" for i, f in enumerate(report.files)}


def _source_link(item: EvidenceReport) -> dict[str, Any]:
    label = item.title or item.publisher or None
    if item.url is None:  # a source cited without a URL: its citation, as text
        label = f"{label}: {item.citation}" if label else item.citation
    return {
        "link": make_link(label, passage_target(item)),
        "publisher": clean(item.publisher) if item.title and item.publisher else "",
    }


def _section(section: Section, several: bool, claim_ref: Any, checked: bool) -> dict[str, Any]:
    name = "" if section.title == NO_SECTION else section.title
    return {
        "title": name,
        "file": local_path(section.file) if several else "",
        "count": plural(len(section.claims), "claim"),
        "statuses": status_counts_words(section.claims),
        "claims": [_claim(c, claim_ref, checked) for c in section.claims],
    }


def _claim(claim: ClaimReport, claim_ref: Any, checked: bool) -> dict[str, Any]:
    assertion = clean(claim.assertion)
    return {
        "ref": claim_ref(claim),
        "status": claim.status,
        "status_words": PLAIN_STATUS.get(claim.status, clean(claim.status)),
        "quote": clean(claim.quote),
        "assertion": assertion if assertion and assertion != clean(claim.quote) else "",
        "rationale": clean(claim.rationale),
        "offline_only": OFFLINE_ONLY if claim.rests_on_offline_sources else "",
        "evidence": [_evidence(e, checked) for e in claim.evidence],
    }


def _evidence(item: EvidenceReport, checked: bool) -> dict[str, Any]:
    labelled = bool(item.title or item.publisher)
    link_state = ""
    if checked and item.link is not None:
        link_state = link_words(item.link)
    archive_state = ""
    if checked and item.archive_link is not None:
        archive_state = link_words(item.archive_link)
    return {
        **_source_link(item),
        "plain": not labelled,
        "stance": clean(item.stance) if item.stance != "supports" else "",
        "original": make_link(None, item.original_url) if item.original_url else None,
        "quote": clean(item.quote_text),
        "translation": clean(item.quote_translation),
        "link_state": link_state,
        "link_outcome": item.link.outcome if item.link is not None else "",
        "passage_state": quote_words(item.quote) if checked and item.quote_text else "",
        "passage_result": item.quote.result if item.quote is not None else "",
        "archive": make_link("archived copy", item.archive_url) if item.archive_url else None,
        "archive_state": archive_state,
    }


def link_words(info: LinkInfo) -> str:
    if info.outcome == "skipped":
        return f"not checked ({SKIP_WORDS.get(info.reason, clean(info.reason))})"
    if info.reason == "redirected" and info.final_url:
        return f"ok, redirected to {shown_url(info.final_url)}"
    if info.reason == "ok":
        return "ok"
    extra = clean(info.detail) or (f"HTTP {info.status_code}" if info.status_code else "")
    return f"{info.outcome}: {clean(info.reason)}" + (f" ({shorten(extra, 120)})" if extra else "")


def quote_words(info: QuoteInfo | None) -> str:
    if info is None:
        return ""
    if info.result == "skipped":
        return f"not checked ({SKIP_WORDS.get(info.reason or '', clean(info.reason))})"
    words = {"found": "found on the page", "near": "nearly the same on the page"}.get(
        info.result, "not on the page"
    )
    if info.result == "near" and info.score is not None:
        words += f" ({info.score:.1f}% similar)"
    if info.copy == "archive":
        words = words.replace("on the page", "on the archived copy only")
    if info.truncated:
        words += " (the page was cut off before its end)"
    if info.passage and info.result != "found":
        words += f"; the closest passage reads “{shorten(info.passage, 300)}”"
    return words


def _about(report: Report, claim_ref: Any) -> dict[str, Any]:
    claims = {(c.file, c.id): c for c in report.claims}
    counts = report.status_counts()
    return {
        "files": [_file(report, f) for f in report.files],
        "checked": checked_when(report),
        "command": f"factcheck {clean(report.command)}",
        "links_note": (
            "not checked by validate"
            if not report.links_checked
            else "not checked (offline run)"
            if report.gate.offline
            else ""
        ),
        "settings": [
            {
                "name": clean(s.name),
                "value": setting_value(s.value),
                "source": local_path(s.source),
            }
            for s in report.settings
        ],
        "claims_count": f"{counts['total']}: "
        + ", ".join(f"{counts[s]} {w}" for s, w in STATUS_WORDS.items()),
        "links_count": (
            f"{plural(len(report.links), 'distinct URL')}: "
            + ", ".join(f"{n} {o}" for o, n in report.link_counts().items())
            if checked_links(report)
            else ""
        ),
        "quotes_count": (
            ", ".join(f"{n} {r}" for r, n in report.quote_counts().items())
            if checked_links(report)
            else ""
        ),
        "findings_count": f"{plural(report.severity_counts()['error'], 'error')}, "
        f"{plural(report.severity_counts()['warning'], 'warning')}",
        "coverage": (
            f"{report.coverage.covered} of {report.coverage.check_worthy} check-worthy sentences "
            f"of the article ({report.coverage.shown_percent})"
            if report.coverage is not None
            else ""
        ),
        "findings": [
            {
                "severity": f.severity.value,
                "code": f.code,
                "where": _position(f.file, f.line, f.column or 1 if f.line else None),
                "claim": claim_ref(claims[(f.file, f.claim or "")])
                if (f.file, f.claim or "") in claims
                else ({"id": clean(f.claim), "anchor": ""} if f.claim else None),
                "message": clean(f.message)
                + (f" (article line {f.article_line})" if f.article_line else ""),
            }
            for f in severity_order(report.findings)
        ],
        "positions": [
            {
                "claim": claim_ref(c),
                "status": STATUS_WORDS.get(c.status, clean(c.status)),
                "where": _position(c.file, c.line),
            }
            for c in report.claims
        ],
    }


def _position(file: str, line: int | None, column: int | None = None) -> str:
    shown = local_path(file)
    if line is None:
        return shown
    return f"{shown}:{line}" if column is None else f"{shown}:{line}:{column}"


def _file(report: Report, file: FileReport) -> dict[str, Any]:
    article = file.article
    authors = article.get("authors")
    origin = local_path(file.article_origin, file.file) if file.article_origin else ""
    source = {
        "option": f"the local copy given with --article: {origin}" if origin else "--article",
        "text": f"article.text: {origin}" if origin else "article.text",
        "url": "the published page",
    }.get(file.article_source, "none: claim quotes were not anchored in the article")
    return {
        "article": make_link(
            str(article["title"]) if article.get("title") else None, article.get("url")
        ),
        "publisher": clean(str(article.get("publisher") or "")),
        "published": clean(str(article.get("published") or "")),
        "authors": ", ".join(clean(str(a)) for a in authors) if isinstance(authors, list) else "",
        "mode": MODE_WORDS.get(file.mode, clean(file.mode)),
        "claims_file": local_path(file.file),
        "article_text": source,
        "gate": (
            ""
            if len(report.files) <= 1
            else "passed"
            if file.gate_passed
            else "failed: " + ", ".join(clean(r) for r in file.gate_reasons)
        ),
    }
