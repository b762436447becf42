"""``factcheck init``: a claims file drafted from the article, its schema beside it, that
validates once the article's title, url and publisher are given."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from factcheck.article import ArticleSource, from_markdown
from factcheck.commands.init import draft_claims, yaml_string
from tests.conftest import Cli

ARTICLE = """\
# The harbour budget

The council approved a budget of 4.2 million crowns on 12 March. It was a long night.

## The ferry

The ferry carried 61,400 passengers in 2023. Nobody was surprised.
The Marigold sails from Quillhaven to Gull Island.

## Opinion

It is a pretty harbour.
"""


def test_init_with_an_article_drafts_pending_claims_that_validate(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "article.md").write_text(ARTICLE)
    made = cli("init", "--article", "article.md", "--publisher", "The Courier", cwd=tmp_path)
    assert made.code == 0, made.err
    text = (tmp_path / "claims.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=claims.schema.json\n")
    assert "factcheck schema > claims.schema.json" in text
    data = yaml.safe_load(text)
    assert data["article"] == {
        "title": "The harbour budget",
        "url": "https://example.com/TODO-the-article-address",
        "publisher": "The Courier",
        "text": "article.md",
    }
    assert data["mode"] == "draft"
    assert data["claims"] == [
        {
            "id": "C001",
            "quote": "The council approved a budget of 4.2 million crowns on 12 March.",
            "status": "pending",
        },
        {
            "id": "C002",
            "quote": "The ferry carried 61,400 passengers in 2023.",
            "section": "The ferry",
            "status": "pending",
        },
        {
            "id": "C003",
            "quote": "The Marigold sails from Quillhaven to Gull Island.",
            "section": "The ferry",
            "status": "pending",
        },
    ]
    assert "with 3 pending claims drafted from article.md" in made.err
    assert "fill in the article's url (or pass --url)" in made.err

    # The placeholder url is an error until it is replaced; nothing else is wrong.
    placeholder = cli("validate", "--format", "json", cwd=tmp_path)
    assert placeholder.code == 1
    findings = json.loads(placeholder.out)["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [
        (
            "FC104",
            text.splitlines().index('  url: "https://example.com/TODO-the-article-address"') + 1,
        )
    ]
    assert "placeholder" in findings[0]["message"]
    (tmp_path / "claims.yaml").write_text(
        text.replace("https://example.com/TODO-the-article-address", "https://courier.example/b")
    )
    checked = cli("validate", "--format", "json", cwd=tmp_path)
    assert checked.code == 0, checked.out
    assert json.loads(checked.out)["findings"] == []  # every quote anchored once, in its section
    # ... while verify blocks until the checker has done the work.
    blocked = cli("verify", "--offline", cwd=tmp_path)
    assert blocked.code == 1 and "FC601" in blocked.out


def test_the_file_matches_the_schema_the_modeline_names(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "article.md").write_text(ARTICLE)
    assert cli("init", "--article", "article.md", cwd=tmp_path).code == 0
    schema = cli("schema", cwd=tmp_path)
    document = yaml.safe_load((tmp_path / "claims.yaml").read_text())
    jsonschema.validate(document, json.loads(schema.out))


def test_init_without_an_article_writes_a_valid_starting_file(cli: Cli, tmp_path: Path) -> None:
    made = cli(
        "init",
        "--url",
        "https://news.example.com/story",
        "--title",
        'A "quoted" title: yes',
        "--publisher",
        "The Paper",
        "--mode",
        "review",
        "-o",
        "story.claims.yaml",
        cwd=tmp_path,
    )
    assert made.code == 0, made.err
    data = yaml.safe_load((tmp_path / "story.claims.yaml").read_text())
    assert data["mode"] == "review"
    assert data["article"]["title"] == 'A "quoted" title: yes'
    assert data["claims"] == []
    assert "fill in" not in made.err
    assert cli("validate", "story.claims.yaml", cwd=tmp_path).code == 0


def test_init_never_overwrites_without_force(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "claims.yaml"
    target.write_text("my work\n")
    refused = cli("init", cwd=tmp_path)
    assert refused.code == 2
    assert refused.err.strip().splitlines() == [
        "factcheck: error: claims.yaml: already exists; pass --force to overwrite it"
    ]
    assert target.read_text() == "my work\n"
    assert cli("init", "--force", cwd=tmp_path).code == 0
    assert target.read_text().startswith("# yaml-language-server:")


def test_bad_input_is_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    for args, message in [
        (["--url", "example.com/story"], "--url is not absolute"),
        (["--article", "missing.md"], "missing.md: no such article file"),
        (["--mode", "final"], "--mode must be one of draft, review"),
    ]:
        result = cli("init", *args, cwd=tmp_path)
        assert result.code == 2, args
        assert len(result.err.strip().splitlines()) == 1 and message in result.err, result.err
    assert not (tmp_path / "claims.yaml").exists()


def test_an_article_outside_the_claims_directory_is_passed_with_article(
    cli: Cli, tmp_path: Path
) -> None:
    (tmp_path / "article.md").write_text(ARTICLE)
    (tmp_path / "checks").mkdir()
    made = cli(
        "init",
        "--article",
        "article.md",
        "--url",
        "https://courier.example/harbour",
        "--publisher",
        "The Courier",
        "-o",
        "checks/claims.yaml",
        cwd=tmp_path,
    )
    assert made.code == 0, made.err
    data = yaml.safe_load((tmp_path / "checks" / "claims.yaml").read_text())
    assert "text" not in data["article"]
    checked = cli(
        "validate", "checks/claims.yaml", "--article", "article.md", "-f", "json", cwd=tmp_path
    )
    assert checked.code == 0 and json.loads(checked.out)["findings"] == []


def test_stdout_and_html_articles(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><title>Site | Story</title></head><body><main><h1>The story</h1>"
        "<p>Prices rose 4% in May. That is all.</p></main></body></html>"
    )
    made = cli("init", "--article", "page.html", "-o", "-", cwd=tmp_path)
    assert made.code == 0, made.err
    data = yaml.safe_load(made.out)
    assert data["article"]["title"] == "The story"
    assert [c["quote"] for c in data["claims"]] == ["Prices rose 4% in May."]
    assert not (tmp_path / "claims.yaml").exists()


def test_a_repeated_sentence_is_extended_to_anchor_once_or_left_out() -> None:
    article = from_markdown(
        "In 2023 the ferry ran late. It was stormy.\n\nIn 2023 the ferry ran late.\n\n"
        "The vote was on 12 March.\n\nThe vote was on 12 March.\n",
        ArticleSource.OPTION,
        "article.md",
    )
    draft = draft_claims(article)
    assert [c.quote for c in draft.claims] == ["In 2023 the ferry ran late. It was stormy."]
    assert draft.repeated == (
        "In 2023 the ferry ran late.",
        "The vote was on 12 March.",
        "The vote was on 12 March.",
    )


def test_yaml_strings_round_trip() -> None:
    for value in ['say "hi"', "back\\slash", "tab\there", "\u2028line", "café: #1", "del\x7f"]:
        assert yaml.safe_load(f"key: {yaml_string(value)}")["key"] == value


WRAPPED = """\
# The harbour budget

