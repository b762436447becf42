"""The editor's page as data: what the markdown and HTML reports and the summary render.

An editor opens the report to learn what must be done, so the page opens with that: a bottom
line that cannot be misread (review mode: what the article gets wrong; draft mode: whether it
may be published), the state of the CI gate in its own line, the corrections, what could not
be confirmed, what blocks the gate in plain words, and one paragraph on what holds up. The
claims by section, settings, codes and positions follow, folded.

Everything here is plain text (untrusted, unescaped): each renderer escapes for its own syntax.
The first screen has a word budget: past it, the rest of a list is folded, and each renderer
labels the fold with its count. The split is decided here, once, so the markdown and HTML
reports fold the same items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from factcheck.findings import Code, Finding
from factcheck.policy import FailOn, blocks
from factcheck.render.common import clean, first_sentence, local_path, plural
from factcheck.report import ClaimReport, EvidenceReport, FileReport, Report
from factcheck.urls import redact

#: Words on the first screen (everything an editor sees before opening a fold), with a margin
#: under the 1,500 the issue asks for: renderers add a few words of their own (labels, ids).
FIRST_SCREEN_WORDS = 1_400
#: Items every later list keeps on the first screen, when the budget is tight.
KEEP_PER_LIST = 3

STATUS_WORDS = {
    "supported": "supported",
    "partially_supported": "partly right",
    "contradicted": "contradicted",
    "unverified": "could not be confirmed",
    "opinion": "opinion",
    "pending": "not checked yet",
}
NO_SECTION = "Before the first heading"

#: What to do about a finding, in words an editor or a fact-checker acts on (no codes).
ACTIONS: dict[str, str] = {
    Code.FC401: "find where the page went, or cite an archived copy of it",
    Code.FC402: "open it in a browser; if the passage is there, acknowledge the finding on that "
    "source until a date",
    Code.FC501: "copy the passage as the page reads now, or cite the archived page where it "
    "was seen",
    Code.FC502: "copy the passage as the page reads now",
    Code.FC503: "cite the archived copy: the live page no longer has the passage",
    Code.FC504: "check the passage by hand, then acknowledge the finding on that source",
    Code.FC209: "quote the passage that gives the figure, or say in the rationale where it "
    "comes from",
    Code.FC601: "check the claim and give it a status",
    Code.FC602: "correct the article (see Corrections)",
    Code.FC603: "find a source that settles it, or take the claim out of the article",
    Code.FC604: "add claims for the check-worthy sentences no claim covers",
}
WHAT: dict[str, str] = {
    Code.FC401: "the link to {source} is broken{detail}",
    Code.FC402: "{source} could not be read as a visitor would{detail}",
    Code.FC501: "the quoted passage is not on {source}",
    Code.FC502: "the quoted passage is only nearly the same on {source}",
    Code.FC503: "the quoted passage is only on the archived copy of {source}",
    Code.FC504: "the quoted passage on {source} could not be checked{detail}",
    Code.FC601: "not checked yet",
    Code.FC602: "the evidence contradicts what the article says",
    Code.FC603: "no source settles it",
}


@dataclass(frozen=True)
class Entry:
    """A claim on the first screen: what the evidence shows, and the sources it rests on."""

    claim: ClaimReport
    shows: str
    sources: tuple[EvidenceReport, ...] = ()


@dataclass(frozen=True)
class Blocker:
    """One thing that blocks the gate: what is wrong and what to do, in plain words."""

    claim: ClaimReport | None
    file: str
    what: str
    action: str
    findings: tuple[Finding, ...]


T = TypeVar("T")


@dataclass(frozen=True)
class Listing(Generic[T]):
    """A list of the first screen: the items shown, and the rest (folded, with its count)."""

    shown: tuple[T, ...]
    folded: tuple[T, ...] = ()

    @property
    def total(self) -> int:
        return len(self.shown) + len(self.folded)

    def __bool__(self) -> bool:
        return bool(self.shown or self.folded)


@dataclass(frozen=True)
class Section:
    """Claims under one heading of the article (per claims file when there are several)."""

    title: str
    file: str
    claims: tuple[ClaimReport, ...]


@dataclass(frozen=True)
class Page:
    title: str
    bottom_line: str
    gate_line: str
    contradicted: Listing[Entry]
    partly: Listing[Entry]
    unconfirmed: Listing[Entry]
    blockers: Listing[Blocker]
    holds_up: str
    sections: tuple[Section, ...]
    opinion: tuple[ClaimReport, ...]
    files: tuple[FileReport, ...] = field(default=())


# --------------------------------------------------------------------------- building the page


def build_page(report: Report) -> Page:
    claims = report.claims
    contradicted = [_entry(c, "contradicts") for c in claims if c.status == "contradicted"]
    partly = [_entry(c, "supports") for c in claims if c.status == "partially_supported"]
    unconfirmed = [Entry(c, "") for c in claims if c.status == "unverified"]
    blockers = find_blockers(report)
    costs = [
        [entry_words(e) for e in contradicted],
        [entry_words(e) for e in partly],
        [entry_words(e) for e in unconfirmed],
        [blocker_words(b) for b in blockers],
    ]
    shown = _fit(costs, FIRST_SCREEN_WORDS - _fixed_words(report))
    return Page(
        title=_title(report),
        bottom_line=bottom_line(report),
        gate_line=gate_line(report),
        contradicted=_split(contradicted, shown[0]),
        partly=_split(partly, shown[1]),
        unconfirmed=_split(unconfirmed, shown[2]),
        blockers=_split(blockers, shown[3]),
        holds_up=holds_up(report),
        sections=tuple(by_section(report)),
        opinion=tuple(c for c in claims if c.status == "opinion"),
        files=tuple(report.files),
    )


def _title(report: Report) -> str:
    if len(report.files) == 1:
        file = report.files[0]
        title = file.article.get("title")
        return clean(str(title)) if title else local_path(file.file)
    return f"{plural(len(report.files), 'claims file')}"


def _entry(claim: ClaimReport, stance: str) -> Entry:
    sources = tuple(e for e in claim.evidence if e.stance == stance)
    return Entry(claim, first_sentence(claim.rationale), sources)


def review_mode(report: Report) -> bool:
    return bool(report.files) and all(f.mode == "review" for f in report.files)


def checked_links(report: Report) -> bool:
    """Were links and quotes checked in this run (not validate, not offline)?"""
    return report.links_checked and not report.gate.offline


def fail_on(report: Report) -> FailOn:
    try:
        return FailOn(report.gate.fail_on)
    except ValueError:
        return FailOn.ERROR


# --------------------------------------------------------------------------- the top lines


def bottom_line(report: Report) -> str:
    """One sentence that cannot be misread: what the article gets wrong, or may it be published."""
    if report.fatal:
        if not report.files and report.findings:
            return f"Cannot check: {clean(report.findings[0].message)}."
        return "Cannot check: a claims file cannot be used (see the findings at the end)."
    counts = report.status_counts()
    if review_mode(report):
        return _review_line(counts)
    return _draft_line(report, counts)


def _review_line(counts: dict[str, int]) -> str:
    wrong, partly = counts["contradicted"], counts["partially_supported"]
    if wrong or partly:
        line = (
            f"The article makes {_count(wrong, 'claim')} the evidence contradicts and "
            f"{_count(partly, 'claim', bare=True)} that {'is' if partly == 1 else 'are'} "
            "only partly right"
        )
    else:
        line = (
            f"The evidence contradicts none of the article's {plural(counts['total'], 'claim')}, "
            "and none is only partly right"
        )
    pending = counts["pending"]
    if pending:
        line += (
            f", but the fact-check is not finished: {plural(pending, 'claim')} "
            f"{'is' if pending == 1 else 'are'} not checked yet"
        )
    return line + "."


def _count(n: int, word: str, *, bare: bool = False) -> str:
    if n == 0:
        return "none" if bare else f"no {word}"
    return str(n) if bare else plural(n, word)


def _draft_line(report: Report, counts: dict[str, int]) -> str:
    if report.gate.passed:
        unsure = counts["unverified"]
        tail = (
            f" {plural(unsure, 'claim')} could not be confirmed (listed below)." if unsure else ""
        )
        if not checked_links(report):
            return (
                "Not known yet whether it may be published: links and quotes were not checked; "
                f"nothing else blocks it.{tail}"
            )
        return f"Ready to publish: nothing blocks it.{tail}"
    return f"Not ready to publish: {', '.join(_blocking_counts(report))}."


def _blocking_counts(report: Report) -> list[str]:
    level = fail_on(report)
    stopping = [f for f in report.findings if blocks(f, level)]
    claims_by_code: dict[str, set[tuple[str, str]]] = {}
    for item in stopping:
        claims_by_code.setdefault(item.code, set()).add((item.file, item.claim or ""))
    parts = []
    named = {
        Code.FC602: ("claim contradicted", "claims contradicted"),
        Code.FC601: ("unchecked", "unchecked"),
        Code.FC603: ("claim unconfirmed", "claims unconfirmed"),
    }
    for code, (one, many) in named.items():
        n = len(claims_by_code.get(code, ()))
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    counted = {
        Code.FC401: "broken link",
        Code.FC501: "quote not on its page",
    }
    for code, word in counted.items():
        n = sum(1 for f in stopping if f.code == code)
        if n:
            parts.append(plural(n, word) if code != Code.FC501 else f"{n} {_quotes_word(n)}")
    rest = sum(1 for f in stopping if f.code not in named and f.code not in counted)
    if rest:
        parts.append(f"{rest} other {'problem' if rest == 1 else 'problems'}")
    return parts or ["the gate fails"]


def _quotes_word(n: int) -> str:
    return "quote not on its page" if n == 1 else "quotes not on their pages"


def gate_line(report: Report) -> str:
    """The CI gate in plain words, apart from the bottom line."""
    level = fail_on(report)
    if report.fatal:
        state = "The check could not run, so the CI gate fails."
    elif report.gate.passed:
        if level is FailOn.NEVER:
            state = "The CI gate passes: it is set never to fail."
        else:
            state = f"The CI gate passes: no problem at the “{level.value}” level or above."
    else:
        n = len([f for f in report.findings if blocks(f, level)])
        state = (
            f"The CI gate fails: {plural(n, 'problem')} at the “{level.value}” level or above "
            "(listed under What blocks the gate)."
        )
    if not report.links_checked:
        state += " Links and quotes were not checked (this run checked the file only)."
    elif report.gate.offline:
        state += " Links and quotes were not checked (offline run)."
    if report.partial:
        state += f" Partial run: only {plural(len(report.claims), 'claim')} selected."
    return state


# --------------------------------------------------------------------------- what blocks the gate


def find_blockers(report: Report) -> list[Blocker]:
    """What blocks the gate, one item per claim and kind of problem, in claims-file order."""
    level = fail_on(report)
    stopping = [f for f in report.findings if blocks(f, level)]
    claims = {(c.file, c.id): c for c in report.claims}
    order = {key: i for i, key in enumerate(claims)}
    contradicted = [f for f in stopping if f.code == Code.FC602]
    out: list[Blocker] = []
    groups: dict[tuple[str, str, str, int], list[Finding]] = {}
    for item in stopping:
        if item.code == Code.FC602:
            continue
        claim = claims.get((item.file, item.claim or ""))
        source = _source_of(claim, item) if claim is not None else None
        key = (item.file, item.claim or "", item.code, source.line or 0 if source else 0)
        groups.setdefault(key, []).append(item)
    files = list(dict.fromkeys(f.file for f in contradicted))
    for file in files:
        here = tuple(f for f in contradicted if f.file == file)
        n = len({f.claim for f in here})
        out.append(
            Blocker(
                None,
                file,
                f"the evidence contradicts {plural(n, 'claim')} the article makes",
                "correct the article where it says so (the claims are listed under Corrections)",
                here,
            )
        )
    ranked = sorted(
        groups.items(),
        key=lambda kv: (
            kv[0][0],
            order.get((kv[0][0], kv[0][1]), -1),
            kv[1][0].line or 0,
        ),
    )
    for (file, claim_id, _code, _line), items in ranked:
        claim = claims.get((file, claim_id))
        first = items[0]
        what, action = _words(first, claim)
        out.append(Blocker(claim, file, what, action, tuple(items)))
    return out


def _source_of(claim: ClaimReport | None, item: Finding) -> EvidenceReport | None:
    """The evidence item a finding is about: the last one starting at or before its line."""
    if claim is None or item.line is None:
        return None
    found = None
    for evidence in claim.evidence:
        if evidence.line is not None and evidence.line <= item.line:
            found = evidence
    return found


def source_name(item: EvidenceReport | None) -> str:
    if item is None:
        return "a source"
    if item.title:
        name = f"“{clean(item.title)}”"
        return f"{name} ({clean(item.publisher)})" if item.publisher else name
    if item.publisher:
        return clean(item.publisher)
    return shown_url(item.url) or clean(item.citation) or "a source"


def _words(item: Finding, claim: ClaimReport | None) -> tuple[str, str]:
    source = _source_of(claim, item)
    template = WHAT.get(item.code)
    action = ACTIONS.get(item.code, "fix it in the claims file")
    if template is None:
        return clean(item.message), action
    detail = ""
    if source is not None and source.link is not None and item.code in {Code.FC401, Code.FC402}:
        info = source.link
        status = f"HTTP {info.status_code}" if info.status_code else info.reason
        detail = f" ({clean(status)})"
    if source is not None and item.code == Code.FC504 and source.quote is not None:
        detail = f" ({clean(source.quote.reason or 'not read')})"
    return template.format(source=source_name(source), detail=detail), action


# --------------------------------------------------------------------------- what holds up


def holds_up(report: Report) -> str:
    counts = report.status_counts()
    total = counts["total"]
    if not total:
        return "The claims file has no claims yet."
    supported = counts["supported"]
    line = f"{supported} of the {plural(total, 'claim')} {'is' if supported == 1 else 'are'} "
    line += "supported by the evidence"
    if checked_links(report):
        solid = sum(1 for c in report.claims if c.status == "supported" and fully_checked(c))
        whom = "it" if supported == 1 else f"{solid} of them"
        if supported == 1 and not solid:
            line += "; not all its links work or its quoted passages were found."
        else:
            line += f"; every link works and every quoted passage was found for {whom}."
    else:
        line += " (their links and quoted passages were not checked in this run)."
    if counts["opinion"]:
        opinion = counts["opinion"]
        line += (
            f" {plural(opinion, 'claim')} {'is' if opinion == 1 else 'are'} opinion, not checked "
            "as fact (listed apart below)."
        )
    if report.coverage is not None:
        cov = report.coverage
        line += (
            f" The claims cover {cov.covered} of the article's {cov.check_worthy} check-worthy "
            f"sentences ({cov.shown_percent})."
        )
    return line


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


# --------------------------------------------------------------------------- claims by section


def by_section(report: Report) -> list[Section]:
    """The claims under the article's headings, in the order they first appear; no opinion."""
    out: list[Section] = []
    index: dict[tuple[str, str], list[ClaimReport]] = {}
    for claim in report.claims:
        if claim.status == "opinion":
            continue
        key = (claim.file, clean(claim.section) or NO_SECTION)
        if key not in index:
            index[key] = []
            out.append(Section(key[1], claim.file, ()))
        index[key].append(claim)
    return [Section(s.title, s.file, tuple(index[(s.file, s.title)])) for s in out]


