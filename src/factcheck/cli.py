"""The command line: typer only. Options in, ``factcheck.commands.<name>.run(...)``, the exit
code out (and the exit codes of the README for errors, interruptions and bugs).

The link options come from the one table, :data:`factcheck.settings.LINK_OPTIONS`, and the
``--format`` choices from :data:`factcheck.render.FORMATS`. Heavy modules (the network stack,
renderers) are imported inside the commands that need them, so ``factcheck validate`` starts
fast.
"""

from __future__ import annotations

import functools
import inspect
import os
import signal
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from factcheck import __version__
from factcheck.errors import FactcheckError
from factcheck.output import notice
from factcheck.render import FORMATS
from factcheck.settings import LINK_OPTIONS, LinkFlags, LinkOption

app = typer.Typer(
    name="factcheck",
    help="Claim-level fact-checking: validate claims.yaml, check that every evidence link "
    "resolves and every quoted passage is on the cited page, and gate publication in CI.",
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


class Color(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"factcheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an internal error.")
    ] = False,
) -> None:
    """factcheck: every claim, its evidence, and whether the article is fit to publish."""


PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Claims files or directories (every claims.yaml and *.claims.yaml below). "
        "Default: ./claims.yaml.",
        show_default=False,
        metavar="PATH...",
    ),
]
ArticleOpt = Annotated[
    Path | None,
    typer.Option(
        "--article",
        help="Local copy of the article (markdown, text or HTML) to anchor claim quotes in; "
        "only with one claims file.",
    ),
]
#: The ``--format`` choices: every entry of :data:`factcheck.render.FORMATS` (a value of this
#: enum is the format's name).
if TYPE_CHECKING:
    Format = str
else:
    Format = StrEnum("Format", {name.upper(): name for name in FORMATS})
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the output to FILE (atomically) instead of stdout."),
]
ColorOpt = Annotated[Color, typer.Option("--color", help="Colour in the console report.")]
FailOnOpt = Annotated[
    str | None,
    typer.Option(
        "--fail-on",
        help="Lowest severity that fails the gate: error, warning or never. [default: error]",
        metavar="<error|warning|never>",
        show_default=False,
    ),
]
ModeOpt = Annotated[
    str | None,
    typer.Option(
        "--mode",
        help="Override the file's mode: draft (our article before publication) or review "
        "(someone else's published article).",
        metavar="<draft|review>",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Configuration file (default: the first factcheck.toml or pyproject.toml "
        "[tool.factcheck] from here upward).",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or notices on stderr.")]
ChangedSinceOpt = Annotated[
    str | None,
    typer.Option(
        "--changed-since",
        help="Check only the claims files changed since this git revision (or whose "
        "article.text changed): a branch, tag or commit. CI needs the history (fetch-depth: 0).",
        metavar="REF",
        show_default=False,
    ),
]
BaselineOpt = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        help="A saved JSON report: the gate fails only on findings whose key it lacks (known "
        "findings are listed and counted, not gating).",
        metavar="RUN.json",
        show_default=False,
    ),
]
ShardOpt = Annotated[
    str | None,
    typer.Option(
        "--shard",
        help="Check only the links of the hosts of shard K of N (a partial JSON report; merge "
        "the shards with report --from A.json --from B.json).",
        metavar="K/N",
        show_default=False,
    ),
]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        help="Check the files in at most N processes (each with 25 files or more; Linux); 1: in "
        "this one. The report is the same whatever N. [default: the usable CPUs]",
        metavar="N",
        min=1,
        show_default=False,
    ),
]
VerboseOpt = Annotated[
    bool,
    typer.Option(
        "--verbose",
        "-v",
        help="Console: list every claim and link, not only the problems.",
    ),
]


def _paths(paths: list[Path] | None) -> list[Path]:
    return paths or [Path("claims.yaml")]


def _use_color(color: Color) -> bool:
    if color is Color.ALWAYS:
        return True
    if color is Color.NEVER or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


