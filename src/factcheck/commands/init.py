"""``factcheck init``: a new claims file, drafted from the article when there is one.

A fact-checker should start from the article, not from a blank file: every check-worthy
sentence (:mod:`factcheck.coverage`'s definition: a number, a month, a currency or percent
sign, or names) becomes a ``pending`` claim whose quote is the sentence's own words, so each
quote is anchored in the article from the first ``factcheck validate``.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from factcheck.article import HTML_SUFFIXES, ArticleSource, ArticleText, read_article_file
from factcheck.errors import FactcheckError
from factcheck.load.model import Mode
from factcheck.output import notice
from factcheck.text import normalise
from factcheck.urls import url_problem

#: The schema file the modeline names, beside the claims file (``factcheck schema`` writes it).
SCHEMA_FILE = "claims.schema.json"
PLACEHOLDER_TITLE = "TODO: the article's title"
PLACEHOLDER_URL = "https://example.com/TODO-the-article-address"
PLACEHOLDER_PUBLISHER = "TODO: the publisher"


@dataclass(frozen=True)
class InitOptions:
    output: Path = Path("claims.yaml")
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    article: Path | None = None
    mode: Mode | None = None
    force: bool = False


@dataclass(frozen=True)
class DraftClaim:
    id: str
    quote: str
    section: str | None
    line: int | None


@dataclass(frozen=True)
class Draft:
    claims: tuple[DraftClaim, ...]
    #: Check-worthy sentences left out because their words occur more than once.
    repeated: tuple[str, ...] = ()


# ----------------------------------------------------------------------------- drafting


def draft_claims(
    article: ArticleText, *, title: str | None = None, markdown: str | None = None
) -> Draft:
    """One pending claim per check-worthy sentence, its quote unique in the article.

    A sentence whose words occur again elsewhere would anchor twice (FC302); it is extended
    with the sentence after it when that makes it unique, else left out and counted. With the
    ``markdown`` source, each claim gets the line its sentence starts on, not its paragraph's.
    """
    from factcheck.coverage import measure, why_check_worthy, with_source_lines

    measured = measure(article, [], title=title)
    sentences = measured.sentences
    exact = with_source_lines(measured, markdown).sentences if markdown else sentences
    # An HTML page is one block: its title heading runs into the first sentence.
    heading = normalise(title) + " " if title else None
    claims: list[DraftClaim] = []
    repeated: list[str] = []
    skip_next = False
    for index, sentence in enumerate(sentences):
        if skip_next:
            skip_next = False
            continue
        start, end = sentence.start, sentence.end
        if heading and article.text.startswith(heading, start):
            start += len(heading)
        if not why_check_worthy(article.text[start:end]):
            continue
        if len(article.occurrences(article.text[start:end])) > 1:
            following = sentences[index + 1] if index + 1 < len(sentences) else None
            if following is None or following.line != sentence.line:
                repeated.append(sentence.text)
                continue
            end = following.end
            if len(article.occurrences(article.text[start:end])) > 1:
                repeated.append(sentence.text)
                continue
            skip_next = True
        sections = article.sections_at(start)
        claims.append(
            DraftClaim(
                id=f"C{len(claims) + 1:03d}",
                quote=article.text[start:end],
                section=sections[-1].title if sections else None,
                line=exact[index].line,
            )
        )
    return Draft(tuple(claims), tuple(repeated))


def article_heading(path: Path) -> str | None:
    """The article's own title: its first level-one heading (markdown) or ``<h1>``/``<title>``."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if path.suffix.lower() in HTML_SUFFIXES:
        from factcheck.extract import extract_page

        page = extract_page(data, "text/html")
        return page.h1 or page.title
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(data.decode("utf-8-sig", errors="replace"))
    for opening, inline in itertools.pairwise(tokens):
        if opening.type == "heading_open" and opening.tag == "h1":
            return inline.content.strip() or None
    return None


# ----------------------------------------------------------------------------- writing

_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes are YAML's; YAML's unprintables escaped)."""
    quoted = json.dumps(value, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted)


def _relative_text_path(article: Path, claims_dir: Path) -> str | None:
    """``article`` as ``article.text`` for a claims file in ``claims_dir``: a path inside the
    claims file's directory tree (README, "claims.yaml reference"), else None."""
    base = Path(os.path.realpath(claims_dir))
    target = Path(os.path.realpath(article))
    if not target.is_relative_to(base):
        return None
    return target.relative_to(base).as_posix()


_HEADER = f"""\
# yaml-language-server: $schema={SCHEMA_FILE}
# The line above turns on completion and inline errors in editors with the YAML language
# server (VS Code's YAML extension, for instance). It names the schema file `factcheck init`
# writes beside this one; after an upgrade:  factcheck schema > {SCHEMA_FILE}
#
# A factcheck claims file: one entry per factual claim of the article, with the article's
# exact words, a status, a rationale and the evidence. Check it offline with
# `factcheck validate`, with every link and quoted passage with `factcheck verify`.
"""

_MODES = {
    Mode.DRAFT: "draft: our own article before publication (pending and contradicted "
    "claims block it)",
    Mode.REVIEW: "review: someone else's published article (contradicted and unverified "
    "claims are findings, not defects)",
}

_DRAFTED = """\
  # Drafted by `factcheck init` from {article}: one pending claim per check-worthy sentence
  # (a number, a date, a currency or percent sign, or names). For each claim: trim the quote
  # to the shortest span that carries the claim, add evidence (url, title, publisher and the
  # passage you saw as its quote), then set status and rationale. Delete what needs no check.
"""