def status_counts_words(claims: Iterable[ClaimReport]) -> str:
    counts: dict[str, int] = {}
    for claim in claims:
        counts[claim.status] = counts.get(claim.status, 0) + 1
    return ", ".join(
        f"{counts[status]} {STATUS_WORDS[status]}" for status in STATUS_WORDS if counts.get(status)
    )


# --------------------------------------------------------------------------- the word budget


def shown_url(url: str | None) -> str:
    """A URL as text (never a link): credentials and secret-looking parameters masked."""
    if not url:
        return ""
    url = clean(url)
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        url = f"{scheme}://***@{rest.split('@', 1)[1]}"
    return redact(url)


def words(value: str | None) -> int:
    return len(clean(value).split())


def entry_words(entry: Entry) -> int:
    """Words an entry shows: the claim's words, what the evidence shows, the sources, labels."""
    claim = entry.claim
    if claim.status == "unverified":
        return words(claim.quote) + 4
    count = words(claim.quote) + words(entry.shows) + 8
    if claim.status == "contradicted":
        count += sum(words(source_name(s)) + 2 for s in entry.sources[:3])
    return count


def blocker_words(item: Blocker) -> int:
    quote = words(item.claim.quote) if item.claim is not None else 0
    return quote + words(item.what) + words(item.action) + 4


def _fixed_words(report: Report) -> int:
    """The headings, top lines and the paragraph on what holds up, and the fold labels."""
    return words(bottom_line(report)) + words(gate_line(report)) + words(holds_up(report)) + 60


def _fit(costs: Sequence[Sequence[int]], budget: int) -> list[int]:
    """How many items of each list to show while the budget lasts, keeping room for the first
    items of the later lists."""
    reserves = [sum(c[:KEEP_PER_LIST]) for c in costs]
    counts: list[int] = []
    for number, items in enumerate(costs):
        room = budget - sum(reserves[number + 1 :])
        shown = used = 0
        while shown < len(items) and used + items[shown] <= room:
            used += items[shown]
            shown += 1
        budget -= used
        counts.append(shown)
    return counts


def _split(items: Sequence[T], shown: int) -> Listing[T]:
    return Listing(tuple(items[:shown]), tuple(items[shown:]))
