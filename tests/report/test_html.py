"""The HTML report: one self-contained, printable file, inert whatever the claims file says."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factcheck.render import html, markdown
from tests.conftest import Cli

from .conftest import golden, sample_report, write_factcheck
from .test_markdown import HOSTILE, hostile_report, many_corrections, review

SLUG = "budget-2026-the-citys-numbers"


class Page(HTMLParser):
    """Every element with its attributes, and the text outside folds, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._closed_details = 0
        self._in_summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "details":
            self._closed_details += 1
        if tag == "summary":
            self._in_summary = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "details":
            self._closed_details -= 1
        if tag == "summary":
            self._in_summary = False

    def handle_data(self, data: str) -> None:
        if not self._closed_details or self._in_summary:
            self.text.append(data)


def parse(document: str) -> Page:
    page = Page()
    page.feed(document)
    return page


def first_screen_words(document: str) -> int:
    """Words a reader sees with every fold closed, up to the claims by section."""
    body = document.split("<body>", 1)[1].split('<section id="claims">')[0]
    return len(" ".join(parse(body).text).split())


# --------------------------------------------------------------------------- goldens


def test_html_goldens_draft_and_review() -> None:
    golden("sample.html", html.render(sample_report()))
    golden("sample-review.html", html.render(review(sample_report())))


def test_offline_run_writes_reports_slug_html(cli: Cli, fact_check: Path) -> None:
    run = cli("report", "--offline", "--article", "article.md", "--format", "html")
    assert run.code == 1 and run.out == ""
    assert f"factcheck: wrote reports/{SLUG}.html" in run.err
    document = (fact_check.parent / "reports" / f"{SLUG}.html").read_text(encoding="utf-8")
    golden("offline-report.html", document)
    assert "Links and quotes were not checked (offline run)." in document


def test_a_run_with_broken_links_and_missing_quotes(cli: Cli, tmp_path: Path, web: str) -> None:
    """Against the small web on 127.0.0.1: a 404, a redirect, and a passage not on its page."""
    claims = write_factcheck(tmp_path, base=web)
    text = claims.read_text(encoding="utf-8")
    claims.write_text(
        text.replace(
            "approved the budget of EUR 412 million", "rejected the budget by a wide margin"
        ),
        encoding="utf-8",
    )
    args = (
        "--article",
        "article.md",
        "--allow-cidr",
        "127.0.0.1/32",
        "--no-cache",
        "--timeout",
        "2",
        "--retries",
        "0",
        "--exclude",
        r"^https://web\.archive\.org/",
    )
    port = web.rsplit(":", 1)[1]
    md = cli("report", *args)
    assert md.code == 1, md.err
    report_md = (tmp_path / "reports" / f"{SLUG}.md").read_text(encoding="utf-8")
    golden("served-missing.md", report_md.replace(port, "PORT"))
    lines = report_md.splitlines()
    assert lines[2] == (
        "**Not ready to publish: 1 claim contradicted, 1 unchecked, 2 broken links, "
        "1 quote not on its page.**"
    )
    blocks = report_md.split("## What blocks the gate")[1].split("## What holds up")[0]
    assert "the quoted passage is not on “Council minutes, 28 February” (City Council)" in blocks
    assert "**To do:** copy the passage as the page reads now" in blocks
    assert "is broken (HTTP 404). **To do:** find where the page went" in blocks
    assert re.search(r"FC\d{3}", blocks) is None
    page = cli("report", *args, "--format", "html")
    assert page.code == 1, page.err
    document = (tmp_path / "reports" / f"{SLUG}.html").read_text(encoding="utf-8")
    golden("served-missing.html", document.replace(port, "PORT"))
    # The passage found on the tram page is one click away, highlighted.
    assert f'href="http://127.0.0.1:{port}/tram#:~:text=opening%20is%20now%20planned' in document


# --------------------------------------------------------------------------- structure


def test_same_sections_as_the_markdown_report() -> None:
    document = html.render(sample_report())
    headings = re.findall(r"<h[123]>(.*?)</h[123]>", document)
    assert headings == [
        "Fact-check: Budget 2026: the city&#39;s numbers",
        "Corrections",
        "Contradicted by the evidence (1)",
        "Only partly right (1)",
        "What we could not confirm (1)",
        "What blocks the gate",
        "What holds up",
        "Claims by section",
        "About this check",
    ]
    text = markdown.render(sample_report())
    bottom = "Not ready to publish: 1 claim contradicted, 1 unchecked."
    assert f'<p class="bottom-line">{bottom}</p>' in document
    assert "**Not ready to publish: 1 claim contradicted, 1 unchecked.**" in text
    ids = {a["id"] for _, a in parse(document).tags if a.get("id")}
    targets = {
        (a["href"] or "")[1:] for tag, a in parse(document).tags if (a.get("href") or "")[:1] == "#"
    }
    assert targets and targets <= ids


