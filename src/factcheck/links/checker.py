"""``check_links``: every distinct URL checked once, from the cache when it is fresh, else
fetched under per-host and global concurrency limits, by tasks on one asyncio event loop
(run in the calling thread)."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections import deque
from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from factcheck.links.cache import LinkCache
from factcheck.links.fetch import Fetcher, Job
from factcheck.links.resolver import Resolver, RunResolver, SystemResolver
from factcheck.links.transport import (
    FetchFailure,
    HttpTransport,
    Network,
    Transport,
    TransportFactory,
)
from factcheck.links.types import (
    LinkRequest,
    LinkResult,
    LinkSettings,
    NoNetworkError,
    Outcome,
    Reason,
    make_result,
)
from factcheck.links.urls import (
    fragment_present,
    fragment_to_check,
    normalise_url,
    shape_problem,
)

log = logging.getLogger("factcheck.links")

#: Hosts tried by the "is there a network at all" probe before giving up.
PROBE_HOSTS = 8
#: Seconds the first probed host has to itself before the others are tried alongside.
PROBE_HEAD_START = 0.05


def check_links(
    requests: Sequence[LinkRequest],
    settings: LinkSettings,
    *,
    resolver: Resolver | None = None,
    clock: Callable[[], float] = time.time,
    progress: Callable[[LinkResult], None] | None = None,
    started: Callable[[], None] | None = None,
    transport: TransportFactory | None = None,
) -> dict[str, LinkResult]:
    """Check every distinct URL of ``requests`` once; the answer is keyed by
    :func:`normalise_url` of each request's URL, in the order of first appearance.

    ``started`` is called once every worker has taken its first URL: from then on the run
    mostly waits for servers, and a caller can use the CPU for other work (``check_links``
    then runs in a thread of its own). It is not called when nothing needs fetching.
    ``progress`` is called with each result as it is decided, in the calling thread.
    ``transport`` makes the run's :class:`~factcheck.links.transport.Transport` (the fetch
    hook) from the settings and the run's guarded network; by default the network itself.

    Requests for one URL are merged (the text is read if any of them needs it; every fragment
    asked for is checked). Never raises for a single link. Raises :class:`NoNetworkError` when,
    not offline, none of the hosts of a short probe round could be reached (hosts refused by
    the guard, excluded and reserved ``.invalid`` names do not count). Offline, every result is
    ``skipped/offline`` and no socket is opened.
    """
    jobs = merge_requests(requests)
    results: dict[str, LinkResult] = {}

    def finish(result: LinkResult) -> None:
        results[result.url] = result
        if progress is not None:
            progress(result)

    if settings.offline:
        for job in jobs:
            finish(make_result(job.key, Reason.OFFLINE, "links and quotes not checked (offline)"))
        return _in_order(results, jobs)

    pending: list[Job] = []
    for job in jobs:
        local = _local_result(job, settings)
        if local is not None:
            finish(local)
        else:
            pending.append(job)
    if not pending:
        return _in_order(results, jobs)

    cache = (
        LinkCache(
            settings.cache_dir,
            settings.fingerprint(),
            max_age=settings.max_cache_age,
            clock=clock,
            credentials=settings.credentials,
        )
        if settings.use_cache
        else None
    )
    try:
        to_fetch: list[Job] = []
        cached = cache.get_many(job.key for job in pending) if cache is not None else {}
        for job in pending:
            hit = cached.get(job.key)
            if hit is not None and (
                hit[1] or not job.need_page or hit[0].outcome is not Outcome.OK
            ):
                finish(apply_fragments(hit[0], job.fragments))
            else:
                to_fetch.append(job)
        if to_fetch:
            fragments = {job.key: job.fragments for job in to_fetch}

            remapped = {job.key: job.remap for job in to_fetch if job.remap}

            def fetched(result: LinkResult) -> None:
                if result.url in remapped:
                    detail = f"{result.detail} (fetched at {remapped[result.url]}, --remap)"
                    result = replace(result, detail=detail.lstrip())
                if cache is not None:
                    cache.put(result)
                finish(apply_fragments(result, fragments[result.url]))

            run = _fetch_all(
                to_fetch,
                settings,
                resolver or SystemResolver(),
                clock,
                started,
                fetched,
                transport or HttpTransport,
                cache,
            )
            _run(run)
    finally:
        if cache is not None:
            cache.close()
    return _in_order(results, jobs)


def merge_requests(requests: Sequence[LinkRequest]) -> list[Job]:
    """One job per normalised URL, in the order of first appearance."""
    jobs: dict[str, Job] = {}
    for request in requests:
        key = normalise_url(request.url)
        job = jobs.get(key)
        if job is None:
            job = jobs[key] = Job(key, problem=shape_problem(request.url))
        job.kinds.add(request.kind)
        job.need_text = job.need_text or request.need_text
        if request.ignored_by is None:
            job.wanted = True
        elif job.ignored_by is None:
            job.ignored_by = request.ignored_by
        fragment = fragment_to_check(request.url, request.fragment)
        if fragment is not None:
            job.fragments.add(fragment)
    return list(jobs.values())


def apply_fragments(result: LinkResult, fragments: set[str] | frozenset[str]) -> LinkResult:
    """``missing-fragment`` for fragments a completely read HTML page does not have."""
    page = result.page
    if (
        not fragments
        or result.outcome is not Outcome.OK
        or page is None
        or result.truncated
        or not page.complete
        or page.kind != "html"
    ):
        return result
    missing = tuple(sorted(f for f in fragments if not fragment_present(f, page.fragment_ids)))
    if not missing:
        return result
    names = ", ".join(f"#{f}" for f in missing)
    return replace(
        result,
        outcome=Outcome.WARNING,
        reason=Reason.MISSING_FRAGMENT,
        detail=f"the page has no {names}",
        missing_fragments=missing,
    )


def _in_order(results: dict[str, LinkResult], jobs: list[Job]) -> dict[str, LinkResult]:
    return {job.key: results[job.key] for job in jobs}


def _local_result(job: Job, settings: LinkSettings) -> LinkResult | None:
    """Decided without the network: URL shape, ``--exclude`` and ``.factcheckignore`` (unless
    an ``--include`` matches), and the shape of the URL a ``--remap`` rule makes of it."""
    problem = job.problem or shape_problem(job.key)
    if problem is not None:
        return make_result(job.key, problem[0], problem[1])
    pattern = settings.excluded(job.key)
    if pattern is not None:
        return make_result(job.key, Reason.EXCLUDED, f"excluded by --exclude {pattern!r}")
    if job.ignored_by is not None and not job.wanted and not settings.included(job.key):
        detail = f"excluded by .factcheckignore {job.ignored_by!r}"
        return make_result(job.key, Reason.EXCLUDED, detail)
    target = settings.remapped(job.key)
    if target != job.key:
        problem = shape_problem(target)
        if problem is not None:
            detail = f"--remap makes {target!r} of it: {problem[1]}"
            return make_result(job.key, problem[0], detail)
        job.remap = target
    return None


# -- fetching ------------------------------------------------------------------------------------


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run on a loop of its own; called from async code, the loop runs in a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="factcheck-links") as pool:
        pool.submit(asyncio.run, coroutine).result()


async def _fetch_all(
    jobs: list[Job],
    settings: LinkSettings,
    resolver: Resolver,
    clock: Callable[[], float],
    started: Callable[[], None] | None,
    fetched: Callable[[LinkResult], None],
    make_transport: TransportFactory,
    cache: LinkCache | None = None,
) -> None:
    """Fetch ``jobs``; ``fetched`` gets each result as it is decided. ``cache`` keeps the
    robots.txt files read under ``--respect-robots``."""
    run_resolver = RunResolver(resolver)
    network = Network(settings, run_resolver)
    transport = make_transport(settings, network)
    if settings.credentials:  # the fetch hook: each hop gets its own host's credentials
        from factcheck.links.credentials import CredentialTransport

        transport = CredentialTransport(transport, settings.credentials)
    try:
        await _probe(jobs, transport, settings)
        scheduler = HostScheduler(jobs, settings)
        with _WorkDir() as workdir:
            fetcher = Fetcher(settings, network, transport, workdir.path, wall_clock=clock)
            if settings.respect_robots:
                from factcheck.links.robots import Robots

                fetcher.robots = Robots(fetcher, cache)

            async def work() -> None:
                while (job := await scheduler.take()) is not None:
                    try:
                        result = await fetcher.check(job)
                    except Exception as exc:  # a bug must not cost the other links
                        log.error("internal error while checking %s", job.key, exc_info=True)
                        detail = f"internal error: {type(exc).__name__}: {exc}"
                        result = make_result(job.key, Reason.CONNECTION, detail)
                    finally:
                        scheduler.done(job)
                    fetched(result)

            workers = min(settings.concurrency, scheduler.max_parallel)
            scheduler.on_ramp(workers, started)
            tasks = [asyncio.ensure_future(work()) for _ in range(workers)]
            try:
                await asyncio.gather(*tasks)
            finally:
                scheduler.stop()
                for task in tasks:
                    task.cancel()
    finally:
        transport.close()
        run_resolver.close()


class _WorkDir:
    """The run's directory for PDFs on their way to the extractor, made on first use and
    removed with everything in it at the end of the run."""

    def __init__(self) -> None:
        self._made: tempfile.TemporaryDirectory[str] | None = None

    def path(self) -> Path:
        if self._made is None:
            self._made = tempfile.TemporaryDirectory(prefix="factcheck-links-")
        return Path(self._made.name)

    def __enter__(self) -> _WorkDir:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._made is not None:
            self._made.cleanup()


class HostScheduler:
    """Hands out jobs so that no host has more than its limit in flight and no worker waits
    while another host has work: hosts with work and a free slot take turns."""

    def __init__(self, jobs: list[Job], settings: LinkSettings) -> None:
        self._pending: dict[str, deque[Job]] = {}
        self._limit: dict[str, int] = {}
        self._active: dict[str, int] = {}
        for job in jobs:
            host = job.host
            self._pending.setdefault(host, deque()).append(job)
            self._active[host] = 0
            limit = settings.archive_per_host if job.archive else settings.per_host
            self._limit[host] = min(self._limit.get(host, limit), limit)
        self._ready = deque(self._pending)
        self._queued = set(self._pending)
        self._left = len(jobs)
        self._stopped = False
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._ramp = 0
        self._ramped: Callable[[], None] | None = None
        self.max_parallel = sum(
            min(self._limit[host], len(pending)) for host, pending in self._pending.items()
        )

    def on_ramp(self, workers: int, callback: Callable[[], None] | None) -> None:
        """Call ``callback`` when ``workers`` jobs have been handed out (every worker has one)."""
        self._ramp = workers
        self._ramped = callback

    async def take(self) -> Job | None:
        while True:
            if self._stopped or self._left == 0:
                return None
            if self._ready:
                host = self._ready.popleft()
                self._queued.discard(host)
                job = self._pending[host].popleft()
                self._active[host] += 1
                self._left -= 1
                if self._pending[host] and self._active[host] < self._limit[host]:
                    self._ready.append(host)
                    self._queued.add(host)
                if self._left == 0:
                    self._wake_all()
                self._ramp -= 1
                if self._ramp == 0 and self._ramped is not None:
                    self._ramped()
                return job
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            await waiter

    def done(self, job: Job) -> None:
        host = job.host
        self._active[host] -= 1
        if self._pending[host] and host not in self._queued:
            self._ready.append(host)
            self._queued.add(host)
            while self._waiters:
                waiter = self._waiters.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    break

    def stop(self) -> None:
        self._stopped = True
        self._wake_all()

    def _wake_all(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)


# -- is there a network at all? -------------------------------------------------------------------


async def _probe(jobs: list[Job], transport: Transport, settings: LinkSettings) -> None:
    """Connect to up to :data:`PROBE_HOSTS` hosts at once; the first that answers ends the
    probe. Raises :class:`NoNetworkError` when none does."""
    from urllib.parse import urlsplit

    def targets() -> Iterator[tuple[str, int, bool]]:
        if settings.proxy:
            proxy = urlsplit(settings.proxy)
            yield proxy.hostname or "", proxy.port or 80, True
            return
        seen: set[tuple[str, int]] = set()
        for job in jobs:
            parts = urlsplit(job.start)
            target = (parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
            if target not in seen:
                seen.add(target)
                yield *target, False

    loop = asyncio.get_running_loop()
    timeout = min(settings.probe_timeout, settings.timeout)

    async def knock(host: str, port: int, via_proxy: bool) -> tuple[str, str]:
        try:
            await transport.reach(host, port, loop.time() + timeout, via_proxy=via_proxy)
            return "reached", ""
        except FetchFailure as failure:
            verdict = "reached" if failure.reached else "failed" if failure.tried else "untried"
            return verdict, failure.detail
        except Exception as exc:
            return "failed", str(exc)

    remaining = targets()
    running: set[asyncio.Task[tuple[str, str]]] = set()
    counted = 0
    failures: list[str] = []

    def launch() -> bool:
        target = next(remaining, None)
        if target is None:
            return False
        running.add(asyncio.ensure_future(knock(*target)))
        return True

    try:
        launch()
        # on a working network the first host answers at once: no more knocks needed
        done, _ = await asyncio.wait(running, timeout=PROBE_HEAD_START)
        if not any(task.result()[0] == "reached" for task in done):
            for _ in range(PROBE_HOSTS - 1):
                if not launch():
                    break
        while running:
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                running.discard(task)
                verdict, detail = task.result()
                if verdict == "reached":
                    return
                if verdict == "untried":
                    launch()
                    continue
                counted += 1
                failures.append(detail)
                if counted + len(running) < PROBE_HOSTS:
                    launch()
    finally:
        for task in running:
            task.cancel()
    if counted:
        what = "the proxy" if settings.proxy else f"any of {counted} evidence host(s)"
        examples = "; ".join(failures[:2])
        raise NoNetworkError(f"no network: could not reach {what} ({examples})")
