"""The online part of a run: every distinct URL fetched once, then links, quotes and the
article checked against what came back. Used by :func:`factcheck.pipeline.run`.

The fetching starts as soon as the claims files are parsed (:func:`start_online`): the links
a file cites are read off its YAML tree, before pydantic builds the models, and fetched on a
thread of its own while the models are built, the article rendered and the rules run. Once
the documents are validated, :meth:`OnlineCheck.attach` works out what they really cite (the
tree is only a head start: a link it missed, or read without the text a quote needs, is
fetched again at the end), and :meth:`OnlineCheck.finish` checks links, quotes and the
fetched article as their results come in.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from factcheck.article import ArticleSource, ArticleText, from_page, needs_article_url
from factcheck.findings import Code, Finding, finding
from factcheck.links import (
    LinkKind,
    LinkRequest,
    LinkResult,
    LinkSettings,
    Outcome,
    Reason,
    normalise_url,
)
from factcheck.links.types import make_result
from factcheck.links.urls import fragment_to_check
from factcheck.load import yamltree
from factcheck.load.discover import ParsedFile, selected_claim_ids
from factcheck.load.vocab import Access
from factcheck.load.yamltree import Mapping, Node, Scalar, Sequence
from factcheck.urls import redact

if TYPE_CHECKING:
    from pathlib import Path

    from factcheck.load.model import Claim, Evidence
    from factcheck.pipeline import FileState, RunOptions
    from factcheck.report import LinkEntry, LinkInfo, QuoteInfo

OFFLINE_DETAIL = "links and quotes not checked (offline)"
#: FC305: under this share of claim quotes found, the page is not taken for the article.
ARTICLE_MATCH_SHARE = 0.5


@dataclass
class _Cited:
    """What a distinct URL is, and which claims cite it (for the report's ``links``)."""

    kind: LinkKind
    claims: list[tuple[str, str]]


def _requests(
    states: list[FileState], article_option: Path | None
) -> tuple[list[LinkRequest], dict[str, _Cited]]:
    """One request per citation (the link checker merges those of one URL), and the claims
    behind every distinct URL. Archive copies are requested as written: the link checker adds
    the Wayback ``id_`` flag on the wire."""
    requests: list[LinkRequest] = []
    cited: dict[str, _Cited] = {}

    def want(url: str, kind: LinkKind, need_text: bool, cited_by: tuple[str, str] | None) -> None:
        requests.append(LinkRequest(url, kind, need_text=need_text))
        entry = cited.setdefault(normalise_url(url), _Cited(kind, []))
        if cited_by is not None and cited_by not in entry.claims:
            entry.claims.append(cited_by)

    for state in states:
        document = state.document
        if document is None:
            continue
        if needs_article_url(document, article_option):
            want(document.article.url, LinkKind.ARTICLE, True, None)
        for claim in document.claims:
            cited_by = (state.loaded.path, claim.id)
            for item in claim.evidence:
                want(item.url, LinkKind.EVIDENCE, bool(item.quote), cited_by)
                if item.archive_url:
                    want(item.archive_url, LinkKind.ARCHIVE, bool(item.quote), cited_by)
    return requests, cited


def early_requests(parsed: list[ParsedFile], options: RunOptions) -> list[LinkRequest]:
    """The requests :func:`_requests` will make, read off the files' YAML trees.

    Only what is plainly there counts: text values at the places the schema gives them, in
    files with ``version: 1``. Claims that will not validate are included (their links are
    fetched for nothing); anything missed is fetched after validation.
    """
    requests: list[LinkRequest] = []
    for file in parsed:
        tree = file.tree
        if not isinstance(tree, Mapping) or _text(_get(tree, "version")) != "1":
            continue
        article = _get(tree, "article")
        if (
            options.article is None
            and isinstance(article, Mapping)
            and _text(_get(article, "text")) is None
            and (url := _text(_get(article, "url")))
        ):
            requests.append(LinkRequest(url, LinkKind.ARTICLE, need_text=True))
        wanted = selected_claim_ids(options.claim_filter, file.path)
        claims = _get(tree, "claims")
        for claim in claims.items if isinstance(claims, Sequence) else ():
            if not isinstance(claim, Mapping):
                continue
            if wanted is not None and _text(_get(claim, "id")) not in wanted:
                continue
            evidence = _get(claim, "evidence")
            for item in evidence.items if isinstance(evidence, Sequence) else ():
                if not isinstance(item, Mapping):
                    continue
                quote = _text(_get(item, "quote"))
                need_text = bool(quote and quote.strip())
                if url := _text(_get(item, "url")):
                    requests.append(LinkRequest(url, LinkKind.EVIDENCE, need_text=need_text))
                if archive := _text(_get(item, "archive_url")):
                    requests.append(LinkRequest(archive, LinkKind.ARCHIVE, need_text=need_text))
    return requests


def _get(mapping: Mapping, key: str) -> Node | None:
    """The value of ``key`` (the first, as the loader reads duplicate keys)."""
    for key_node, value in mapping.items:
        if type(key_node) is Scalar and key_node.value == key:
            return value
    return None


def _text(node: Node | None) -> str | None:
    """A scalar's text; None for anything else and for YAML's plain nulls."""
    if type(node) is not Scalar:
        return None
    if node.plain and node.value in yamltree.NULLS:
        return None
    return node.value


@dataclass
class _Need:
    """What the requests for one URL ask of its fetch."""

    text: bool = False
    fragments: set[str] = field(default_factory=set)
    kinds: set[LinkKind] = field(default_factory=set)

    def covers(self, other: _Need) -> bool:
        return (
            (self.text or not other.text)
            and other.fragments <= self.fragments
            and other.kinds <= self.kinds
        )


def _needs(requests: list[LinkRequest]) -> dict[str, _Need]:
    """Per normalised URL: whether the text is needed, the fragments and the kinds asked for."""
    needs: dict[str, _Need] = {}
    for request in requests:
        need = needs.setdefault(normalise_url(request.url), _Need())
        need.text = need.text or request.need_text
        need.kinds.add(request.kind)
        if (fragment := fragment_to_check(request.url, request.fragment)) is not None:
            need.fragments.add(fragment)
    return needs


def start_online(parsed: list[ParsedFile], options: RunOptions) -> OnlineCheck:
    """Start checking the links the parsed files cite; returns once the first requests are
    out (or at once, offline or with nothing to fetch)."""
    check = OnlineCheck(early_requests(parsed, options), options)
    check.start()
    return check


@dataclass
class _Citation:
    """One evidence item, checked as soon as its link (and archive link) have their results."""

    state: FileState
    claim: Claim
    index: int
    item: Evidence
    keys: frozenset[str]
    waiting: int = 0
    findings: list[Finding] = field(default_factory=list)
    info: tuple[LinkInfo | None, LinkInfo | None, QuoteInfo | None] | None = None


class OnlineCheck:
    """The link checks of one run, fetched on a background thread.

    :meth:`start` returns when every worker has sent its first request (or when nothing had
    to be fetched): the offline rules then run while the servers answer. :meth:`finish`
    checks each evidence item (its link findings and its quote) as soon as its results are
    in, so that little is left to do when the last server answers; findings still come out in
    the order of the claims files. Errors of the link checker (no network at all) are raised
    by :meth:`finish`.
    """

    def __init__(self, early: list[LinkRequest], options: RunOptions) -> None:
        self.settings = options.link_settings or LinkSettings()
        self.progress = options.progress
        self.options = options
        self.early = early
        #: What the validated documents cite (set by :meth:`attach`).
        self.requests: list[LinkRequest] = []
        self.cited: dict[str, _Cited] = {}
        #: Requests the head start did not cover (or covered without what they need).
        self.missing: list[LinkRequest] = []
        self._early_keys = {normalise_url(request.url) for request in early}
        self._results: dict[str, LinkResult] | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        #: Results as they come in, then None once the checker is done.
        self._arrivals: queue.SimpleQueue[LinkResult | None] = queue.SimpleQueue()

    def start(self) -> None:
        if self.settings.offline:
            return  # decided in attach(): an offline run never imports the network stack
        if self.options.on_links is not None:
            self.options.on_links(len(self._early_keys))
        self._thread = threading.Thread(target=self._fetch, name="factcheck-links", daemon=True)
        self._thread.start()
        self._started.wait()

    def _fetch(self) -> None:
        try:
            from factcheck.links import check_links

            self._results = check_links(
                self.early, self.settings, progress=self._arrived, started=self._started.set
            )
        except BaseException as exc:  # handed to finish(), in the caller's thread
            self._error = exc
        finally:
            self._started.set()
            self._arrivals.put(None)

    def _arrived(self, result: LinkResult) -> None:
        self._arrivals.put(result)
        if self.progress is not None:
            self.progress(result)

    def attach(self, states: list[FileState]) -> None:
        """What the validated documents cite; what the head start missed is noted."""
        self.requests, self.cited = _requests(states, self.options.article)
        if self.settings.offline:
            self._results = {
                key: make_result(key, Reason.OFFLINE, OFFLINE_DETAIL) for key in self.cited
            }
            if self.options.on_links is not None:
                self.options.on_links(len(self.cited))
            return
        early = _needs(self.early)
        missing = {
            key
            for key, need in _needs(self.requests).items()
            if key not in early or not early[key].covers(need)
        }
        self.missing = [r for r in self.requests if normalise_url(r.url) in missing]
        if missing and self.options.on_links is not None:
            self.options.on_links(len(self._early_keys) + len(missing))

    def results(self) -> dict[str, LinkResult]:
        """Every link's result, keyed by normalised URL (waits for the fetching to end)."""
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        results = dict(self._results or {})
        if self.missing:
            from factcheck.links import check_links

            results.update(check_links(self.missing, self.settings, progress=self.progress))
            self.missing = []
        self._results = results
        return results

    def finish(self, states: list[FileState]) -> list[LinkEntry]:
        """Findings for links, quotes and the fetched article; the report's link entries."""
        offline = self.settings.offline
        citations = [
            _Citation(state, claim, index, item, _keys(item))
            for state in states
            if state.document is not None
            for claim in state.document.claims
            for index, item in enumerate(claim.evidence)
        ]
        #: Report entries made as results came in, with the result each was made from.
        entries: dict[str, tuple[LinkResult, LinkEntry]] = {}
        if self._thread is not None:  # check each item as soon as its results are in
            late = {normalise_url(request.url) for request in self.missing}
            by_key: dict[str, list[_Citation]] = {}
            for citation in citations:
                if citation.keys & late:
                    continue  # checked at the end, with what the second round fetched
                citation.waiting = len(citation.keys)
                for key in citation.keys:
                    by_key.setdefault(key, []).append(citation)
            arrived: dict[str, LinkResult] = {}
            while (result := self._arrivals.get()) is not None:
                arrived[result.url] = result
                if (cited := self.cited.get(result.url)) is not None:
                    entries[result.url] = (result, _entry(result.url, cited, result))
                for citation in by_key.pop(result.url, ()):
                    citation.waiting -= 1
                    if citation.waiting == 0:
                        _check_citation(citation, arrived, offline)
        results = self.results()
        for state in states:
            if state.document is not None and state.article is None:
                _anchor_fetched(state, results, offline)
        for citation in citations:
            if citation.info is None:
                _check_citation(citation, results, offline)
            assert citation.info is not None
            citation.state.findings.extend(citation.findings)
            citation.state.evidence_results[(citation.claim.id, citation.index)] = citation.info
        return [
            made[1]
            if (made := entries.get(key)) and made[0] is results[key]
            else _entry(key, c, results[key])
            for key, c in self.cited.items()
            if key in results
        ]


def _keys(item: Evidence) -> frozenset[str]:
    urls = (item.url, item.archive_url) if item.archive_url else (item.url,)
    return frozenset(normalise_url(url) for url in urls)


def _info(result: LinkResult | None) -> LinkInfo | None:
    from factcheck.report import LinkInfo

    if result is None:
        return None
    return LinkInfo(
        outcome=result.outcome.value,
        reason=result.reason.value,
        status_code=result.status_code,
        final_url=result.final_url,
        detail=result.detail,
    )


def _entry(key: str, cited: _Cited, result: LinkResult) -> LinkEntry:
    from factcheck.report import LinkEntry

    return LinkEntry(
        url=key,
        kind=cited.kind.value,
        outcome=result.outcome.value,
        reason=result.reason.value,
        status_code=result.status_code,
        final_url=result.final_url,
        claims=tuple(cited.claims),
        from_cache=result.from_cache,
        detail=result.detail,
    )


def _check_citation(citation: _Citation, results: dict[str, LinkResult], offline: bool) -> None:
    """Link and quote findings of one evidence item, kept on the citation."""
    from factcheck.report import QuoteInfo

    claim, index, item = citation.claim, citation.index, citation.item
    live = results.get(normalise_url(item.url))
    archive = results.get(normalise_url(item.archive_url)) if item.archive_url else None
    citation.findings.extend(_link_findings(claim, index, item, live, archive))
    quote_info: QuoteInfo | None = None
    if item.quote:
        from factcheck.quotes import check_quote, quote_findings

        match = check_quote(
            item.quote,
            live,
            archive,
            offline=offline,
            paywalled=item.access is Access.PAYWALLED,
        )
        quote_info = QuoteInfo(
            result=match.result.value,
            reason=match.reason,
            score=match.score,
            copy=match.copy.value if match.copy else None,
            passage=match.passage,
            truncated=match.truncated,
        )
        citation.findings.extend(
            quote_findings(
                match,
                status=claim.status.value,
                stance=item.effective_stance.value,
                location=item.at("quote"),
                claim=claim.id,
                url=redact(item.url),
                evidence=index,
            )
        )
    citation.info = (_info(live), _info(archive), quote_info)


def _link_findings(
    claim: Claim,
    index: int,
    item: Evidence,
    live: LinkResult | None,
    archive: LinkResult | None,
) -> list[Finding]:
    if live is None or (
        live.outcome is Outcome.OK and (archive is None or archive.outcome is not Outcome.BROKEN)
    ):
        return []  # the common case, decided before any text is made
    where = item.at("url")
    shown = redact(item.url)
    archive_ok = archive is not None and archive.outcome is Outcome.OK
    found: list[Finding] = []
    if live.outcome is Outcome.BROKEN:
        if archive_ok:
            found.append(
                finding(
                    Code.FC402,
                    f"link broken ({live.reason.value}: {live.detail}) but the archive copy works: "
                    f"{shown}",
                    where,
                    claim=claim.id,
                    evidence=index,
                )
            )
        else:
            found.append(
                finding(
                    Code.FC401,
                    f"link broken ({live.reason.value}: {live.detail}): {shown}"
                    + ("" if item.archive_url else "; add an archive_url"),
                    where,
                    claim=claim.id,
                    evidence=index,
                )
            )
    elif live.outcome is Outcome.WARNING:
        found.append(
            finding(
                Code.FC402,
                f"link not confirmed ({live.reason.value}: {live.detail}): {shown}",
                where,
                claim=claim.id,
                evidence=index,
            )
        )
    if archive is not None and archive.outcome is Outcome.BROKEN and live.outcome is Outcome.OK:
        found.append(
            finding(
                Code.FC402,
                f"the archive copy is broken ({archive.reason.value}: {archive.detail})",
                item.at("archive_url"),
                claim=claim.id,
                evidence=index,
            )
        )
    return found


def _anchor_fetched(state: FileState, results: dict[str, LinkResult], offline: bool) -> None:
    """Anchor claim quotes in the fetched article page (FC305 when it is not the article)."""
    document = state.document
    assert document is not None
    if any(f.code == Code.FC306 for f in state.findings):
        return
    result = results.get(normalise_url(document.article.url))
    where = document.article.at("url")
    if result is None or result.page is None or result.outcome is not Outcome.OK:
        why = (
            "offline"
            if offline
            else (f"{result.reason.value}: {result.detail}" if result else "not fetched")
        )
        state.findings.append(
            finding(
                Code.FC304,
                f"no article text: the article page could not be read ({why}); "
                "claim quotes not anchored (pass --article PATH for a local copy)",
                where,
            )
        )
        return
    from factcheck.rules.anchoring import check_anchors

    article: ArticleText = from_page(result.page, ArticleSource.URL, document.article.url)
    anchored = list(check_anchors(document, article))
    missing = sum(1 for f in anchored if f.code == Code.FC301)
    total = len(document.claims)
    if total and (total - missing) / total < ARTICLE_MATCH_SHARE:
        state.findings.append(
            finding(
                Code.FC305,
                f"the page at article.url does not look like the article: only {total - missing} "
                f"of {total} claim quotes are on it (was it moved, paywalled or rewritten?)",
                where,
            )
        )
    else:
        state.findings.extend(anchored)
        state.article = article
