"""``factcheck report``: the markdown report for editors, one ``reports/<slug>.md`` per file.

The report is written whatever the verdict; the verdict goes to stderr and the exit code is
the gate's, as for ``verify``. ``--from RUN.json`` renders a saved JSON report without
checking again; ``--summary`` prints the short form for a pull-request comment.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

from factcheck.errors import FactcheckError
from factcheck.policy import FailOn
from factcheck.report import Gate, Report
from factcheck.urls import normalise_url

REPORTS_DIR = Path("reports")
SLUG_MAX = 60

# Letters NFKD does not decompose into ASCII, and Cyrillic (common in the articles we check).
_LATIN = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ð": "d"}
_LATIN |= {"ı": "i", "ħ": "h", "ŋ": "ng"}
_CYRILLIC_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўђјљњћџ"
_CYRILLIC_LATIN = (
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya i yi ye g u "
    "dj j lj nj c dz"
)
_CYRILLIC = dict(zip(_CYRILLIC_LETTERS, _CYRILLIC_LATIN.split(" "), strict=True))


def transliterate(text: str) -> str:
    """Lower-case ASCII, as close to ``text`` as a file name can be."""
    out = []
    for char in unicodedata.normalize("NFKD", text.lower()):
        if unicodedata.combining(char):
            continue
        if char.isascii():
            out.append(char)
        else:
            mapped = _LATIN.get(char) or _CYRILLIC.get(char, " ")
            out.append("" if mapped == "_" else mapped)
    return "".join(out)


def slugify(text: str) -> str:
    """``[a-z0-9-]{1,60}``, cut at a word boundary; empty when nothing is left."""
    text = re.sub(r"['’‘`]", "", text)  # "Russia's" -> "russias", not "russia-s"
    slug = re.sub(r"[^a-z0-9]+", "-", transliterate(text)).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[: SLUG_MAX + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[SLUG_MAX // 2 :] else slug[:SLUG_MAX]
    return slug.strip("-")


def report_slug(title: object, file: str) -> str:
    """SPEC: the title transliterated, else the claims file's stem."""
    slug = slugify(title) if isinstance(title, str) else ""
    if slug:
        return slug
    name = Path(file).name
    for suffix in (".claims.yaml", ".yaml", ".yml"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return slugify(name) or "claims"


def split_by_file(report: Report) -> list[tuple[str, Report]]:
    """One report per claims file, each with the file's own gate; and its slug."""
    parts: list[tuple[str, Report]] = []
    seen: dict[str, str] = {}
    for file in report.files:
        slug = report_slug(file.article.get("title"), file.file)
        if slug in seen:
            raise FactcheckError(
                f"two claims files would write reports/{slug}.md ({seen[slug]} and {file.file}); "
                "give one of them another article title, or report them one at a time"
            )
        seen[slug] = file.file
        parts.append((slug, file_report(report, file.file)))
    return parts


def file_report(report: Report, name: str) -> Report:
    """The part of ``report`` about one claims file."""
    file = next(f for f in report.files if f.file == name)
    claims = [c for c in report.claims if c.file == name]
    article_url = file.article.get("url")
    article_key = normalise_url(article_url) if isinstance(article_url, str) else None
    links = [
        link
        for link in report.links
        if any(owner == name for owner, _ in link.claims)
        or (link.kind == "article" and link.url == article_key)
    ]
    return replace(
        report,
        files=[file],
        claims=claims,
        links=links,
        findings=[f for f in report.findings if f.file == name],
        gate=Gate(file.gate_passed, report.gate.fail_on, file.gate_reasons, report.gate.offline),
        fatal=not file.usable,
    )


def write_reports(
    report: Report, protected: list[Path], *, directory: Path = REPORTS_DIR
) -> list[Path]:
    """Write ``reports/<slug>.md`` for every file, atomically; nothing when a path is unsafe."""
    from factcheck.output import check_output_path, write_atomic
    from factcheck.render.markdown import render

    targets = [(directory / f"{slug}.md", part) for slug, part in split_by_file(report)]
    for target, _ in targets:
        check_output_path(target, protected)
    for target, part in targets:
        write_atomic(target, render(part))
    return [target for target, _ in targets]


def run_report(
    paths: list[Path] | None,
    *,
    article: Path | None = None,
    output: Path | None = None,
    output_format: str = "markdown",
    from_json: Path | None = None,
    summary: bool = False,
    fail_on: str | None = None,
    mode: str | None = None,
    config: Path | None = None,
    link_flags: object | None = None,
    claims: tuple[str, ...] = (),
    quiet: bool = False,
) -> int:
    from factcheck.commands import emit_error_document

    if summary and output_format != "markdown":
        raise FactcheckError("--summary is a markdown summary: leave out --format")
    try:
        report, protected = _report(
            paths,
            article=article,
            from_json=from_json,
            fail_on=fail_on,
            mode=mode,
            config=config,
            link_flags=link_flags,
            claims=claims,
            quiet=quiet,
        )
    except FactcheckError as exc:
        emit_error_document(
            "report", exc, output_format, output, [*(paths or []), article, from_json]
        )
        raise
    _render(
        report, protected, output=output, output_format=output_format, summary=summary, quiet=quiet
    )
    return report.exit_code


def _report(
    paths: list[Path] | None,
    *,
    article: Path | None,
    from_json: Path | None,
    fail_on: str | None,
    mode: str | None,
    config: Path | None,
    link_flags: object | None,
    claims: tuple[str, ...],
    quiet: bool,
) -> tuple[Report, list[Path]]:
    from factcheck.commands import LinkFlags, check, parse_choice

    if from_json is not None:
        report, protected = _saved(
            from_json,
            paths,
            article=article,
            mode=mode,
            config=config,
            claims=claims,
            link_flags=link_flags,
            fail_on=parse_choice(fail_on, FailOn, "--fail-on"),
        )
    else:
        assert link_flags is None or isinstance(link_flags, LinkFlags)
        report, protected = check(
            "report",
            paths or [Path("claims.yaml")],
            article=article,
            fail_on=fail_on,
            mode=mode,
            config=config,
            link_flags=link_flags or LinkFlags(),
            claims=claims,
            quiet=quiet,
        )
    return report, protected


def _render(
    report: Report,
    protected: list[Path],
    *,
    output: Path | None,
    output_format: str,
    summary: bool,
    quiet: bool = False,
) -> None:
    from factcheck.commands import render_report
    from factcheck.output import emit
    from factcheck.render.common import verdict

    if summary or output is not None or output_format != "markdown":
        if summary:
            from factcheck.render.markdown import render_summary

            text = render_summary(report)
        else:
            text = render_report(report, output_format)
        emit(text, output, protected=protected)
        if output_format == "github":
            from factcheck.render.github import append_step_summary

            append_step_summary(report)
    else:
        for target in write_reports(report, protected):
            if not quiet:
                print(f"factcheck: wrote {target.as_posix()}", file=sys.stderr)
    print(f"factcheck: {verdict(report)}", file=sys.stderr)


def _saved(
    from_json: Path,
    paths: list[Path] | None,
    *,
    article: Path | None,
    mode: str | None,
    config: Path | None,
    claims: tuple[str, ...],
    link_flags: object | None,
    fail_on: FailOn | None,
) -> tuple[Report, list[Path]]:
    """The saved report, re-gated at ``--fail-on`` when given; options that need a new
    check are refused rather than silently ignored."""
    from factcheck.report.json import read_report, regate

    given = [
        flag
        for flag, value in (
            ("PATH", paths),
            ("--article", article),
            ("--mode", mode),
            ("--config", config),
            ("--claim", claims),
            ("link options", getattr(link_flags, "given", dict)()),
        )
        if value
    ]
    if given:
        raise FactcheckError(
            f"--from renders a saved report without checking again: leave out {', '.join(given)}"
        )
    report = read_report(from_json)
    if fail_on is not None:
        report = regate(report, fail_on)
    return report, [from_json]
