"""SPEC.md's one normalisation, shared by anchoring (case kept) and quotes (case-folded)."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from factcheck.text import count_occurrences, fold, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("‘single’ ‚low‛ 5′", "'single' 'low' 5'"),
        ("“double” „low‟ 5″ «guillemets»", '"double" "low" 5" "guillemets"'),
        ("a–b—c―d‐e‑f−g", "a-b-c-d-e-f-g"),
        (
            "soft\u00adhyphen zero\u200bwidth\u200c\u200djoin\u2060word\ufeffmark",
            "softhyphen zerowidthjoinwordmark",
        ),
        ("  many \t\n\r spaces\u00a0\u2003here  ", "many spaces here"),
        ("ﬁne ｆｕｌｌ ①", "fine full 1"),
        ("Case Is Kept", "Case Is Kept"),
        ("", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_every_dash_punctuation_character_becomes_a_hyphen() -> None:
    """SPEC: every dash and minus. The list is spelled out for start-up speed; this keeps it
    complete for the Unicode version of the running Python."""
    dashes = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Pd"]
    assert len(dashes) >= 25
    for dash in [*dashes, "\u2212", "\u2796", "\ufe63", "\uff0d"]:
        assert normalise(f"a{dash}b") == "a-b", f"U+{ord(dash):04X} {unicodedata.name(dash)}"


def test_normalise_is_idempotent_on_tricky_input() -> None:
    for raw in ["\u00ad\u0301e", "ﬃ\u2028x", "Ⅻ–½", "\ufeff“\u200b”", "ǅ\u00a0ß"]:
        once = normalise(raw)
        assert normalise(once) == once


def test_invisible_characters_cannot_become_visible_through_nfkc() -> None:
    assert normalise("a\u200b\u0308") == unicodedata.normalize("NFKC", "a\u0308")


def test_fold_is_case_insensitive_and_normalised() -> None:
    assert fold("Straße “QUOTED”") == fold('STRASSE "quoted"') == 'strasse "quoted"'


def test_count_occurrences() -> None:
    assert count_occurrences("ab", "ab ab abab") == 4
    assert count_occurrences("aa", "aaaa") == 2
    assert count_occurrences("", "anything") == 0