@app.command()
def validate(
    paths: PathsArg = None,
    article: ArticleOpt = None,
    output_format: FormatOpt = Format("console"),
    output: OutputOpt = None,
    color: ColorOpt = Color.AUTO,
    fail_on: FailOnOpt = None,
    mode: ModeOpt = None,
    config: ConfigOpt = None,
    changed_since: ChangedSinceOpt = None,
    baseline: BaselineOpt = None,
    verbose: VerboseOpt = False,
    jobs: JobsOpt = None,
    by_article: Annotated[
        bool,
        typer.Option(
            "--by-article",
            help="PATH... are article files: validate the claims files below the current "
            "directory whose article.text is one of them (the factcheck-validate-articles "
            "pre-commit hook).",
        ),
    ] = False,
) -> int:
    """Check claims files offline: schema, evidence shape, quotes anchored in the article.

    Runs finding families FC1xx-FC3xx without any network access; a file with pending
    claims is a valid file.

    \b
    Examples:
      factcheck validate
      factcheck validate claims.yaml --article drafts/article.md
      factcheck validate fact-checks/ --format json > findings.json
      factcheck validate fact-checks/ --changed-since origin/main
      factcheck validate fact-checks/ --jobs 4
      factcheck validate --by-article drafts/article.md
    """
    from factcheck.commands import check

    if by_article:
        from factcheck.load.articles import claims_files_for

        if article is not None:
            raise typer.BadParameter("--by-article takes the articles as PATH, not --article")
        articles = list(paths or [])
        paths = claims_files_for(articles)
        if not paths:
            if articles:
                notice(
                    "no claims file below the current directory has one of these as its "
                    "article.text: nothing to validate"
                )
            return 0
    return check.run(
        "validate",
        _paths(paths),
        article=article,
        output_format=output_format,
        output=output,
        color=_use_color(color),
        fail_on=fail_on,
        mode=mode,
        config=config,
        scale=check.Scale(changed_since=changed_since, baseline=baseline),
        verbose=verbose,
        jobs=jobs,
    )


ClaimOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--claim",
        help="Check only this claim: ID, or FILE:ID with several files (repeatable).",
        show_default=False,
    ),
]


SuggestArchiveOpt = Annotated[
    bool,
    typer.Option(
        "--suggest-archive",
        help="For broken or quote-missing evidence without a working archive_url, find the "
        "archive snapshot closest to its `accessed` date and check the quote on it.",
    ),
]


def _link_parameter(option: LinkOption) -> inspect.Parameter:
    """The typer parameter of a link option, from its row in the table."""
    if option.kind is bool:
        kind: Any = bool
        default: Any = False
        info = typer.Option(option.flag, help=option.full_help)
    else:
        kind = list[str] if option.kind is list else option.kind
        kind = kind | None
        default = None
        info = typer.Option(option.flag, help=option.full_help, show_default=False)
    return inspect.Parameter(
        option.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[kind, info],
    )


_F = TypeVar("_F", bound=Callable[..., int])


