"""``factcheck capture``: every evidence page fetched once and kept as WARC 1.1, with the claims
files and a manifest (:mod:`factcheck.archive.warc`), for ``verify --replay``.

The pages are fetched by the link engine with verify's guard, deadlines and caps, through the
capture hook (:mod:`factcheck.archive.replay`); the cache is not read, since a capture needs
the bytes. Every page is read for its text (up to the body cap), so that a replay can check
quotes, fragments and links alike.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.errors import FactcheckError
from factcheck.output import notice
from factcheck.settings import LinkFlags

if TYPE_CHECKING:
    from factcheck.links import LinkRequest


@dataclass(frozen=True)
class CaptureOptions:
    paths: list[Path]
    output: Path
    config: Path | None = None
    link_flags: LinkFlags | None = None
    include_authenticated: bool = False
    quiet: bool = False


def run(options: CaptureOptions) -> int:
    from factcheck import __version__
    from factcheck.archive.replay import Recorder
    from factcheck.archive.warc import write_capture
    from factcheck.links import check_links
    from factcheck.output import check_output_path
    from factcheck.settings import link_settings, load_settings, run_clock

    files, requests = _requests(options.paths)
    configured = load_settings(options.config, online=True)
    settings = link_settings(options.link_flags or LinkFlags(), configured.link_config)
    if settings.offline:
        raise FactcheckError("capture fetches every page: it cannot run with --offline")
    settings = replace(settings, use_cache=False)
    check_output_path(options.output, [*files.values(), settings.cache_dir])
    if not options.output.name.endswith((".warc.gz", ".warc")):
        raise FactcheckError("name the capture *.warc.gz", location=str(options.output))
    now, _ = run_clock()
    recorder = Recorder(
        include_authenticated=options.include_authenticated, credentials=settings.credentials
    )
    results = check_links(requests, settings, transport=recorder.factory())
    claims = {shown: path.read_bytes() for shown, path in files.items()}
    write_capture(
        options.output,
        recorder.responses,
        claims,
        now,
        software=f"factcheck {__version__}",
        left_out=recorder.left_out,
    )
    if not options.quiet:
        missing = [r for r in results.values() if r.outcome.value in ("broken", "skipped")]
        notice(
            f"captured {len(recorder.responses)} responses for {len(results)} URLs into "
            f"{options.output.as_posix()}"
            + (f"; {len(missing)} could not be had (broken or skipped)" if missing else "")
        )
        if recorder.left_out:
            notice(
                f"left out {len(recorder.left_out)} pages fetched with credentials "
                "(--include-authenticated keeps them)"
            )
    return 0


def _requests(paths: list[Path]) -> tuple[dict[str, Path], list[LinkRequest]]:
    """The claims files (as shown) and a request for every page they cite, read for text."""
    from factcheck.article import needs_article_url
    from factcheck.links import LinkKind, LinkRequest
    from factcheck.load.discover import discover, display_path
    from factcheck.load.loader import load_file

    files: dict[str, Path] = {}
    requests: list[LinkRequest] = []
    for path in discover(paths):
        loaded = load_file(path)
        shown = display_path(path)
        document = loaded.document
        if document is None:
            first = loaded.findings[0].message if loaded.findings else "the file cannot be used"
            raise FactcheckError(f"cannot capture: {first}", location=shown)
        files[shown] = path
        if needs_article_url(document, None):
            requests.append(LinkRequest(document.article.url, LinkKind.ARTICLE, need_text=True))
        for claim in document.claims:
            for item in claim.evidence:
                if item.url is None:
                    continue  # a citation: nothing to capture
                requests.append(LinkRequest(item.url, LinkKind.EVIDENCE, need_text=True))
                if item.archive_url:
                    requests.append(LinkRequest(item.archive_url, LinkKind.ARCHIVE, need_text=True))
    return files, requests
