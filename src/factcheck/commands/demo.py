"""``factcheck demo``: the real verify pipeline, end to end, against a web served by the process.

The demo's article and claims file are package data; its sources are pages served on
127.0.0.1 (:mod:`factcheck.demo.site`). The claims file is written with the server's address
at run time and checked by the same code as ``factcheck verify``, with exactly one address
allowed (``--allow-cidr 127.0.0.1/32``) and a temporary cache: nothing else is contacted,
whatever the network, and the verdict and exit code are the real gate's.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from factcheck.demo.site import CDX_PATH, HOST, DemoSite, read_data
from factcheck.errors import FactcheckError
from factcheck.output import notice

CLAIMS_NAME = "claims.yaml"
ARTICLE_NAME = "article.md"
#: Where the claims template names the demo web; replaced by its address at run time.
BASE_PLACEHOLDER = "{{BASE}}"


@dataclass(frozen=True)
class DemoOptions:
    report: Path | None = None
    keep: Path | None = None
    serve: bool = False
    port: int = 0
    color: bool = False
    quiet: bool = False


def claims_text(base_url: str) -> str:
    """The demo's claims file, its sources at ``base_url``."""
    return read_data("claims-template.yaml").replace(BASE_PLACEHOLDER, base_url)


def write_demo(directory: Path, base_url: str) -> Path:
    """Write the demo's claims file and article into ``directory``; the claims file's path."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / ARTICLE_NAME).write_text(read_data(ARTICLE_NAME), encoding="utf-8")
        claims = directory / CLAIMS_NAME
        claims.write_text(claims_text(base_url), encoding="utf-8")
    except OSError as exc:
        raise FactcheckError(
            f"cannot write the demo files: {exc.strerror}", location=str(directory)
        ) from None
    return claims


def _refuse_existing(keep: Path) -> None:
    if keep.exists() and not keep.is_dir():
        raise FactcheckError("--keep needs a directory, this is a file", location=str(keep))
    for name in (CLAIMS_NAME, ARTICLE_NAME):
        if (keep / name).exists():
            raise FactcheckError(
                f"{name} already exists there; --keep writes only into a directory without "
                "the demo's files (remove them or choose another directory)",
                location=str(keep),
            )


def _notice(message: str) -> None:
    notice(message, prefix="factcheck demo")


def cdx_url(claims: Path) -> str:
    """The demo archive's CDX server, read back from the claims file's demo web address."""
    text = claims.read_text("utf-8")
    base = re.search(r"http://127\.0\.0\.1:\d+", text)
    return f"{base.group(0) if base else 'http://127.0.0.1'}{CDX_PATH}"


def rerun_command(claims: Path) -> str:
    """The verify command that re-checks a kept claims file against the demo web."""
    return f"factcheck verify {shlex.quote(claims.as_posix())} --allow-cidr {HOST}/32 --no-cache"


def run(options: DemoOptions) -> int:
    """Serve the demo web, verify the demo's claims against it, and return the gate's exit
    code."""
    if options.keep is not None:
        _refuse_existing(options.keep)
    report_path = options.report
    if report_path is not None and str(report_path) != "-":
        if report_path.is_dir():
            raise FactcheckError(
                "--report needs a file name, this is a directory", location=str(report_path)
            )
        report_path = report_path.absolute()  # the check runs in the demo's directory
    with (
        tempfile.TemporaryDirectory(prefix="factcheck-demo-") as temp,
        DemoSite(options.port) as site,
    ):
        scratch = Path(temp)
        claims = write_demo(options.keep or scratch, site.base_url)
        if not options.quiet:
            _notice(
                f"serving the demo's sources at {site.base_url} (this computer only) and "
                "checking the claims of an invented article with the real verify"
            )
        code = _check(claims, scratch, report_path, options)
        if not options.quiet:
            _explain(code, claims, options, site)
        if options.serve:
            _serve_until_interrupted(site, claims)
    return code


def _check(claims: Path, scratch: Path, report_path: Path | None, options: DemoOptions) -> int:
    """The real verify, with one address allowed and a cache that vanishes with the demo.

    Without --keep, the check runs in the demo's temporary directory, so the report names
    the files as the demo wrote them (``claims.yaml:12:5``) and the default cache directory
    is a temporary one; with --keep, the report names the kept files and the cache is kept
    out of them.
    """
    from factcheck.commands.check import check
    from factcheck.output import emit
    from factcheck.render import render
    from factcheck.settings import LinkFlags

    # The demo is the same whatever configuration file the current directory has.
    config = scratch / "factcheck.toml"
    config.write_text("# factcheck demo: the defaults\n", encoding="utf-8")
    kept = options.keep is not None
    flags = LinkFlags.of(
        allow_cidr=[f"{HOST}/32"],
        cache_dir=scratch / ".factcheck" if kept else None,
        archive_endpoint=cdx_url(claims),
    )
    place = contextlib.nullcontext() if kept else contextlib.chdir(scratch)
    with place:
        paths = [claims if kept else Path(CLAIMS_NAME)]
        report, protected = check(
            "verify",
            paths,
            config=config,
            link_flags=flags,
            quiet=options.quiet,
            suggest_archive=True,
        )
        emit(render(report, "console", color=options.color, verbose=True), None)
        if report_path is not None:
            emit(render(report, "markdown"), report_path, protected=protected)
    return report.exit_code


def _explain(code: int, claims: Path, options: DemoOptions, site: DemoSite) -> None:
    outcome = {0: "passed", 1: "failed"}.get(code, "could not check")
    _notice(
        f"that was the real gate: it {outcome} (exit {code}), as `factcheck verify` does for "
        "an article with these problems"
    )
    if options.report is not None:
        _notice(f"wrote the markdown report to {options.report.as_posix()}")
    if options.keep is None:
        _notice(
            "to read the claims file behind it, a comment on every claim: factcheck demo --keep DIR"
        )
    else:
        _notice(
            f"kept {claims.as_posix()} and {(claims.parent / ARTICLE_NAME).as_posix()}: edit "
            f"them and re-run with: {rerun_command(claims)}"
        )
        _notice(
            "to write the archive copy verify found into it: factcheck fix --archive "
            f"--archive-endpoint {cdx_url(claims)} --allow-cidr {HOST}/32 "
            f"{shlex.quote(claims.as_posix())}"
        )
        if not options.serve:
            _notice(
                "their sources live only while the demo web runs: for the re-run, start "
                f"`factcheck demo --serve --port {site.port}` in another terminal first "
                "(without it, verify reaches no host and exits 2)"
            )
    _notice("to start a fact-check of your own: factcheck init --article ARTICLE.md")


def _serve_until_interrupted(site: DemoSite, claims: Path) -> None:
    _notice(
        f"serving the demo web at {site.base_url} until Ctrl-C; in another terminal: "
        f"{rerun_command(claims)}"
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        _notice("stopped serving")
