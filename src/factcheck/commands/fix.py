"""``factcheck fix --archive``: the archive copies found, written into the claims files as
``archive_url`` (:mod:`factcheck.archive.edit`), as a diff unless ``--write``.

Which items: those verify finds broken or without their quote and without a working archive
copy (a fresh check, or a saved run with ``--from``), or with ``--all`` every item without an
``archive_url``. The snapshot wanted is the one closest to the item's ``accessed`` date, else
the claims file's last commit, else today; ``accessed`` itself is never written: it is when a
person read the page.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.errors import FactcheckError
from factcheck.output import notice
from factcheck.settings import LinkFlags

if TYPE_CHECKING:
    from factcheck.archive.suggest import Suggestion, Wanted
    from factcheck.load.loader import LoadedFile
    from factcheck.load.model import Document

#: (file as shown, claim id, evidence index)
ItemKey = tuple[str, str, int]
_BOM = "\ufeff"


@dataclass(frozen=True)
class FixOptions:
    paths: list[Path]
    write: bool = False
    every: bool = False
    from_json: Path | None = None
    config: Path | None = None
    link_flags: LinkFlags | None = None
    quiet: bool = False


def run(options: FixOptions) -> int:
    from factcheck.load.discover import discover, display_path
    from factcheck.load.loader import load_file

    files: dict[str, tuple[Path, LoadedFile]] = {}
    for path in discover(options.paths):
        loaded = load_file(path)
        if loaded.document is None:
            first = loaded.findings[0] if loaded.findings else None
            message = first.message if first else "the file cannot be used"
            raise FactcheckError(f"cannot fix: {message}", location=display_path(path))
        files[display_path(path)] = (path, loaded)
    copies = _copies(files, options)
    changed = 0
    for shown, (path, loaded) in files.items():
        assert loaded.document is not None
        mine = {(claim, index): c for (file, claim, index), c in copies.items() if file == shown}
        changed += _fix_file(path, shown, loaded.document, mine, options)
    if changed == 0 and not options.quiet:
        notice("no archive_url to write")
    return 0


def _copies(
    files: dict[str, tuple[Path, LoadedFile]], options: FixOptions
) -> dict[ItemKey, Suggestion]:
    """The archive copy of every item that needs one."""
    from factcheck.archive.suggest import find_copies
    from factcheck.settings import link_settings, load_settings

    configured = load_settings(options.config, online=True)
    settings = link_settings(options.link_flags or LinkFlags(), configured.link_config)
    if settings.offline:
        raise FactcheckError("fix --archive asks the archive: it cannot run with --offline")
    today = _today()
    found: dict[ItemKey, Suggestion] = {}
    wanted: dict[ItemKey, Wanted] = {}
    if options.every:
        wanted = _every_item(files, today)
    elif options.from_json is not None:
        found, wanted = _from_saved_run(files, options.from_json, today)
    else:
        from factcheck.commands.check import check

        report, _ = check(
            "verify",
            options.paths,
            config=options.config,
            link_flags=options.link_flags or LinkFlags(),
            quiet=options.quiet,
            suggest_archive=True,
        )
        found = {
            (claim.file, claim.id, index): item.archive_copy
            for claim in report.claims
            for index, item in enumerate(claim.evidence)
            if item.archive_copy is not None
        }
    if wanted:
        answers = find_copies(wanted.values(), settings, settings.archive_endpoint)
        found.update({key: answers[item] for key, item in wanted.items()})
    return found


def _today() -> date:
    from factcheck.settings import run_clock

    return run_clock()[0].date()


def _every_item(files: dict[str, tuple[Path, LoadedFile]], today: date) -> dict[ItemKey, Wanted]:
    from factcheck.archive.suggest import Wanted, last_commit_day, wanted_day

    wanted: dict[ItemKey, Wanted] = {}
    for shown, (path, loaded) in files.items():
        assert loaded.document is not None
        file_day = last_commit_day(path)
        for claim in loaded.document.claims:
            for index, item in enumerate(claim.evidence):
                if not item.archive_url and item.url is not None:
                    day = wanted_day(item.accessed, file_day, today)
                    wanted[(shown, claim.id, index)] = Wanted(item.url, day, item.quote)
    return wanted


def _from_saved_run(
    files: dict[str, tuple[Path, LoadedFile]], saved: Path, today: date
) -> tuple[dict[ItemKey, Suggestion], dict[ItemKey, Wanted]]:
    """Copies the saved run found (``verify --suggest-archive``), and the failing items it
    did not look up."""
    from factcheck.archive.suggest import Wanted, last_commit_day, needs_copy, wanted_day
    from factcheck.report.json import read_report

    report = read_report(saved)
    found: dict[ItemKey, Suggestion] = {}
    wanted: dict[ItemKey, Wanted] = {}
    for claim in report.claims:
        entry = files.get(claim.file)
        if entry is None:
            notice(f"{claim.file}: in the saved run but not among the files to fix; skipped")
            continue
        path, loaded = entry
        assert loaded.document is not None
        items = {c.id: c.evidence for c in loaded.document.claims}.get(claim.id, [])
        for index, saved_item in enumerate(claim.evidence):
            key = (claim.file, claim.id, index)
            if saved_item.archive_copy is not None:
                found[key] = saved_item.archive_copy
            elif index < len(items) and needs_copy(
                saved_item.link, saved_item.archive_link, saved_item.quote
            ):
                item = items[index]
                if item.url is None:
                    continue  # a citation: no page to look up
                day = wanted_day(item.accessed, last_commit_day(path), today)
                wanted[key] = Wanted(item.url, day, item.quote)
    return found, wanted


def _fix_file(
    path: Path,
    shown: str,
    document: Document,
    copies: dict[tuple[str, int], Suggestion],
    options: FixOptions,
) -> int:
    """Write (or show) one file's additions; how many were made."""
    from factcheck.archive.edit import Addition, add_archive_urls

    items = {claim.id: claim.evidence for claim in document.claims}
    additions: list[Addition] = []
    for (claim_id, index), copy in sorted(copies.items()):
        item = items[claim_id][index]
        line, _ = item.spot("url")
        where = f"{shown}:{line}" if line else shown
        if item.archive_url:
            continue  # it has one; verify judges it
        if not copy.usable or copy.snapshot_url is None:
            notice(f"{where}: {claim_id}: {copy.sentence()}; nothing written", prefix=None)
            continue
        additions.append(Addition(claim_id, index, copy.snapshot_url))
    if not additions:
        return 0
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FactcheckError(f"cannot edit: not UTF-8 ({exc})", location=shown) from None
    bom = _BOM if text.startswith(_BOM) else ""
    body = text[len(bom) :]
    after, skipped = add_archive_urls(body, additions, shown)
    for left in skipped:
        notice(f"{shown}: {left.addition.claim}: not written: {left.reason}", prefix=None)
    made = len(additions) - len(skipped)
    if after == body:
        return 0
    if options.write:
        from factcheck.output import write_atomic

        write_atomic(path, bom + after)
        notice(f"wrote {made} archive_url{'s' if made != 1 else ''} into {shown}")
    else:
        diff = difflib.unified_diff(
            body.splitlines(True), after.splitlines(True), f"a/{shown}", f"b/{shown}"
        )
        from factcheck.output import emit

        emit("".join(diff), None)
    return made
