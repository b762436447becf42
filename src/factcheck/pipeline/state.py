"""What a run is asked to do (:class:`RunOptions`), and what it knows about each file while
it runs (:class:`FileState`). Only :func:`factcheck.pipeline.run` writes a state; the stages
it calls return values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.load.vocab import Mode
from factcheck.policy import FailOn, Level

if TYPE_CHECKING:
    from factcheck.archive.suggest import Suggestion
    from factcheck.article import ArticleFile, ArticleText
    from factcheck.coverage import Coverage
    from factcheck.findings import Finding
    from factcheck.links import LinkSettings
    from factcheck.links.transport import TransportFactory
    from factcheck.load.discover import ParsedFile
    from factcheck.load.loader import LoadedFile
    from factcheck.load.model import Document
    from factcheck.pipeline.online import Checked
    from factcheck.pipeline.shard import Shard
    from factcheck.settings import Setting


@dataclass(frozen=True)
class RunOptions:
    paths: list[Path]
    command: str = "validate"
    article: Path | None = None
    mode: Mode | None = None
    fail_on: FailOn = FailOn.ERROR
    levels: dict[str, Level] = field(default_factory=dict)
    #: Check links and quotes (verify, report); validate does not.
    check_links: bool = False
    #: Run the status family (6xx): verify and report.
    check_statuses: bool = False
    link_settings: LinkSettings | None = None
    #: ``ID`` or ``FILE:ID`` selectors (``--claim``); empty means every claim.
    claim_filter: tuple[str, ...] = ()
    today: date | None = None
    now: datetime | None = None
    settings: tuple[Setting, ...] = ()
    progress: Callable[[Any], None] | None = None
    #: Called with the number of links about to be checked (to size a progress bar).
    on_links: Callable[[int], None] | None = None
    #: Which parsed claims files to check (``--changed-since``); None: every one.
    select: Callable[[ParsedFile], bool] | None = None
    #: ``--shard K/N``: check only the links of this shard's hosts (a partial report).
    shard: Shard | None = None
    #: ``--suggest-archive``: the archive's look-up endpoint; None does not look.
    archive_endpoint: str | None = None
    #: The link engine's fetch hook (``verify --replay``: the capture); None is the network.
    transport: TransportFactory | None = None
    #: ``verify --replay``: the day of the capture the links were checked against.
    capture_day: str | None = None
    #: ``validate --jobs``: at most this many processes check the files (None: one per usable
    #: CPU; :mod:`factcheck.pipeline.jobs`). Runs that check links use one.
    jobs: int | None = 1


@dataclass
class FileState:
    """What the pipeline knows about one file while it runs."""

    path: Path
    loaded: LoadedFile
    article: ArticleText | None = None
    #: The local article file, read before the link checks start and rendered after.
    article_file: ArticleFile | None = None
    #: Why ``article.text`` cannot be used (FC306), when it cannot.
    article_problem: str | None = None
    findings: list[Finding] = field(default_factory=list)
    #: Coverage of the article by the claims, once the article text is known.
    coverage: Coverage | None = None
    #: (claim id, evidence index) -> the results of the online checks for that item.
    checked: dict[tuple[str, int], Checked] = field(default_factory=dict)
    #: (claim id, evidence index) -> the archive copy found (``--suggest-archive``).
    copies: dict[tuple[str, int], Suggestion] = field(default_factory=dict)
    #: ``path`` resolved (when the run has already resolved it): not resolved again per stage.
    real_path: str | None = None

    @property
    def document(self) -> Document | None:
        return self.loaded.document

    def mode(self, override: Mode | None) -> Mode:
        """``--mode`` when given, else the file's own."""
        if override is not None:
            return override
        return self.document.mode if self.document is not None else Mode.DRAFT
