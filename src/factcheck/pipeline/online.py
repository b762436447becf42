"""The online half of a run: every distinct URL fetched once, and each evidence item's quote
matched on what came back. Used by :func:`factcheck.pipeline.run`; it returns results
(:class:`OnlineResults`) and writes into nothing: ``rules/`` turns them into findings.

The fetching starts as soon as the claims files are parsed (:func:`start_online`): the links
a file cites are read off its YAML tree, before pydantic builds the models, and fetched on a
thread of its own while the models are built, the article rendered and the rules run. Once
the documents are validated, :meth:`OnlineCheck.attach` works out what they really cite (the
tree is only a head start: a link it missed, or read without the text a quote needs, is
fetched again at the end), and :meth:`OnlineCheck.finish` matches quotes as their pages
come in.
"""

from __future__ import annotations

import queue
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.article import needs_article_url
from factcheck.links import (
    LinkKind,
    LinkRequest,
    LinkResult,
    LinkSettings,
    Reason,
    normalise_url,
)
from factcheck.links.types import make_result
from factcheck.links.urls import fragment_to_check
from factcheck.load import yamltree
from factcheck.load.discover import ParsedFile, selected_claim_ids
from factcheck.load.vocab import Access
from factcheck.load.yamltree import Mapping, Node, Scalar, Sequence
from factcheck.urls import ignore_file_beside, read_ignore_file

if TYPE_CHECKING:
    from collections.abc import Callable
    from collections.abc import Sequence as Seq
    from typing import Any

    from factcheck.links.credentials import Credentials
    from factcheck.links.transport import TransportFactory
    from factcheck.load.model import Claim, Document, Evidence
    from factcheck.pipeline.shard import Shard
    from factcheck.quotes import QuoteMatch
    from factcheck.report import LinkEntry

OFFLINE_DETAIL = "links and quotes not checked (offline)"

#: A claims file as the online half sees it: its path as shown, and its document.
Cited = tuple[str, "Document"]


@dataclass(frozen=True)
class Checked:
    """The online results of one evidence item: its link, its archive link, its quote."""

    live: LinkResult | None
    archive: LinkResult | None
    quote: QuoteMatch | None
    #: ``--shard``: the live and archive URLs belong to different shards; this shard holds one
    #: part (its link, and the quote on its copy) and the merge decides the findings.
    deferred: bool = False


@dataclass(frozen=True)
class OnlineResults:
    """What the online half found: every evidence item's results, every link's result (by
    normalised URL) and the report's link entries."""

    #: (file, claim id, evidence index) -> that item's results.
    evidence: dict[tuple[str, str, int], Checked]
    results: dict[str, LinkResult]
    links: list[LinkEntry]
    offline: bool

    def result_for(self, url: str) -> LinkResult | None:
        return self.results.get(normalise_url(url))


@dataclass
class _Cited:
    """What a distinct URL is, and which claims cite it (for the report's ``links``)."""

    kind: LinkKind
    claims: list[tuple[str, str]]


def _requests(
    files: Seq[Cited], article_option: Path | None
) -> tuple[list[LinkRequest], dict[str, _Cited]]:
    """One request per citation (the link checker merges those of one URL), and the claims
    behind every distinct URL. Archive copies are requested as written: the link checker adds
    the Wayback ``id_`` flag on the wire."""
    requests: list[LinkRequest] = []
    cited: dict[str, _Cited] = {}
    ignores = _IgnoreFiles()

    def want(
        url: str,
        kind: LinkKind,
        need_text: bool,
        cited_by: tuple[str, str] | None,
        ignored_by: str | None = None,
    ) -> None:
        requests.append(LinkRequest(url, kind, need_text=need_text, ignored_by=ignored_by))
        entry = cited.setdefault(normalise_url(url), _Cited(kind, []))
        if cited_by is not None and cited_by not in entry.claims:
            entry.claims.append(cited_by)

    for file, document in files:
        if needs_article_url(document, article_option):
            want(document.article.url, LinkKind.ARTICLE, True, None)
        for claim in document.claims:
            cited_by = (file, claim.id)
            for item in claim.evidence:
                if item.url is None:
                    continue  # a citation: never fetched
                quote = bool(item.quote)
                want(item.url, LinkKind.EVIDENCE, quote, cited_by, ignores.match(file, item.url))
                if item.archive_url:
                    ignored = ignores.match(file, item.archive_url)
                    want(item.archive_url, LinkKind.ARCHIVE, quote, cited_by, ignored)
    return requests, cited