_EXAMPLE = """\
claims: []
# Replace `[]` above with your claims, for instance:
#   - id: C001
#     quote: "The council approved a budget of 4.2 million on 12 March."
#     status: supported   # supported | partially_supported | contradicted | unverified | opinion | pending
#     rationale: The council's minutes record the vote of 12 March and the amount.
#     evidence:
#       - url: https://example.com/council/minutes-2024-03-12
#         title: Minutes of the council meeting of 12 March
#         publisher: Example Town Council
#         quote: "approved a budget of 4.2 million"
"""  # noqa: E501


def claims_file_text(
    options: InitOptions,
    *,
    title: str,
    text_path: str | None,
    draft: Draft | None,
) -> str:
    mode = options.mode or Mode.DRAFT
    lines = [_HEADER.rstrip("\n"), "version: 1", f"mode: {mode.value}   # {_MODES[mode]}"]
    lines.append("article:")
    lines.append(f"  title: {yaml_string(title)}")
    lines.append(f"  url: {yaml_string(options.url or PLACEHOLDER_URL)}")
    lines.append(f"  publisher: {yaml_string(options.publisher or PLACEHOLDER_PUBLISHER)}")
    if text_path is not None:
        lines.append(f"  text: {yaml_string(text_path)}   # the local copy quotes are anchored in")
    elif options.article is not None:
        lines.append(
            f"  # text: the article ({options.article.as_posix()}) is outside this file's "
            "directory: pass --article to validate and verify"
        )
    if mode is Mode.REVIEW:
        lines.append("# review:   # who publishes this fact-check (for the ClaimReview export)")
        lines.append("#   publisher: {name: Your newsroom, url: https://example.com}")
        lines.append("#   url: https://example.com/fact-checks/this-article")
    if draft is None or not draft.claims:
        lines.append(_EXAMPLE.rstrip("\n"))
        return "\n".join(lines) + "\n"
    lines.append("claims:")
    lines.append(_DRAFTED.format(article=(options.article or Path("the article")).as_posix()))
    for claim in draft.claims:
        where = f"   # article line {claim.line}" if claim.line else ""
        lines.append(f"  - id: {claim.id}{where}")
        lines.append(f"    quote: {yaml_string(claim.quote)}")
        if claim.section:
            lines.append(f"    section: {yaml_string(claim.section)}")
        lines.append("    status: pending")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# ----------------------------------------------------------------------------- the command


def run(options: InitOptions) -> int:
    from factcheck.output import emit

    to_stdout = str(options.output) == "-"
    target = options.output
    if not to_stdout:
        if target.is_dir():
            raise FactcheckError("-o needs a file name, this is a directory", location=str(target))
        if target.exists() and not options.force:
            raise FactcheckError(
                "already exists; pass --force to overwrite it", location=str(target)
            )
    if options.url is not None and (problem := url_problem(options.url)):
        raise FactcheckError(f"--url {problem}")
    draft = None
    heading = None
    text_path = None
    if options.article is not None:
        source = read_article_file(options.article, ArticleSource.OPTION)
        heading = article_heading(options.article)
        draft = draft_claims(source.parse(), title=heading, markdown=source.markdown)
        claims_dir = Path.cwd() if to_stdout else target.absolute().parent
        text_path = _relative_text_path(options.article, claims_dir)
    title = options.title or heading or PLACEHOLDER_TITLE
    text = claims_file_text(options, title=title, text_path=text_path, draft=draft)
    protected = [p for p in [options.article] if p]
    emit(text, None if to_stdout else target, protected=protected)
    _report(options, draft, title)
    if not to_stdout:
        _write_schema(target.absolute().parent / SCHEMA_FILE, protected, force=options.force)
    return 0


def _write_schema(path: Path, protected: list[Path], *, force: bool) -> None:
    """``claims.schema.json`` beside the claims file, so the modeline's editor support works
    at once; an existing, different one is kept unless ``--force``."""
    from factcheck.commands.schema import claims_schema
    from factcheck.output import emit

    text = json.dumps(claims_schema(), indent=2) + "\n"
    try:
        current = path.read_text(encoding="utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError):
        current = None
    shown = path.name
    if current == text:
        return
    if path.exists() and not force:
        notice(f"kept the existing {shown} (`factcheck schema > {shown}` updates it)")
        return
    emit(text, path, protected=protected)
    notice(f"wrote {shown} beside it: the schema its first line names, for your editor")


def _report(options: InitOptions, draft: Draft | None, title: str) -> None:
    shown = "the claims file" if str(options.output) == "-" else options.output.as_posix()
    message = f"wrote {shown}"
    if draft is not None:
        count = len(draft.claims)
        message += (
            f" with {count} pending claim{'s' if count != 1 else ''} drafted from "
            f"{options.article.as_posix() if options.article else 'the article'}"
        )
        if draft.repeated:
            message += (
                f" ({len(draft.repeated)} check-worthy sentence"
                f"{'s' if len(draft.repeated) != 1 else ''} left out: "
                "their words occur more than once)"
            )
    notice(message)
    todo = [
        name
        for name, value in (
            ("--title", title if title != PLACEHOLDER_TITLE else None),
            ("--url", options.url),
            ("--publisher", options.publisher),
        )
        if value is None
    ]
    if todo:
        notice(
            f"fill in the article's {', '.join(t[2:] for t in todo)} (or pass {', '.join(todo)})"
        )
    notice("next: check each claim, then run `factcheck validate` (offline) and `factcheck verify`")