def link_options(command: _F) -> _F:
    """Give a command every link option of the table, collected into its ``links`` argument
    (a :class:`~factcheck.settings.LinkFlags`): one table entry is one more flag on every
    command that checks links."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "links"]
    added = [_link_parameter(option) for option in LINK_OPTIONS]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> int:
        given = {option.name: kwargs.pop(option.name) for option in LINK_OPTIONS}
        links = LinkFlags.of(os.environ, **given)
        return command(**kwargs, links=links)

    wrapper.__signature__ = signature.replace(parameters=[*own, *added])  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in (*own, *added)} | {"return": int}
    del wrapper.__wrapped__  # typer reads the signature above, not the command's own
    return wrapper  # type: ignore[return-value]


@app.command()
@link_options
def verify(
    paths: PathsArg = None,
    article: ArticleOpt = None,
    output_format: FormatOpt = Format("console"),
    output: OutputOpt = None,
    color: ColorOpt = Color.AUTO,
    fail_on: FailOnOpt = None,
    mode: ModeOpt = None,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    claim: ClaimOpt = None,
    changed_since: ChangedSinceOpt = None,
    baseline: BaselineOpt = None,
    shard: ShardOpt = None,
    suggest_archive: SuggestArchiveOpt = False,
    replay: Annotated[
        Path | None,
        typer.Option(
            "--replay",
            help="Check every link and quote against a capture (factcheck capture) with no "
            "network at all; what it lacks is skipped/not-captured.",
            metavar="CAPTURE.warc.gz",
        ),
    ] = None,
    *,
    links: LinkFlags,
) -> int:
    """Check everything validate checks, plus every evidence link and quoted passage.

    Each distinct URL is fetched once per run. Broken links are FC401 at the line of the
    url; quotes missing from the cited page are FC501. Without any network, the run says so
    and exits 2 (use --offline to check the file alone).

    \b
    Examples:
      factcheck verify
      factcheck verify claims.yaml --article drafts/article.md
      factcheck verify --offline
      factcheck verify --format junit -o results.xml
      factcheck verify -v
      factcheck verify --claim C012 --timeout 10
      factcheck verify archive/ --changed-since origin/main --baseline nightly.json
      factcheck verify archive/ --shard 2/4 --format json -o shard-2.json
      factcheck verify --suggest-archive
      factcheck verify --replay evidence.warc.gz
    """
    from factcheck.commands import check

    return check.run(
        "verify",
        _paths(paths),
        article=article,
        output_format=output_format,
        output=output,
        color=_use_color(color),
        fail_on=fail_on,
        mode=mode,
        config=config,
        link_flags=links,
        claims=tuple(claim or ()),
        quiet=quiet,
        scale=check.Scale(changed_since=changed_since, baseline=baseline, shard=shard),
        verbose=verbose,
        suggest_archive=suggest_archive,
        replay=replay,
    )


@app.command()
@link_options
def capture(
    paths: PathsArg = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The capture to write (WARC 1.1, gzip).", metavar="FILE.warc.gz"
        ),
    ] = Path("evidence.warc.gz"),
    include_authenticated: Annotated[
        bool,
        typer.Option(
            "--include-authenticated",
            help="Keep pages fetched with credentials in the capture (left out by default: a "
            "WARC holds whole pages, a subscriber's name and session included).",
        ),
    ] = False,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
    *,
    links: LinkFlags,
) -> int:
    """Fetch every evidence page once and keep the responses as WARC 1.1, for verify --replay.

    The capture holds each response (every redirect hop), the claims files and a manifest of
    URL and SHA-256 digest; pages are fetched with verify's guard, deadlines and caps.

    \b
    Examples:
      factcheck capture -o evidence.warc.gz
      factcheck verify --replay evidence.warc.gz
    """
    from factcheck.commands import capture as capture_command

    return capture_command.run(
        capture_command.CaptureOptions(
            paths=_paths(paths),
            output=output,
            config=config,
            link_flags=links,
            include_authenticated=include_authenticated,
            quiet=quiet,
        )
    )


@app.command()
@link_options
def fix(
    paths: PathsArg = None,
    archive: Annotated[
        bool,
        typer.Option(
            "--archive",
            help="Write archive_url for evidence whose page is broken or lacks the quote (the "
            "archive snapshot closest to `accessed` that has the quote).",
        ),
    ] = False,
    every: Annotated[
        bool,
        typer.Option(
            "--all", help="Every evidence item without an archive_url, not only failing ones."
        ),
    ] = False,
    write: Annotated[
        bool,
        typer.Option("--write", help="Change the claims files; without it, print a unified diff."),
    ] = False,
    from_json: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Take the failing items (and the copies found) from a saved run "
            "(verify --format json [--suggest-archive]) instead of checking again.",
            metavar="RUN.json",
        ),
    ] = None,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
    *,
    links: LinkFlags,
) -> int:
    """Write the archive copies of evidence into the claims file, changing nothing else.

    Only archive_url lines are added (comments, key order, quoting, blank lines and line
    endings stay byte for byte); `accessed` is never written. Without --write the change is
    printed as a diff.

    \b
    Examples:
      factcheck fix --archive
      factcheck fix --archive --write
      factcheck fix --archive --all --write claims.yaml
      factcheck fix --archive --from run.json
    """
    from factcheck.commands import fix as fix_command

    if not archive:
        raise FactcheckError("fix needs --archive (the one fix there is)")
    if every and from_json is not None:
        raise FactcheckError("--all and --from do not go together")
    return fix_command.run(
        fix_command.FixOptions(
            paths=_paths(paths),
            write=write,
            every=every,
            from_json=from_json,
            config=config,
            link_flags=links,
            quiet=quiet,
        )
    )


@app.command()
@link_options
def report(
    paths: PathsArg = None,
    article: ArticleOpt = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to FILE (atomically) instead of reports/<slug>.md (.html "
            "with --format html); - for stdout.",
        ),
    ] = None,
    from_json: Annotated[
        list[Path] | None,
        typer.Option(
            "--from",
            help="Render a saved JSON report (verify --format json) without checking again; "
            "repeated, merge the partial reports of --shard runs into one report and one gate.",
            metavar="RUN.json",
            show_default=False,
        ),
    ] = None,
    compare: Annotated[
        Path | None,
        typer.Option(
            "--compare",
            help="List the claims whose status, evidence or findings changed since this "
            "earlier JSON report (a corrections log), in markdown.",
            metavar="OLD.json",
            show_default=False,
        ),
    ] = None,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary",
            help="The short form for a pull-request comment (verdict, counts, blocking claims), "
            "on stdout unless -o is given.",
        ),
    ] = False,
    output_format: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="Another format than the markdown report: html writes reports/<slug>.html; "
            "the others (with --from: render the saved run as GitHub annotations, JUnit ...) "
            "go to stdout unless -o is given.",
        ),
    ] = Format("markdown"),
    fail_on: FailOnOpt = None,
    mode: ModeOpt = None,
    config: ConfigOpt = None,
    quiet: QuietOpt = False,
    claim: ClaimOpt = None,
    changed_since: ChangedSinceOpt = None,
    baseline: BaselineOpt = None,
    shard: ShardOpt = None,
    *,
    links: LinkFlags,
) -> int:
    """Check like verify and write the markdown report for editors to reports/<slug>.md.

    One report per claims file (slug: the article title transliterated), written whatever the
    verdict; the verdict goes to stderr and the exit code is verify's. --from renders a saved
    JSON report instead of checking again, so CI fetches every URL once.

    \b
    Examples:
      factcheck report
      factcheck report claims.yaml --offline --article drafts/article.md
      factcheck verify --format json -o run.json; factcheck report --from run.json
      factcheck report --from run.json --summary > comment.md
      factcheck report --from run.json --format github
      factcheck report --from shard-1.json --from shard-2.json --format json -o run.json
      factcheck report --from run.json --compare last-week.json
      factcheck report --format html
    """
    from factcheck.commands import report as report_command
    from factcheck.commands.check import Scale

    return report_command.run(
        paths,
        article=article,
        output=output,
        output_format=output_format,
        from_json=from_json or [],
        compare=compare,
        scale=Scale(changed_since=changed_since, baseline=baseline, shard=shard),
        summary=summary,
        fail_on=fail_on,
        mode=mode,
        config=config,
        link_flags=links,
        claims=tuple(claim or ()),
        quiet=quiet,
    )


class ExportFormat(StrEnum):
    CLAIMREVIEW = "claimreview"


@app.command()
def export(
    paths: PathsArg = None,
    export_format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="Export format: schema.org ClaimReview JSON-LD."),
    ] = ExportFormat.CLAIMREVIEW,
    output: OutputOpt = None,
    review_url: Annotated[
        str | None,
        typer.Option(
            "--review-url",
            help="Where the fact-check is published (overrides review.url); each ClaimReview's "
            "url is this page with the claim id as fragment. Only with one claims file.",
            show_default=False,
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            help="Who publishes the fact-check (overrides review.publisher).",
            show_default=False,
        ),
    ] = None,
    article: ArticleOpt = None,
    config: ConfigOpt = None,
) -> int:
    """Export claims as schema.org ClaimReview JSON-LD, for fact-check databases.

    One ClaimReview per claim with a factual status (opinion and pending claims are left
    out). A file that validate rejects is not exported. The mapping from status to rating
    is in docs/claimreview.md; SOURCE_DATE_EPOCH pins the date of claims without checked_on.

    \b
    Examples:
      factcheck export -o claimreview.json
      factcheck export claims.yaml --review-url https://example.org/fact-checks/hello-to-arms
      factcheck export --author "Example Fact Check" > claimreview.json
    """
    from factcheck.commands import export as export_command

    del export_format  # the one format so far
    return export_command.run(
        _paths(paths),
        output=output,
        review_url=review_url,
        author=author,
        article=article,
        config=config,
    )


@app.command()
def coverage(
    paths: PathsArg = None,
    article: ArticleOpt = None,
    min_coverage: Annotated[
        float | None,
        typer.Option(
            "--min-coverage",
            help="Fail (FC604, exit 1) when claims cover less than N% of the check-worthy "
            "sentences.",
            metavar="N",
            show_default=False,
        ),
    ] = None,
) -> int:
    """List the check-worthy sentences of the article that no claim covers.

    A sentence is check-worthy when it has a number, a month name, a currency or percent
    sign, or two or more capitalised words after its first word; it is covered when claim
    quotes cover at least half of it. Each uncovered one is printed with its article line
    and why it was flagged, then the coverage. Reads the local article text (--article or
    article.text). See docs/coverage.md.

    \b
    Examples:
      factcheck coverage --article drafts/article.md
      factcheck coverage claims.yaml --article drafts/article.md --min-coverage 80
    """
    from factcheck.commands import coverage as coverage_command

    return coverage_command.run(_paths(paths), article=article, min_coverage=min_coverage)


cache_app = typer.Typer(
    help="Inspect or clear the link cache (.factcheck/cache.sqlite).\n\n"
    "\b\nExamples:\n  factcheck cache info\n  factcheck cache clear --cache-dir .factcheck",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(cache_app, name="cache")

CacheDirOpt = Annotated[Path, typer.Option("--cache-dir", help="Where the cache lives.")]


@cache_app.command("info")
def cache_info(cache_dir: CacheDirOpt = Path(".factcheck")) -> int:
    """Show where the cache is, how many entries it holds and how old they are.

    \b
    Example:
      factcheck cache info
    """
    from factcheck.commands import cache

    return cache.info(cache_dir)


@cache_app.command("clear")
def cache_clear(cache_dir: CacheDirOpt = Path(".factcheck")) -> int:
    """Delete every cached link result.

    \b
    Example:
      factcheck cache clear --cache-dir .factcheck
    """
    from factcheck.commands import cache

    return cache.clear(cache_dir)


@app.command()
def schema(
    report: Annotated[
        bool, typer.Option("--report", help="Print the JSON report's schema instead.")
    ] = False,
) -> int:
    """Print the JSON Schema of claims.yaml (for the YAML language server in your editor).

    \b
    Examples:
      factcheck schema > claims.schema.json
      # then, first line of claims.yaml:
      # yaml-language-server: $schema=claims.schema.json
    """
    from factcheck.commands import schema as schema_command

    return schema_command.run(report=report)


@app.command()
def demo(
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Also write the markdown report to FILE.", metavar="FILE"),
    ] = None,
    keep: Annotated[
        Path | None,
        typer.Option(
            "--keep",
            help="Write the demo's claims.yaml and article.md into DIR, to edit and re-run.",
            metavar="DIR",
        ),
    ] = None,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve", help="Keep serving the demo's sources after the report, until Ctrl-C."
        ),
    ] = False,
    port: Annotated[
        int,
        typer.Option(
            "--port",
            help="Serve the demo's sources on this port of 127.0.0.1. [default: a free one]",
            metavar="PORT",
            show_default=False,
            min=0,
            max=65535,
        ),
    ] = 0,
    color: ColorOpt = Color.AUTO,
    quiet: QuietOpt = False,
) -> int:
    """Check an invented article against a small web served on 127.0.0.1, with the real verify.

    The demo's sources (a healthy page, a moved page, dead pages, a robot-blocking site, a
    soft 404, an edited page, a page without the quote, an archive copy, a PDF) are served by
    this process; only 127.0.0.1 is allowed, so nothing else is contacted, whatever the
    network. The verdict and exit code are the real gate's: the demo's article is not ready
    to publish, so it exits 1.

    \b
    Examples:
      factcheck demo
      factcheck demo --report demo-report.md
      factcheck demo --keep my-demo --serve
    """
    from factcheck.commands.demo import DemoOptions
    from factcheck.commands.demo import run as run_demo

    return run_demo(
        DemoOptions(
            report=report,
            keep=keep,
            serve=serve,
            port=port,
            color=_use_color(color),
            quiet=quiet,
        )
    )


@app.command()
def init(
    url: Annotated[
        str | None,
        typer.Option(
            "--url", help="The article's published (or future) address.", show_default=False
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            help="The article's title. [default: the article's first heading, with --article]",
            show_default=False,
        ),
    ] = None,
    publisher: Annotated[
        str | None,
        typer.Option("--publisher", help="Who publishes the article.", show_default=False),
    ] = None,
    article: Annotated[
        Path | None,
        typer.Option(
            "--article",
            help="The article (markdown, text or HTML): one pending claim is drafted for each "
            "check-worthy sentence.",
            show_default=False,
        ),
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode",
            help="draft (our own article before publication) or review (someone else's "
            "published article). [default: draft]",
            metavar="<draft|review>",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The claims file to write ('-': stdout)."),
    ] = Path("claims.yaml"),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the output file if it exists.")
    ] = False,
) -> int:
    """Start a fact-check: write a claims file, drafted from the article when you have it.

    With --article, every check-worthy sentence (one with a number, a date, a currency or
    percent sign, or names) becomes a pending claim whose quote is the sentence's words:
    trim each quote to the words that carry the claim, check it, and set its status. Each
    claim notes the article line its sentence starts on. claims.schema.json is written beside
    the file for your editor. The file passes `factcheck validate` once the article's title,
    url and publisher are given (a TODO placeholder is FC104); `factcheck verify` fails until
    no claim is pending.

    \b
    Examples:
      factcheck init --article drafts/article.md --title "Harbour budget" --publisher "The Courier"
      factcheck init --url https://example.com/story --mode review -o story.claims.yaml
    """
    from factcheck.commands.init import InitOptions
    from factcheck.commands.init import run as run_init
    from factcheck.load.vocab import Mode
    from factcheck.settings import parse_choice

    return run_init(
        InitOptions(
            output=output,
            url=url,
            title=title,
            publisher=publisher,
            article=article,
            mode=parse_choice(mode, Mode, "--mode"),
            force=force,
        )
    )


# --------------------------------------------------------------------------- entry point


_USAGE_ERRORS: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)


class _Terminated(BaseException):
    """SIGTERM, turned into an exception so temporary files are removed on the way out."""


def _on_sigterm(signum: int, frame: FrameType | None) -> NoReturn:
    raise _Terminated


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the CLI and map outcomes to the README's exit codes (0, 1, 2, 3, 130, 143)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        result = app(args=args, prog_name="factcheck", standalone_mode=False)
        code = result if isinstance(result, int) else 0
        if code == 130:  # typer turns Ctrl-C into a return value of 130
            notice("interrupted")
    except FactcheckError as exc:
        notice(f"error: {exc}")
        code = exc.exit_code
    except _USAGE_ERRORS as exc:
        exc.show()  # type: ignore[attr-defined]
        code = 2
    except KeyboardInterrupt:
        notice("interrupted")
        code = 130
    except _Terminated:
        notice("terminated")
        code = 143
    except BrokenPipeError:
        code = 1
    except Exception as exc:
        # typer has shipped click's Exit/Abort under its own names; recognise them by shape.
        if type(exc).__name__ == "Exit" and isinstance(getattr(exc, "exit_code", None), int):
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        if type(exc).__name__ == "Abort":
            notice("interrupted")
            sys.exit(130)
        if debug:
            import traceback

            traceback.print_exc()
        notice(
            f"internal error: {type(exc).__name__}: {exc} "
            "(this is a bug; run again with --debug for the traceback)"
        )
        code = 3
    sys.stdout.flush()
    sys.exit(code)


def entry() -> NoReturn:
    """The installed ``factcheck`` command (and ``python -m factcheck``): :func:`main`, then,
    after a run that ended normally (exit 0 or 1), a hard exit once the output is flushed.

    Tearing the interpreter down frees every object one by one: 40-120 ms after a run with a
    thousand links, all spent after the report is out. Nothing is lost by skipping it on a
    normal end: files are written atomically and closed, the cache is closed, temporary files
    are removed and the link checker's threads have ended before :func:`main` returns. mypy
    exits the same way (``mypy.util.hard_exit``). Errors and interruptions (2, 3, 130, 143)
    take the ordinary way out, so that clean-up registered with the interpreter still runs.
    In-process callers use :func:`main`, which raises ``SystemExit`` as usual.
    """
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, 1):
            raise
        status = int(exc.code)
    import logging

    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        status = status or 1
    os._exit(status)
