"""Figures in text: numbers, amounts, percentages, dates and model names, in comparable forms.

The figures check (FC209) asks whether each figure of a claim is in its evidence. Writers spell
the same figure many ways, so every figure is reduced to *forms* that compare equal across
spellings: ``$1.7 billion``, ``US$1.7bn`` and ``1,700 million`` are all ``n:1700000000``;
``2 February 2021``, ``February 2, 2021``, ``2021-02-02`` and ``2.2.2021`` are all
``date:2021-02-02`` (a numeric date whose day and month could be swapped gives both forms).

A claim's figure is *in* a text when one of its forms is among the text's forms. The text a
figure is looked for in (evidence) offers more forms than a claim asks for: a full date also
offers its month, its day and its year, an amount also its bare number ("1.7" of "1.7
billion"), a year its decade, and number words ("two", "a dozen") their value; so a claim that
says less than its source is not flagged, and a claim that says more is.

Not figures: a number glued to letters is a name (``T-72``, ``Su-30SM``, ``COVID-19``, ``G20``)
and compares as that name; a number that closes a year range (``2019-21``) is the full year.
Pure.
"""

from __future__ import annotations

import functools
import operator
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from factcheck.text import normalise

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_NUMBER = {name: index + 1 for index, name in enumerate(MONTHS)}
_MONTH_NUMBER.update({name[:3]: index + 1 for index, name in enumerate(MONTHS)})
_MONTH_NUMBER["sept"] = 9

_SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "тыс": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "mio": 10**6,
    "millionen": 10**6,
    "млн": 10**6,
    "billion": 10**9,
    "billions": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "mrd": 10**9,
    "milliarden": 10**9,
    "млрд": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "трлн": 10**12,
}
_WORD_NUMBERS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_WORD_NUMBERS.update(
    {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
)
_WORD_NUMBERS.update({"ninety": 90, "hundred": 100, "dozen": 12, "twice": 2, "double": 2})
#: Prefixes that join a number with a hyphen without making a name of it ("mid-1990s").
_NOT_NAMES = frozenset(
    [
        "mid",
        "pre",
        "post",
        "early",
        "late",
        "over",
        "under",
        "around",
        "circa",
        "top",
        "about",
        "some",
    ]
)

_MONTH = (
    r"(?P<{0}>(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{0}>[12]\d{{3}})"
# Every date starts at a digit or a month's capital: the lookahead turns most places away before
# the seven alternatives are tried there (a third of the time of a scan; the same matches).
_DATES = re.compile(
    r"(?=[\dJFMASOND])(?:"
    + "|".join(
        (
            r"\b(?P<iso_y>[12]\d{3})-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)\b",
            r"\b(?P<num_a>[0-3]?\d)[./](?P<num_b>[0-3]?\d)[./](?P<num_y>[12]\d{3})\b",
            r"\b"
            + _DAY.format("dmy_d")
            + r" (?:of )?"
            + _MONTH.format("dmy_m")
            + r",? "
            + _YEAR.format("dmy_y")
            + r"\b",
            r"\b"
            + _MONTH.format("mdy_m")
            + r" "
            + _DAY.format("mdy_d")
            + r",? "
            + _YEAR.format("mdy_y")
            + r"\b",
            r"\b" + _DAY.format("dm_d") + r" (?:of )?" + _MONTH.format("dm_m") + r"(?![\w.])",
            r"\b" + _MONTH.format("md_m") + r" " + _DAY.format("md_d") + r"\b(?![.,]?\d)",
            r"\b" + _MONTH.format("my_m") + r",? " + _YEAR.format("my_y") + r"\b",
        )
    )
    + ")"
)
# A name with a number in it: letters (one capital at least), an optional hyphen, digits,
# optional letters: T-72, Su-30SM, MiG-29, COVID-19, G20, A320, Mi-17V5.
_NAME = re.compile(r"\b(?P<name>[A-Za-z]*[A-Z][A-Za-z]*-?\d+(?:[A-Za-z]+\d*)*)\b")
_DECADE = re.compile(r"(?=[\d'])(?<![\d.,])(?:(?P<century>1\d|20)|')(?P<decade>\d)0'?s\b")
# A number starts at a digit not written after a letter, digit, point or comma; the digit comes
# first in the pattern, so that the regex engine skips to digits (the same matches, faster).
_NUMBER = re.compile(
    r"(?P<value>\d(?<![\w.,]\d)\d*(?:,\d{3})*(?:[.,]\d+)?)"
    r"(?:st|nd|rd|th)?"
    r"(?:\s?(?P<scale>thousand|millions?|mn|mio|millionen|billions?|bn|mrd|milliarden|"
    r"trillion|tn|тыс|млн|млрд|трлн)\b\.?|(?P<glued>[kmbKMB])\b)?"
    r"(?P<percent>\s?(?:%|per ?cent\b|pct\b))?"
)
# The lookahead holds the first letters of "a", "an" and the number words: the same matches, a
# third of the time.
_FIRST_LETTERS = "".join(sorted({"a", *(word[0] for word in _WORD_NUMBERS)}))
_WORD_NUMBER = re.compile(
    rf"(?=[{_FIRST_LETTERS}])\b(?:a |an )?(" + "|".join(_WORD_NUMBERS) + r")\b",
    re.IGNORECASE,
)


class Figure(NamedTuple):
    """A figure as the text writes it, and the forms it compares by (a named tuple: a scan
    makes thousands)."""

    text: str
    forms: frozenset[str]
    start: int
    end: int


# "the 1988 protests", "Ne Win's 1958 takeover", "the February 2021 coup": a date that names an
# event, written before a lower-case noun after an article or a possessive.
_BEFORE_LABEL = re.compile(r"(?:\b(?:the|a|an)|'s) $", re.IGNORECASE)
_AFTER_LABEL = re.compile(r" [a-z]")


def figures_in(text: str, *, labels: bool = True) -> list[Figure]:
    """The figures a claim states in ``text``, in text order.

    Without ``labels``, dates that name an event ("the 1988 protests") are left out: in a
    checker's ``assertion`` they say which event is meant, not what is claimed about it.
    """
    normalised = normalise(text)
    found = _scan(normalised, offered=False)
    if labels:
        return found
    return [f for f in found if not _is_label(normalised, f)]


def _is_label(text: str, figure: Figure) -> bool:
    if not all(form.startswith(("n:", "date:", "month:")) for form in figure.forms):
        return False
    if any(form.startswith("n:") and not _is_year(form[2:]) for form in figure.forms):
        return False
    return bool(
        _BEFORE_LABEL.search(text, 0, figure.start) and _AFTER_LABEL.match(text, figure.end)
    )


def _is_year(number: str) -> bool:
    return number.isdigit() and 1000 <= int(number) <= 2099


def forms_in(texts: list[str]) -> frozenset[str]:
    """Every form the ``texts`` offer (see the module docstring): what evidence says."""
    if len(texts) == 1:
        return _offered(texts[0])
    forms: set[str] = set()
    for text in texts:
        forms.update(_offered(text))
    return frozenset(forms)


@functools.lru_cache(maxsize=2048)
def _offered(text: str) -> frozenset[str]:
    """The forms one text offers. Remembered (bounded): a claims file repeats the same
    evidence passages and rationales across claims, and a claim often cites one passage of
    two pages."""
    forms: set[str] = set()
    normalised = normalise(text)
    for figure in _scan(normalised, offered=True):
        forms.update(figure.forms)
    for match in _WORD_NUMBER.finditer(normalised):
        forms.add(_number_form(Decimal(_WORD_NUMBERS[match.group(1).lower()])))
    return frozenset(forms)


def missing_figures(
    claimed: list[str], evidence: list[str], *, labels: bool = True
) -> list[Figure]:
    """The figures of the ``claimed`` texts that none of the ``evidence`` texts has, each once
    (``labels``: see :func:`figures_in`)."""
    return missing_from(claimed, forms_in(evidence), labels=labels)


def missing_from(
    claimed: list[str], offered: frozenset[str], *, labels: bool = True
) -> list[Figure]:
    """:func:`missing_figures` against the forms :func:`forms_in` found in the evidence (read
    once for the quote and the assertion of a claim)."""
    missing: list[Figure] = []
    seen: set[frozenset[str]] = set()
    for text in claimed:
        for figure in figures_in(text, labels=labels):
            if figure.forms in seen:
                continue
            seen.add(figure.forms)
            if not figure.forms & offered:
                missing.append(figure)
    return missing


# --- scanning ---------------------------------------------------------------------------------


#: Every figure has a digit (dates, names, decades, numbers; number words are found apart).
_DIGIT = re.compile(r"\d")


#: What a name and a decade cannot be without (a capital then a digit; "0s"): one quick search
#: spares the slower patterns most texts.
_NAME_HINT = re.compile(r"[A-Z][A-Za-z]*-?\d")
_DECADE_HINT = re.compile(r"0'?s")


def _scan(text: str, *, offered: bool) -> list[Figure]:
    if _DIGIT.search(text) is None:
        return []
    # The spans taken so far (a figure found by an earlier pattern wins), and the figures.
    taken: list[tuple[int, int]] = []
    found: list[Figure] = []
    for match in _DATES.finditer(text):
        start, end = match.span()
        _add(text, taken, found, start, end, _date_forms(match, offered))
    for match in _NAME.finditer(text) if _NAME_HINT.search(text) else ():
        name = match.group("name")
        prefix = _LETTERS.match(name)
        if prefix and prefix.group(0).lower() in _NOT_NAMES:
            continue
        start, end = match.span()
        if _free(taken, start, end):
            _add(text, taken, found, start, end, {"name:" + name.replace("-", "").lower()})
    for match in _DECADE.finditer(text) if _DECADE_HINT.search(text) else ():
        start, end = match.span()
        if _free(taken, start, end):
            century = match.group("century") or "19"
            _add(text, taken, found, start, end, {f"decade:{century}{match.group('decade')}"})
    previous: tuple[int, Decimal] | None = None
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if taken and not _free(taken, start, end):
            continue
        written = match.group("value")
        value = _decimal(written)
        if value is None:
            continue
        if len(written) == 2 and previous is not None:
            value = _year_range_end(text, match, previous, value)
        forms = _number_forms(value, match.group("scale") or match.group("glued"), offered)
        previous = (end, value)
        _add(text, taken, found, start, end, forms)
    if len(found) > 1:
        found.sort(key=_START)
    return found


_LETTERS = re.compile(r"[A-Za-z]*")
_START = operator.attrgetter("start")


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """No figure found so far overlaps ``start:end``."""
    return all(end <= s or start >= e for s, e in taken)


def _add(
    text: str,
    taken: list[tuple[int, int]],
    found: list[Figure],
    start: int,
    end: int,
    forms: set[str] | frozenset[str],
) -> None:
    """Take ``start:end``; a figure when it has forms (an invalid date takes its span only)."""
    taken.append((start, end))
    if forms:
        written = text[start:end].rstrip(" .,")
        found.append(Figure(written, frozenset(forms), start, start + len(written)))


@functools.lru_cache(maxsize=4096)
def _decimal(written: str) -> Decimal | None:
    """1,700 is a thousand separator; 1,7 and 1,75 a decimal comma (European sources)."""
    if "," in written and "." not in written and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", written):
        written = written.replace(",", ".")
    try:
        return Decimal(written.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None


def _year_range_end(
    text: str, match: re.Match[str], previous: tuple[int, Decimal] | None, value: Decimal
) -> Decimal:
    """``21`` in ``2019-21`` is 2021."""
    if previous is None or len(match.group("value")) != 2 or match.group("scale") is not None:
        return value
    end, first = previous
    if text[end : match.start()].strip() != "-" or not 1000 <= first <= 2099:
        return value
    full = first - first % 100 + value
    return full if full > first else value


@functools.lru_cache(maxsize=4096)
def _number_forms(value: Decimal, scale: str | None, offered: bool) -> frozenset[str]:
    """The forms of a number (equal values, ``7`` and ``7.0``, have the same forms: the cache
    may answer one with the other's)."""
    forms = set()
    if scale:
        forms.add(_number_form(value * _SCALES[scale.lower().rstrip(".")]))
        if offered:
            forms.add(_number_form(value))
    else:
        forms.add(_number_form(value))
    if offered and value == value.to_integral_value() and 1000 <= value <= 2099:
        forms.add(f"decade:{int(value) // 10}")
    return frozenset(forms)


def _number_form(value: Decimal) -> str:
    return "n:" + format(value.normalize(), "f")


def _date_forms(match: re.Match[str], offered: bool) -> set[str]:
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    kind = next(iter(groups)).split("_")[0]
    if kind == "iso":
        dates = [(int(groups["iso_y"]), int(groups["iso_m"]), int(groups["iso_d"]))]
    elif kind == "num":
        a, b, year = int(groups["num_a"]), int(groups["num_b"]), int(groups["num_y"])
        # day.month.year, or month/day/year where that is the only reading
        dates = [(year, b, a), (year, a, b)] if a != b else [(year, b, a)]
    elif kind in ("dmy", "mdy"):
        month = _month(groups[f"{kind}_m"])
        dates = [(int(groups[f"{kind}_y"]), month, int(groups[f"{kind}_d"]))]
    elif kind in ("dm", "md"):
        month, day = _month(groups[f"{kind}_m"]), int(groups[f"{kind}_d"])
        return {f"day:{month:02}-{day:02}"} if _valid(2000, month, day) else set()
    else:
        month, year = _month(groups["my_m"]), int(groups["my_y"])
        forms = {f"month:{year}-{month:02}"}
        if offered:
            forms.update({f"n:{year}", f"decade:{year // 10}"})
        return forms
    forms = set()
    for year, month, day in dates:
        if not _valid(year, month, day):
            continue
        forms.add(f"date:{year}-{month:02}-{day:02}")
        if offered:
            forms.update(
                {
                    f"month:{year}-{month:02}",
                    f"day:{month:02}-{day:02}",
                    f"n:{year}",
                    f"decade:{year // 10}",
                }
            )
    return forms


def _month(word: str) -> int:
    return _MONTH_NUMBER[word.rstrip(".").lower()]


def _valid(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30]
    days += [31, 31, 30, 31, 30, 31]
    return day <= days[month - 1]
