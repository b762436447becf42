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

from .conftest import golden, sample_report


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


# --------------------------------------------------------------------------- what an editor sees


def test_header_says_what_was_checked_when_and_the_verdict() -> None:
    text = markdown.render(sample_report())
    head = text.split("## Summary")[0]
    assert text.startswith("# Fact-check: Budget 2026: the city's numbers\n")
    assert "❌ **Not publishable:** pending claim (FC601); contradicted claim" in head
    assert "[Budget 2026: the city's numbers](https://news.example.com/budget-2026)" in head
    assert "The Example Gazette, published 2026-03-02" in head
    assert "**Mode:** draft" in head
    assert "2026-11-18 11:06 UTC" in head
    assert "`drafts/article.md`" in head
    assert "`timeout` = `10` (from factcheck.toml)" in head


def test_summary_counts_and_share_of_fully_checked_claims() -> None:
    text = markdown.render(sample_report())
    assert (
        "- **Claims:** 6: 1 supported, 1 partially supported, 1 contradicted, 1 unverified" in text
    )
    assert "- **Links:** 6 distinct URLs: 5 ok, 1 warning, 1 broken, 0 skipped" not in text
    assert "- **Links:** 6 distinct URLs: 4 ok, 1 warning, 1 broken, 0 skipped" in text
    assert "- **Findings:** 2 errors, 4 warnings" in text
    # C001 only: C002 has a near quote, C003 a broken link, C004 a bot-blocked one.
    assert "1 of 4 claims with evidence (25%) have every link ok and every quote found" in text


def test_claims_table_links_to_a_section_per_claim() -> None:
    text = markdown.render(sample_report())
    assert (
        "| [C003](#claim-c003) | contradicted | The tram line to the airport opens in 2027. "
        "| 1 | ❌ broken | ✅ found |"
    ) in text
    assert '### <a name="claim-c003"></a>C003: contradicted' in text
    parsed = elements(text)
    anchors = {a.get("name") for tag, a in parsed.tags if tag == "a" and a.get("name")}
    targets = {
        a["href"][1:] for tag, a in parsed.tags if tag == "a" and (a.get("href") or "")[:1] == "#"
    }
    assert targets and targets <= anchors


def test_claim_section_has_quote_rationale_evidence_and_findings() -> None:
    text = markdown.render(sample_report())
    section = text.split('<a name="claim-c003"></a>')[1].split("### ")[0]
    assert "> The tram line to the airport opens in 2027." in section
    assert "- **Rationale:** The transport authority now says 2029." in section
    assert "- Link: ❌ broken: http-status (HTTP 404)" in section
    assert "- Quote: ✅ found on the archive copy only" in section
    assert (
        "- Archive copy: [archived page](https://web.archive.org/web/2026/https://transport"
        in section
    )
    assert "❌ error FC602 at `claims.yaml:41:9`" in section


def test_near_quote_shows_score_and_the_page_wording() -> None:
    text = markdown.render(sample_report())
    assert "⚠️ near (93.4% similar); closest passage on the page: “education spending grows" in text


def test_findings_most_severe_first() -> None:
    text = markdown.render(sample_report())
    table = text.split("## All findings")[1]
    codes = re.findall(r"\| (FC\d{3}) \|", table)
    assert codes == ["FC602", "FC601", "FC502", "FC503", "FC603", "FC402"]


def test_secret_query_parameters_are_masked() -> None:
    text = markdown.render(sample_report())
    assert "s3cr3t" not in text
    assert "token=***" in text


def test_offline_report_says_which_columns_stay_empty() -> None:
    report = sample_report()
    offline = replace(report, gate=replace(report.gate, offline=True))
    text = markdown.render(offline)
    assert "Offline run: links and quotes not checked." in text
    assert "The Links and Quotes columns stay empty until a run with web access" in text
    assert "- **Fully checked:** not measured" in text


def test_review_mode_verdict_says_what_the_fact_check_found() -> None:
    report = sample_report()
    review = replace(
        report,
        files=[replace(report.files[0], mode="review")],
        findings=[f for f in report.findings if f.code not in {"FC602", "FC603"}],
        gate=Gate(False, "error", ["FC601"], False),
    )
    line = markdown.verdict_line(review)
    assert line.startswith("❌ **This fact-check is not finished:** pending claim (FC601).")
    assert "What the fact-check found, of 6 claims: 1 supported, 1 partially supported, " in line
    assert "1 contradicted, 1 unverified, 1 opinion, 1 pending." in line


def test_passing_verdict() -> None:
    report = replace(sample_report(), findings=[], gate=Gate(True, "error", [], False))
    assert markdown.verdict_line(report).startswith(
        "✅ **Publishable:** no finding blocks publication (--fail-on error)."
    )


def test_summary_lists_blocking_claims_and_stays_under_the_comment_limit() -> None:
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
    assert "**P00000** (pending, `claims.yaml:1`)" in text
    assert re.search(r"- … and \d+ more: see the full report", text)
    small = markdown.render_summary(report)
    assert "**C006** (pending, `claims.yaml:62`)" in small
    assert "**C003** (contradicted" in small
    assert "C004" not in small.split("**Blocking")[1]  # a warning does not block


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
            stance=HOSTILE,
            quote_text=HOSTILE,
            quote_translation=HOSTILE,
            archive_url="data:text/html,<script>alert(1)</script>",
            original_url="https://user:pass@evil.example/x?api_key=k&q=1",
            link=LinkInfo("warning", HOSTILE, 403, "javascript:alert(2)", HOSTILE),
            quote=QuoteInfo("near", HOSTILE, 91.0, "live", HOSTILE),
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
        # Every table row has as many cells as its header (two tables: 6 and 5 columns).
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
    assert text.startswith("# Fact-check report: 2 claims files")
    assert "### `a/claims.yaml`" in text and "### `b/claims.yaml`" in text
    assert '<a name="claim-f1-c001">' in text and '<a name="claim-f2-c001">' in text
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
