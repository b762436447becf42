"""The markdown report: what an editor reads, rendered as GitHub would, and hostile input."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from factcheck.findings import Finding, Location, Severity
from factcheck.render import markdown
from factcheck.report import (
    ClaimReport,
    EvidenceReport,
    FileReport,
    Gate,
    LinkInfo,
    QuoteInfo,
    Report,
)
from tests.conftest import Cli

from .conftest import REPO, golden, sample_report


def html_of(text: str) -> str:
    """The markdown as GitHub-flavoured HTML (tables and strikethrough on, raw HTML kept)."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text)


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows: list[int] = []
        self._cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self._cells = 0
        if tag in {"td", "th"}:
            self._cells += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.rows.append(self._cells)


def elements(text: str) -> Elements:
    parser = Elements()
    parser.feed(html_of(text))
    return parser


# --------------------------------------------------------------------------- goldens


def test_full_report_golden() -> None:
    golden("sample.md", markdown.render(sample_report()))


def test_summary_golden() -> None:
    golden("sample-summary.md", markdown.render_summary(sample_report()))


def test_review_report_golden() -> None:
    golden("sample-review.md", markdown.render(review(sample_report())))


# --------------------------------------------------------------------------- what an editor sees


def first_screen(text: str) -> str:
    """What a reader sees before opening a fold, up to the claims by section (as HTML)."""
    html = html_of(text)
    closed = re.sub(r"(?s)<details><summary>(.*?)</summary>.*?</details>", r"<p>\1</p>", html)
    return closed.split("<h2>Claims by section</h2>")[0]