class _IgnoreFiles:
    """The ``.factcheckignore`` beside each claims file, read once per directory."""

    def __init__(self) -> None:
        self._by_directory: dict[Path, tuple[re.Pattern[str], ...]] = {}

    def match(self, claims_file: str | Path, url: str) -> str | None:
        """The pattern of the ignore file beside ``claims_file`` that matches ``url``."""
        directory = Path(claims_file).parent
        patterns = self._by_directory.get(directory)
        if patterns is None:
            found = ignore_file_beside(Path(claims_file))
            patterns = self._by_directory[directory] = (
                read_ignore_file(found) if found is not None else ()
            )
        if not patterns:
            return None
        key = normalise_url(url)
        return next((p.pattern for p in patterns if p.search(key)), None)


def early_requests(
    parsed: list[ParsedFile], *, article: Path | None = None, claim_filter: tuple[str, ...] = ()
) -> list[LinkRequest]:
    """The requests :func:`_requests` will make, read off the files' YAML trees.

    Only what is plainly there counts: text values at the places the schema gives them, in
    files with ``version: 1``. Claims that will not validate are included (their links are
    fetched for nothing); anything missed is fetched after validation.
    """
    requests: list[LinkRequest] = []
    ignores = _IgnoreFiles()
    for file in parsed:
        tree = file.tree
        if not isinstance(tree, Mapping) or _text(_get(tree, "version")) != "1":
            continue
        head = _get(tree, "article")
        if (
            article is None
            and isinstance(head, Mapping)
            and _text(_get(head, "text")) is None
            and (url := _text(_get(head, "url")))
        ):
            requests.append(LinkRequest(url, LinkKind.ARTICLE, need_text=True))
        wanted = selected_claim_ids(claim_filter, file.path)
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
                    ignored = ignores.match(file.path, url)
                    requests.append(
                        LinkRequest(url, LinkKind.EVIDENCE, need_text=need_text, ignored_by=ignored)
                    )
                if archive := _text(_get(item, "archive_url")):
                    ignored = ignores.match(file.path, archive)
                    requests.append(
                        LinkRequest(
                            archive, LinkKind.ARCHIVE, need_text=need_text, ignored_by=ignored
                        )
                    )
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


def start_online(
    parsed: list[ParsedFile],
    settings: LinkSettings,
    *,
    article: Path | None = None,
    claim_filter: tuple[str, ...] = (),
    progress: Callable[[Any], None] | None = None,
    on_links: Callable[[int], None] | None = None,
    shard: Shard | None = None,
    transport: TransportFactory | None = None,
) -> OnlineCheck:
    """Start checking the links the parsed files cite; returns once the first requests are
    out (or at once, offline or with nothing to fetch)."""
    early = early_requests(parsed, article=article, claim_filter=claim_filter)
    if shard is not None:
        early = [request for request in early if shard.owns(request.url)]
    check = OnlineCheck(
        early,
        settings,
        article=article,
        progress=progress,
        on_links=on_links,
        shard=shard,
        transport=transport,
    )
    check.start()
    return check


@dataclass
class _Citation:
    """One evidence item, checked as soon as its link (and archive link) have their results."""

    file: str
    claim: Claim
    index: int
    item: Evidence
    keys: frozenset[str]
    waiting: int = 0
    checked: Checked | None = None