The council approved a budget of 4.2 million crowns on 12 March. The
vote was 31 to 20. It was a long night. The ferry carried 61,400
passengers in 2023, and the Marigold sails from Quillhaven to Gull
Island. Nobody was surprised. In May 2024 the quay reopened.

A second paragraph names Ola Brine. She spoke in April.
"""


def test_each_claim_notes_the_line_its_sentence_starts_on(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "article.md").write_text(WRAPPED)
    assert cli("init", "--article", "article.md", cwd=tmp_path).code == 0
    lines = (tmp_path / "claims.yaml").read_text().splitlines()
    noted = {
        lines[n + 1].split('"')[1]: int(line.rsplit(" ", 1)[1])
        for n, line in enumerate(lines)
        if "# article line" in line
    }
    assert noted == {
        "The council approved a budget of 4.2 million crowns on 12 March.": 3,
        "The vote was 31 to 20.": 3,
        "The ferry carried 61,400 passengers in 2023, and the Marigold sails from "
        "Quillhaven to Gull Island.": 4,
        "In May 2024 the quay reopened.": 6,
        "A second paragraph names Ola Brine.": 8,
        "She spoke in April.": 8,
    }
    for quote, line in noted.items():  # the sentence does start on that line of the article
        assert quote.split()[0] in WRAPPED.splitlines()[line - 1]


def test_the_schema_the_modeline_names_is_written_beside(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "article.md").write_text(ARTICLE)
    (tmp_path / "checks").mkdir()
    made = cli("init", "--article", "article.md", "-o", "checks/claims.yaml", cwd=tmp_path)
    assert made.code == 0 and "wrote claims.schema.json beside it" in made.err
    written = tmp_path / "checks" / "claims.schema.json"
    assert json.loads(written.read_text()) == json.loads(cli("schema").out)
    document = yaml.safe_load((tmp_path / "checks" / "claims.yaml").read_text())
    jsonschema.validate(document, json.loads(written.read_text()))
    # A schema file of the user's own is kept, unless --force.
    written.write_text("{}\n")
    again = cli("init", "-o", "checks/other.claims.yaml", cwd=tmp_path)
    assert again.code == 0 and "kept the existing claims.schema.json" in again.err
    assert written.read_text() == "{}\n"
    assert cli("init", "-o", "checks/other.claims.yaml", "--force", cwd=tmp_path).code == 0
    assert json.loads(written.read_text()) == json.loads(cli("schema").out)
    # To stdout, nothing else is written.
    (tmp_path / "elsewhere").mkdir()
    assert cli("init", "-o", "-", cwd=tmp_path / "elsewhere").code == 0
    assert list((tmp_path / "elsewhere").iterdir()) == []