def visible_words(html: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_opens_with_what_must_be_done() -> None:
    text = markdown.render(sample_report())
    headings = re.findall(r"^#{1,3} (.+)$", text, flags=re.M)
    assert headings[:7] == [
        "Fact-check: Budget 2026: the city's numbers",
        "Corrections",
        "Contradicted by the evidence (1)",
        "Only partly right (1)",
        "What we could not confirm (1)",
        "What blocks the gate",
        "What holds up",
    ]
    assert headings[-1] == "About this check"
    lines = text.splitlines()
    assert lines[2] == "**Not ready to publish: 1 claim contradicted, 1 unchecked.**"
    assert lines[4].startswith("The CI gate fails: 2 problems at the “error” level or above")


def test_a_correction_has_the_articles_words_what_the_evidence_shows_and_the_source() -> None:
    text = markdown.render(sample_report())
    corrections = text.split("## Corrections")[1].split("## What we could not confirm")[0]
    assert "**The article says:** “The tram line to the airport opens in 2027.”" in corrections
    assert "**The evidence shows:** The transport authority now says 2029." in corrections
    # Found on the archive copy only: the link lands on the passage there.
    assert (
        "**Source:** [Tram timetable](https://web.archive.org/web/2026/https://transport.example"
        ".org/tram#:~:text=opening%20is%20now%20planned%20for%202029), Transport Authority"
    ) in corrections
    assert (
        "- [C002](#claim-c002) “Spending on schools rises by 4 percent” — The rise is 3.6 "
        "percent; the article rounds up."
    ) in corrections


def test_what_blocks_the_gate_is_in_plain_words_without_codes() -> None:
    text = markdown.render(sample_report())
    section = text.split("## What blocks the gate")[1].split("## What holds up")[0]
    assert "- [C006](#claim-c006) “Class sizes will fall to 24 pupils.”: not checked yet." in (
        section
    )
    assert "**To do:** check the claim and give it a status." in section
    assert "correct the article where it says so" in section
    assert re.search(r"FC\d{3}", section) is None
    # Warnings do not block at --fail-on error: the bot-blocked link is not listed.
    assert "C004" not in section


def test_what_holds_up_and_the_claims_by_section_folded() -> None:
    text = markdown.render(sample_report())
    holds = text.split("## What holds up")[1].split("## Claims by section")[0]
    assert "1 of the 6 claims is supported by the evidence; every link works and every " in holds
    assert "1 claim is opinion, not checked as fact (listed apart below)." in holds
    by_section = text.split("## Claims by section")[1].split("## About this check")[0]
    summaries = re.findall(r"<details><summary>(.*?)</summary>", by_section)
    assert summaries == [
        "<em>Before the first heading</em>: 2 claims (1 supported, 1 could not be confirmed)",
        "<strong>Schools</strong>: 2 claims (1 partly right, 1 not checked yet)",
        "<strong>Transport</strong>: 1 claim (1 contradicted)",
        "<strong>Opinion</strong>: 1 claim, not checked as fact",
    ]
    c003 = by_section.split('<a name="claim-c003"></a>')[1].split("</details>")[0]
    assert "> The tram line to the airport opens in 2027." in c003
    assert "- **Why:** The transport authority now says 2029." in c003
    assert "link: ❌ broken: http-status (HTTP 404)" in c003
    assert "passage: ✅ found on the archive copy only" in c003


def test_settings_codes_and_positions_come_last() -> None:
    text = markdown.render(sample_report())
    before, about = text.split("## About this check")
    assert "claims.yaml:" not in before and "FC60" not in before
    assert "`timeout` = `10` (from factcheck.toml)" in about
    assert "2026-11-18 11:06 UTC" in about and "`drafts/article.md`" in about
    codes = re.findall(r"\| (FC\d{3}) \|", about)
    assert codes == ["FC602", "FC601", "FC502", "FC503", "FC603", "FC402"]
    assert "| [C006](#claim-c006) | pending | `claims.yaml:62` |" in about
    parsed = elements(text)
    anchors = {a.get("name") for tag, a in parsed.tags if tag == "a" and a.get("name")}
    targets = {
        a["href"][1:] for tag, a in parsed.tags if tag == "a" and (a.get("href") or "")[:1] == "#"
    }
    assert targets and targets <= anchors


def test_near_quote_shows_score_and_the_page_wording() -> None:
    text = markdown.render(sample_report())
    assert "⚠️ near (93.4% similar); closest passage on the page: “education spending grows" in text


def test_secret_query_parameters_are_masked() -> None:
    text = markdown.render(sample_report())
    assert "s3cr3t" not in text
    assert "token=***" in text


def test_offline_report_says_links_and_quotes_were_not_checked() -> None:
    report = sample_report()
    offline = replace(report, gate=replace(report.gate, offline=True))
    text = markdown.render(offline)
    assert "Links and quotes were not checked (offline run)." in text.splitlines()[4]
    assert "- **Links and quotes:** not checked (offline run)" in text
    assert "link: " not in text and "passage: " not in text


def review(report: Report, **changes: object) -> Report:
    return replace(
        report,
        files=[replace(report.files[0], mode="review")],
        findings=[f for f in report.findings if f.code not in {"FC602", "FC603"}],
        gate=Gate(False, "error", ["FC601"], False),
        **changes,  # type: ignore[arg-type]
    )


def test_review_bottom_line_says_what_the_article_gets_wrong() -> None:
    line = markdown.render(review(sample_report())).splitlines()[2]
    assert line == (
        "**The article makes 1 claim the evidence contradicts and 1 that is only partly right, "
        "but the fact-check is not finished: 1 claim is not checked yet.**"
    )
    finished = review(
        sample_report(),
        claims=[c for c in sample_report().claims if c.status != "pending"],
    )
    finished = replace(finished, findings=[], gate=Gate(True, "error", [], False))
    text = markdown.render(finished)
    assert text.splitlines()[2] == (
        "**The article makes 1 claim the evidence contradicts and 1 that is only partly right.**"
    )
    # A passing gate is its own line, never the headline.
    assert text.splitlines()[4] == ("The CI gate passes: no problem at the “error” level or above.")


def test_draft_bottom_line_says_whether_it_may_be_published() -> None:
    report = replace(sample_report(), findings=[], gate=Gate(True, "error", [], False))
    assert markdown.render(report).splitlines()[2] == (
        "**Ready to publish: nothing blocks it. 1 claim could not be confirmed (listed below).**"
    )
    offline = replace(report, gate=Gate(True, "error", [], True))
    assert (
        markdown.render(offline)
        .splitlines()[2]
        .startswith(
            "**Not known yet whether it may be published: links and quotes were not checked"
        )
    )


def many_corrections(n: int = 400) -> Report:
    """A review with hundreds of long corrections, unconfirmed claims and blockers."""
    base = sample_report()
    statuses = ["contradicted", "partially_supported", "unverified", "pending"]
    claims = []
    findings = []
    for i in range(n):
        status = statuses[i % 4]
        template = base.claims[{0: 2, 1: 1, 2: 3, 3: 5}[i % 4]]
        claim = replace(
            template,
            id=f"C{i:04d}",
            status=status,
            line=10 * i + 1,
            quote=f"Claim {i} says the figure was {i} percent higher " * 3,
            rationale=("The evidence shows a different figure for that year entirely " * 6)
            + ". A second sentence that is not shown on the first screen.",
        )
        claims.append(claim)
        if status == "pending":
            findings.append(
                Finding(
                    "FC601",
                    "claim is still pending",
                    Location("claims.yaml", 10 * i + 1, 5),
                    claim=claim.id,
                    severity=Severity.ERROR,
                )
            )
    return replace(
        base,
        files=[replace(base.files[0], mode="review")],
        claims=claims,
        findings=findings,
        gate=Gate(False, "error", [f"FC601 ×{len(findings)}"], False),
    )


def test_the_first_screen_stays_under_1500_words_and_folds_say_how_many() -> None:
    text = markdown.render(many_corrections())
    assert visible_words(first_screen(text)) < 1500
    assert visible_words(html_of(text).split("<details>")[0]) < 1500
    folds = re.findall(r"<details><summary>(\d+) more ([a-z ]+)</summary>", text)
    assert [label for _, label in folds] == [
        "contradicted claims",
        "partly right claims",
        "unconfirmed claims",
        "items",
    ]
    # Every list still shows its first items, and nothing is lost in the folds.
    for heading, total in (
        ("Contradicted by the evidence", 100),
        ("Only partly right", 100),
        ("What we could not confirm", 100),
    ):
        assert f"{heading} ({total})" in text
    assert (
        sum(int(n) for n, _ in folds)
        + len(re.findall(r"^- \[C\d{4}\]", first_screen_markdown(text), flags=re.M))
        == 400
    )


def first_screen_markdown(text: str) -> str:
    shown = re.sub(r"(?s)<details><summary>.*?</details>", "", text)
    return shown.split("## Claims by section")[0]


def test_summary_is_the_first_screen_in_short_and_stays_under_the_comment_limit() -> None:
    report = sample_report()
    many = [
        replace(report.claims[5], id=f"P{i:05d}", quote="Pending words " * 12, line=i + 1)
        for i in range(3000)
    ]
    findings = [
        Finding(
            "FC601",
            "claim is still pending " * 5,
            Location("claims.yaml", i + 1, 5),
            claim=f"P{i:05d}",
            severity=Severity.ERROR,
        )
        for i in range(3000)
    ]
    big = replace(
        report, claims=many, findings=findings, gate=Gate(False, "error", ["FC601 ×3000"], False)
    )
    text = markdown.render_summary(big)
    assert len(text) < markdown.SUMMARY_LIMIT
    assert "- **P00000** “Pending words" in text and "(`claims.yaml:1`)" in text
    assert re.search(r"- … and \d+ more: see the full report", text)
    small = markdown.render_summary(report)
    assert small.splitlines()[2] == "**Not ready to publish: 1 claim contradicted, 1 unchecked.**"
    assert "**What blocks the gate (2):**" in small
    assert "- **C006** “Class sizes will fall to 24 pupils.”: not checked yet." in small
    assert "**Corrections:** 1 contradicted (C003); 1 only partly right (C002)" in small
    assert "C004" not in small.split("**What blocks the gate")[1]  # a warning does not block


def test_no_machine_local_paths() -> None:
    report = sample_report("/home/someone/work/claims.yaml")
    report = replace(
        report,
        files=[
            replace(report.files[0], article_origin="/home/someone/work/drafts/article.md"),
        ],
        settings=[replace(report.settings[0], name="cache_dir", value="/home/someone/.cache/fc")],
    )
    text = markdown.render(report)
    assert "/home/someone" not in text
    assert "- **Claims file:** `claims.yaml`" in text
    assert "`drafts/article.md`" in text  # inside the claims file's tree: relative to it
    outside = replace(report, files=[replace(report.files[0], article_origin="../x/article.md")])
    assert "`article.md`" in markdown.render(outside)


# --------------------------------------------------------------------------- hostile input

HOSTILE = (
    "x | y <script>alert(1)</script> [click](javascript:alert(1)) ![i](http://e/i.png) "
    "\u202eevil\u202c `tick` *bold* _it_ $x$ :100: www.evil.example http://evil.example/x "
    "a@b.example @everyone &amp; &#60;b&#62;"
)


def hostile_report() -> Report:
    evidence = (
        EvidenceReport(
            "javascript:alert(1)",
            3,
            3,
            title=HOSTILE,
            publisher=HOSTILE,
            # Stance, link reason and quote reason are closed sets (a saved report with other
            # words is refused when read); the free text around them carries the hostile input.
            stance="context",
            quote_text=HOSTILE,
            quote_translation=HOSTILE,
            archive_url="data:text/html,<script>alert(1)</script>",
            original_url="https://user:pass@evil.example/x?api_key=k&q=1",
            link=LinkInfo("warning", "bot-blocked", 403, "javascript:alert(2)", HOSTILE),
            quote=QuoteInfo("near", None, 91.0, "live", HOSTILE),
        ),
        EvidenceReport(
            "https://ok.example/a b)c|d<e>",
            4,
            3,
            title=None,
            link=LinkInfo("ok", "redirected", 200, "https://ok.example/(x)"),
        ),
    )
    claim = ClaimReport(
        "evil|`name`.yaml",
        "C1|<b>",
        "supported",
        2,
        1,
        "# heading\n- item\n> quote " + HOSTILE,
        assertion=HOSTILE,
        section=HOSTILE,
        rationale=HOSTILE + "\n\n| a | b |\n|---|---|",
        evidence=evidence,
    )
    return Report(
        command="verify",
        tool_version="0.1.0",
        checked_at="2026-11-18T11:06:40+00:00",
        files=[
            FileReport(
                "evil|`name`.yaml",
                "draft",
                {
                    "title": HOSTILE,
                    "url": "javascript:alert(3)",
                    "publisher": HOSTILE,
                    "authors": [HOSTILE],
                },
                "option",
                False,
                ["FC401"],
                article_origin=HOSTILE,
            )
        ],
        claims=[claim],
        links=[],
        findings=[
            Finding(
                "FC401",
                HOSTILE,
                Location("evil|`name`.yaml", 3, 3),
                claim="C1|<b>",
                severity=Severity.ERROR,
                article_line=7,
            ),
            Finding("FC102", HOSTILE, Location("evil|`name`.yaml", 1, 1), severity=Severity.ERROR),
        ],
        gate=Gate(False, "error", ["FC401", "<b>x</b>"], False),
        links_checked=True,
    )


def test_hostile_text_cannot_inject_html_links_or_break_tables() -> None:
    for text in (markdown.render(hostile_report()), markdown.render_summary(hostile_report())):
        parsed = elements(text)
        tags = {tag for tag, _ in parsed.tags}
        # Only the elements markdown itself produces; no script, img, b or stray HTML.
        assert tags <= {
            "h1",
            "h2",
            "h3",
            "h4",
            "details",
            "summary",
            "p",
            "br",
            "ul",
            "ol",
            "li",
            "strong",
            "em",
            "a",
            "code",
            "blockquote",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "hr",
        }, tags
        for tag, attrs in parsed.tags:
            if tag == "a" and "href" in attrs:
                href = attrs["href"] or ""
                assert href.startswith(("https://", "http://", "#claim-")), href
                assert "evil.example" not in href or "***" in href
            if tag == "a" and "name" in attrs:
                assert re.fullmatch(r"claim-[a-z0-9-]+", attrs["name"] or "")
        assert "<em>it</em>" not in html_of(text) and "<strong>bold" not in html_of(text)
        # Every table row has as many cells as its header (two tables: 5 and 3 columns).
        assert len(set(parsed.rows)) <= 2
        assert "\u202e" not in text and "\u202c" not in text
        assert "pass@" not in text and "api_key=k" not in text


def test_hostile_table_rows_keep_their_cells() -> None:
    text = markdown.render(hostile_report())
    for table in re.findall(r"((?:^\|.*\|\n)+)", text, flags=re.M):
        parsed = elements(table)
        assert len(set(parsed.rows)) == 1, table


def test_autolinks_math_and_emoji_are_defused() -> None:
    escaped = markdown.text(
        "see http://evil.example and www.evil.example, $1 and $2, :100: a@b.example"
    )
    html = html_of(escaped)
    assert "<a" not in html
    assert escaped.count("\\$") == 2 and "\\@\u2060b" in escaped
    assert "http\\://" in escaped and "www\\." in escaped
    # GitHub matches emoji short codes and mentions in the rendered text: a word joiner breaks
    # them up without changing what a reader sees.
    assert re.search(r":[a-z0-9]+:", html) is None
    assert re.search(r"@[a-z]", html_of(markdown.text("ping @everyone now"))) is None


def test_block_quote_cannot_start_a_heading_or_list() -> None:
    for start in ("# h", "- item", "+ item", "1. item", "> q", "=== x"):
        html = html_of(f"> {markdown.block_text(start)}")
        assert "<h1>" not in html and "<li>" not in html and html.count("<blockquote>") == 1


def test_only_http_urls_become_links() -> None:
    assert markdown.link("t", "javascript:alert(1)") == "t"
    assert markdown.link("t", "mailto:a@b.example") == "t"
    assert markdown.link(None, "ftp://x.example/f") == "ftp\\://x.example/f"
    assert markdown.link("t", "https://x.example/a b") == "[t](https://x.example/a%20b)"
    assert markdown.link("t", "https://u:p@x.example/") == "[t](https://***@x.example/)"


def test_code_spans_hold_backticks() -> None:
    assert markdown.code("a`b") == "``a`b``"
    assert markdown.code("`x`") == "`` `x` ``"
    assert markdown.code("a|b", in_table=True) == "`a\\|b`"
    assert html_of(markdown.code("a``b")).count("<code>") == 1


def test_multi_file_report_has_one_header_per_file_and_distinct_anchors() -> None:
    first = sample_report("a/claims.yaml")
    second = sample_report("b/claims.yaml")
    both = replace(
        first,
        files=first.files + second.files,
        claims=first.claims + second.claims,
        findings=sorted(first.findings + second.findings, key=Finding.sort_key),
    )
    text = markdown.render(both)
    assert text.startswith("# Fact-check: 2 claims files")
    assert "### `a/claims.yaml`" in text and "### `b/claims.yaml`" in text
    assert '<a name="claim-f1-c001">' in text and '<a name="claim-f2-c001">' in text
    assert "a/claims.yaml: <strong>Schools</strong>" in text
    golden("two-files.md", text)


def test_hostile_claims_file_through_the_cli(cli: Cli, tmp_path: Path) -> None:
    """A claims file written to attack the report: the report stays inert."""
    (tmp_path / "article.md").write_text("# T\n\nThe | pipe <b>bold</b> [x](javascript:y) claim.\n")
    (tmp_path / "claims.yaml").write_text(
        "version: 1\n"
        "article:\n"
        '  title: "<img src=x onerror=alert(1)> | [t](javascript:alert(1))"\n'
        "  url: javascript:alert(1)\n"
        '  publisher: "@everyone :100:"\n'
        "claims:\n"
        "  - id: C001\n"
        '    quote: "The | pipe <b>bold</b> [x](javascript:y) claim."\n'
        "    status: supported\n"
        '    rationale: "<script>alert(1)</script>\\n| a | b |"\n'
        "    evidence:\n"
        '      - url: "https://e.example/?session=abc&x=<y>"\n'
        '        title: "](javascript:alert(1)) <a href=x>"\n'
        "        publisher: P\n"
    )
    run = cli("report", "--offline", "--article", "article.md", "-o", "r.md")
    assert run.code in (0, 1), run.err
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    parsed = elements(text)
    assert {tag for tag, _ in parsed.tags} <= {
        "h1",
        "h2",
        "h3",
        "h4",
        "details",
        "summary",
        "br",
        "p",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "a",
        "code",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
    hrefs = [a["href"] for tag, a in parsed.tags if tag == "a" and a.get("href")]
    assert all(h.startswith(("https://", "#claim-")) for h in hrefs), hrefs
    assert "session=abc" not in text
    for table in re.findall(r"((?:^\|.*\|\n)+)", text, flags=re.M):
        assert len(set(elements(table).rows)) == 1, table


# --------------------------------------------------------------------------- the bundled report

LOCAL_PATH = re.compile(r"(?:^|[\s`(\"'])(?:/(?:home|tmp|work|srv|Users|root|var)/|\.\./|~/)")


def test_the_bundled_report_fits_the_first_screen_and_names_no_local_path() -> None:
    (bundled,) = (REPO / "reports").glob("*.md")
    text = bundled.read_text(encoding="utf-8")
    assert text.startswith("# Fact-check: Hello to Arms")
    assert text.splitlines()[2].startswith("**The article makes ")
    assert visible_words(first_screen(text)) < 1500
    assert LOCAL_PATH.search(text) is None, LOCAL_PATH.search(text)


def test_the_bundled_claims_render_within_the_budget(cli: Cli, tmp_path: Path) -> None:
    """The bundled fact-check as it is now (the committed report may lag behind it)."""
    run = cli("report", "--offline", "-o", str(tmp_path / "now.md"), cwd=REPO)
    assert run.code == 0, run.err
    text = (tmp_path / "now.md").read_text(encoding="utf-8")
    assert visible_words(first_screen(text)) < 1500
    assert LOCAL_PATH.search(text) is None
