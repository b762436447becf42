"""Which claims files anchor their quotes in a given article (``validate --by-article``).

The ``factcheck-validate-articles`` pre-commit hook passes the article files a commit changes;
the claims files to validate are those below the current directory (the repository, where
pre-commit runs hooks) whose ``article.text`` names one of them. Reading ``article.text``
takes the bounded YAML reader and nothing else: no validation, so a broken claims file is
still found, and validate reports what is wrong with it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from factcheck.errors import FactcheckError
from factcheck.load.discover import discover, parse_file
from factcheck.load.yamltree import Mapping, Node, Scalar

#: What the hook's ``files`` pattern selects: markdown, HTML and plain-text articles.
ARTICLE_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")


def _value(node: Node | None, key: str) -> Node | None:
    if not isinstance(node, Mapping):
        return None
    for name, value in node.items:
        if isinstance(name, Scalar) and name.value == key:
            return value
    return None


def article_text_of(claims_file: Path) -> Path | None:
    """The file ``article.text`` of ``claims_file`` names (resolved), or None."""
    parsed = parse_file(claims_file)
    text = _value(_value(parsed.tree, "article"), "text")
    if not isinstance(text, Scalar) or not text.value.strip():
        return None
    return Path(os.path.realpath(claims_file.parent / text.value.strip()))


def claims_files_for(articles: Iterable[Path], root: Path = Path(".")) -> list[Path]:
    """The claims files below ``root`` whose ``article.text`` is one of ``articles``, in
    discovery order."""
    wanted = {Path(os.path.realpath(article)) for article in articles}
    if not wanted:
        return []
    try:
        candidates = discover([root])
    except FactcheckError:  # no claims file below root at all
        return []
    return [path for path in candidates if article_text_of(path) in wanted]