class OnlineCheck:
    """The link checks of one run, fetched on a background thread.

    :meth:`start` returns when every worker has sent its first request (or when nothing had
    to be fetched): the offline rules then run while the servers answer. :meth:`finish`
    matches each evidence item's quote as soon as its results are in, so that little is left
    to do when the last server answers. Errors of the link checker (no network at all) are
    raised by :meth:`finish`.
    """

    def __init__(
        self,
        early: list[LinkRequest],
        settings: LinkSettings | None = None,
        *,
        article: Path | None = None,
        progress: Callable[[Any], None] | None = None,
        on_links: Callable[[int], None] | None = None,
        shard: Shard | None = None,
        transport: TransportFactory | None = None,
    ) -> None:
        self.settings = settings or LinkSettings()
        self.shard = shard
        #: The fetch hook (``verify --replay``: the capture); None is the network.
        self.transport = transport
        self.progress = progress
        self.on_links = on_links
        self.article = article
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
        if self.on_links is not None:
            self.on_links(len(self._early_keys))
        if not self.early:
            self._results = {}  # nothing to fetch (a shard without URLs): no network probe
            return
        self._thread = threading.Thread(target=self._fetch, name="factcheck-links", daemon=True)
        self._thread.start()
        self._started.wait()

    def _fetch(self) -> None:
        try:
            from factcheck.links import check_links

            self._results = check_links(
                self.early,
                self.settings,
                progress=self._arrived,
                started=self._started.set,
                transport=self.transport,
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

    def attach(self, files: Seq[Cited]) -> None:
        """What the validated documents cite; what the head start missed is noted."""
        self.requests, self.cited = _requests(files, self.article)
        if self.shard is not None:
            owns = self.shard.owns
            self.requests = [r for r in self.requests if owns(r.url)]
            self.cited = {key: c for key, c in self.cited.items() if owns(key)}
        if self.settings.offline:
            self._results = {
                key: make_result(key, Reason.OFFLINE, OFFLINE_DETAIL) for key in self.cited
            }
            if self.on_links is not None:
                self.on_links(len(self.cited))
            return
        early = _needs(self.early)
        missing = {
            key
            for key, need in _needs(self.requests).items()
            if key not in early or not early[key].covers(need)
        }
        self.missing = [r for r in self.requests if normalise_url(r.url) in missing]
        if missing and self.on_links is not None:
            self.on_links(len(self._early_keys) + len(missing))

    def results(self) -> dict[str, LinkResult]:
        """Every link's result, keyed by normalised URL (waits for the fetching to end)."""
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        results = dict(self._results or {})
        if self.missing:
            from factcheck.links import check_links

            results.update(
                check_links(
                    self.missing, self.settings, progress=self.progress, transport=self.transport
                )
            )
            self.missing = []
        self._results = results
        return results

    def finish(self, files: Seq[Cited]) -> OnlineResults:
        """Every evidence item's link results and quote match; the report's link entries."""
        offline = self.settings.offline
        credentials = self.settings.credentials
        citations = [
            _Citation(file, claim, index, item, _keys(item))
            for file, document in files
            for claim in document.claims
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
                if self.shard is not None:
                    citation.keys = frozenset(k for k in citation.keys if self.shard.owns(k))
                    if not citation.keys:
                        continue  # another shard's
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
                        citation.checked = _check(
                            citation.item, arrived, offline, self.shard, credentials
                        )
        results = self.results()
        evidence = {
            (c.file, c.claim.id, c.index): c.checked
            or _check(c.item, results, offline, self.shard, credentials)
            for c in citations
        }
        links = [
            made[1]
            if (made := entries.get(key)) and made[0] is results[key]
            else _entry(key, c, results[key])
            for key, c in self.cited.items()
            if key in results
        ]
        return OnlineResults(evidence, results, links, offline)


def _keys(item: Evidence) -> frozenset[str]:
    if item.url is None:
        return frozenset()
    urls = (item.url, item.archive_url) if item.archive_url else (item.url,)
    return frozenset(normalise_url(url) for url in urls)


def _entry(key: str, cited: _Cited, result: LinkResult) -> LinkEntry:
    from factcheck.report import LinkEntry

    return LinkEntry(
        url=key,
        kind=cited.kind,
        outcome=result.outcome,
        reason=result.reason,
        status_code=result.status_code,
        final_url=result.final_url,
        claims=tuple(cited.claims),
        from_cache=result.from_cache,
        detail=result.detail,
    )


def _check(
    item: Evidence,
    results: dict[str, LinkResult],
    offline: bool,
    shard: Shard | None = None,
    credentials: Credentials | None = None,
) -> Checked:
    """The link results of one evidence item, and its quote matched on the page. Paywalled
    evidence is checked on its archive copy, or live when credentials for its host are given."""
    if item.url is None:  # a citation: never fetched, its quote not checked
        from factcheck.quotes import QuoteSkip, skipped

        detail = "not checked (offline source)"
        return Checked(
            None, None, skipped(QuoteSkip.OFFLINE_SOURCE, detail) if item.quote else None
        )
    if shard is not None:
        live_here = shard.owns(item.url)
        archive_here = item.archive_url is not None and shard.owns(item.archive_url)
        if not live_here and not archive_here:
            return Checked(None, None, None)  # another shard's evidence
        if item.archive_url is not None and live_here != archive_here:
            return _check_part(item, results, live_here)
    live = results.get(normalise_url(item.url))
    archive = results.get(normalise_url(item.archive_url)) if item.archive_url else None
    match: QuoteMatch | None = None
    if item.quote:
        from factcheck.quotes import check_quote

        match = check_quote(
            item.quote,
            live,
            archive,
            offline=offline,
            paywalled=item.access is Access.PAYWALLED
            and not (credentials is not None and credentials.applies_to(item.url)),
        )
    return Checked(live, archive, match)


def _check_part(item: Evidence, results: dict[str, LinkResult], live_here: bool) -> Checked:
    """This shard's part of an evidence item whose live and archive URLs are in different
    shards: one link, and the quote on that copy alone (the merge combines the two)."""
    from factcheck.quotes import Copy, check_copy

    url = item.url if live_here else item.archive_url
    assert url is not None
    result = results.get(normalise_url(url))
    match: QuoteMatch | None = None
    paywalled = item.access is Access.PAYWALLED
    if item.quote and not (live_here and paywalled):  # paywalled: only the archive counts
        match = check_copy(item.quote, result, Copy.LIVE if live_here else Copy.ARCHIVE)
    if live_here:
        return Checked(result, None, match, deferred=True)
    return Checked(None, result, match, deferred=True)