def test_self_contained_and_script_free() -> None:
    document = html.render(sample_report())
    tags = parse(document).tags
    assert not [t for t, _ in tags if t in {"script", "iframe", "object", "embed", "img", "link"}]
    assert all(
        not name.startswith("on") for _, attrs in tags for name in attrs
    )  # no event handlers
    assert "Content-Security-Policy" in document and "default-src 'none'" in document
    assert "@media print" in document


def test_the_first_screen_stays_under_1500_words() -> None:
    assert first_screen_words(html.render(many_corrections())) < 1500
    document = html.render(many_corrections())
    assert re.findall(r"<summary>(\d+) more ([a-z ]+)</summary>", document)


def test_no_machine_local_paths() -> None:
    report = sample_report("/home/someone/work/claims.yaml")
    report = replace(
        report,
        files=[replace(report.files[0], article_origin="/srv/checkouts/drafts/article.md")],
    )
    document = html.render(report)
    assert "/home/someone" not in document and "/srv/" not in document
    assert "<code>claims.yaml</code>" in document and "article.md" in document


# --------------------------------------------------------------------------- hostile input


def test_hostile_text_is_escaped_by_the_template_engine() -> None:
    document = html.render(hostile_report())
    page = parse(document)
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags and "img" not in tags and "b" not in tags
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("https://", "http://", "#claim-")), href
            assert "pass@" not in href and "api_key=k" not in href
    # The words are shown as words.
    assert "<script>alert(1)</script>" in "".join(page.text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "\u202e" not in document
    assert "javascript:" not in " ".join(str(a.get("href")) for _, a in page.tags)
    assert HOSTILE.split(" ")[0] in "".join(page.text)


# --------------------------------------------------------------------------- a real browser


def browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def dump_dom(executable: str, page: Path, profile: Path) -> str:
    """The DOM after load, as the headless browser serialises it (scripts would have run)."""
    proc = subprocess.run(
        [
            executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=2000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


ATTACK = (
    "<script>document.documentElement.setAttribute('data-pwned','script')</script>"
    "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"
)


@pytest.mark.slow
def test_in_a_real_browser_the_structure_holds_and_no_script_runs(tmp_path: Path) -> None:
    executable = browser()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI has no headless Chromium: .ci/run installs Debian's chromium")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    # A control: this browser does run a page's scripts, so a quiet DOM below means something.
    control = tmp_path / "control.html"
    control.write_text(f"<!DOCTYPE html><html><body>{ATTACK}</body></html>", encoding="utf-8")
    assert "data-pwned" in dump_dom(executable, control, tmp_path / "profile").split(">", 2)[1]

    report = hostile_report()
    report = replace(
        report,
        files=[replace(report.files[0], article={**report.files[0].article, "title": ATTACK})],
        claims=[replace(c, rationale=ATTACK, quote=ATTACK) for c in report.claims],
    )
    target = tmp_path / "report.html"
    target.write_text(html.render(report), encoding="utf-8")
    dom = dump_dom(executable, target, tmp_path / "profile")
    root = dom[dom.index("<html") : dom.index(">", dom.index("<html"))]
    assert "data-pwned" not in root  # neither the script nor the onerror handler ran
    page = parse(dom)
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "img" not in tags
    assert tags.count("h1") == 1 and tags.count("h2") >= 5
    assert {"corrections", "blockers", "holds-up", "about"} <= {a.get("id") for _, a in page.tags}

    sample = tmp_path / "sample.html"
    sample.write_text(html.render(sample_report()), encoding="utf-8")
    dom = dump_dom(executable, sample, tmp_path / "profile")
    page = parse(dom)
    assert [a.get("id") for tag, a in page.tags if tag == "section"] == [
        "corrections",
        "unconfirmed",
        "blockers",
        "holds-up",
        "claims",
        "about",
    ]
    assert sum(1 for tag, _ in page.tags if tag == "details") == 6
    assert any(
        (a.get("href") or "").endswith(
            "#:~:text=approved%20the%20budget%20of%20EUR%20412%20million"
        )
        for _, a in page.tags
    )
