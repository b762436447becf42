"""Claim coverage: which check-worthy sentences of the article no claim covers. Pure.

A fact-check is only as good as what it covers. The article text (the same text claim quotes
are anchored in) is split into sentences; a sentence is *check-worthy* when it has a number, a
month name, a currency or percent sign, or two or more capitalised words after its first word
(names, places, institutions). It is *covered* when every fact in it (each number, month and
name: a run of capitalised words not at the start of the sentence) lies inside a claim's quote
or is named in the ``assertion`` of a claim quoted in that sentence. Each rule is simple enough
to explain next to the sentence it flagged; the rules and their limits are documented in
docs/coverage.md.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from factcheck.article import ArticleText
from factcheck.text import normalise

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# ----------------------------------------------------------------------------- splitting


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A sentence ends at . ! ? or an ellipsis, after any closing quotes or brackets, before space.
_END = re.compile(r"(?:\.\.\.|[.!?]+)[\"')\]]*(?=\s)")
_OPENERS = "\"'([-"
# Words that never end a sentence when followed by a period: titles and Latin abbreviations.
_NEVER_FINAL = _words(
    "Mr Mrs Ms Messrs Mme Mlle Dr Prof Gen Col Lt Sgt Capt Cpt Maj Adm Cmdr Gov Sen Rep Rev "
    "Hon Pres Supt St Mt Ft e.g i.e cf vs viz approx ca al"
)
# Abbreviations that stand before a number: "No. 5", "Jan. 12", "pp. 3-4".
_BEFORE_NUMBER = _words(
    "No Nos Nr Vol vol p pp Fig fig Art Ch ch Sec sec Jan Feb Mar Apr Jun Jul Aug Sep Sept "
    "Oct Nov Dec"
)
# Abbreviations that may end a sentence, or not: "in the U.S. The ..." vs "the U.S. Army".
_AMBIGUOUS = _words("Inc Ltd Co Corp Bros Jr Sr etc Dept Univ a.m p.m")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
# After an ambiguous abbreviation, a new sentence starts only with one of these words.
_STARTERS = _words(
    "The A An In On At By For From With As But And Or So Yet However Meanwhile It Its This "
    "That These Those There They He She We I You His Her Their Our My Your When While After "
    "Before Since Although Though If Then Now Some Many Most All Both Each Not Only Even Also "
    "Still Instead Moreover Despite Over Under During Between According What Why How Who "
    "Where Which One Here"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one block of prose.

    Handles abbreviations ("Dr.", "U.S.", "e.g."), initials ("John F. Kennedy"), decimals
    ("$1.7 billion": no space after the point), quotes and brackets after the full stop, and
    ellipses; a full stop followed by a lower-case word does not end a sentence.
    """
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in _END.finditer(text):
        if match.end() <= start or not _ends_sentence(text, match):
            continue
        spans.append((start, match.end()))
        start = _skip_space(text, match.end())
    end = len(text.rstrip())
    if start < end:
        spans.append((start, end))
    return spans


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    # Offsets, not slices: a page of HTML is one block, and slicing it per full stop is quadratic.
    after = _skip_space(text, match.end())
    while after < len(text) and text[after] in _OPENERS:
        after += 1
    if after == len(text):
        return True
    first = text[after]
    if not (first.isupper() or first.isdigit() or unicodedata.category(first) == "Sc"):
        return False
    mark = match.group(0).rstrip("\"')]")
    if mark != ".":
        return True
    word = _word_before(text, match.start()).lstrip(_OPENERS)
    if word in _NEVER_FINAL:
        return False
    if word in _BEFORE_NUMBER and first.isdigit():
        return False
    if word in _AMBIGUOUS or (_INITIALS.fullmatch(word) and (len(word) == 1 or "." in word)):
        next_word = _NEXT_WORD.match(text, after)
        return next_word is not None and next_word.group(0) in _STARTERS
    return True


_NEXT_WORD = re.compile(r"[\w']+")


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


# ----------------------------------------------------------------------------- check-worthiness

_NUMBER = re.compile(r"\d(?:[\d.,]*\d)?")
_MONTH = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\b")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_SYMBOL = re.compile(r"[^\w\s]")


def why_check_worthy(sentence: str) -> tuple[str, ...]:
    """The reasons a sentence looks check-worthy, in words; empty when it does not."""
    reasons: list[str] = []
    numbers = _NUMBER.findall(sentence)
    if numbers:
        reasons.append(f"number ({_listed(numbers)})")
    words = _WORD.findall(sentence)
    months = [m.group(0) for m in _MONTH.finditer(sentence)]
    if words and words[0] == "May" and months[:1] == ["May"]:
        months = months[1:]  # "May" opening a sentence is the verb as often as the month
    if months:
        reasons.append(f"month ({_listed(months)})")
    signs = [c for c in _SYMBOL.findall(sentence) if c == "%" or unicodedata.category(c) == "Sc"]
    if signs:
        reasons.append(f"currency or percent sign ({_listed(signs)})")
    capitalised = [w for w in words[1:] if w[0].isupper() and w != "I"]
    if len(capitalised) >= 2:
        reasons.append(f"capitalised words ({_listed(capitalised)})")
    return tuple(reasons)


def _listed(items: Sequence[str], limit: int = 4) -> str:
    unique = list(dict.fromkeys(items))
    shown = ", ".join(unique[:limit])
    return shown + ", …" if len(unique) > limit else shown


# ----------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the article's normalised text
    end: int
    line: int | None
    reasons: tuple[str, ...]
    #: Share of the sentence's characters inside a claim quote (0.0-1.0).
    share: float
    #: Its facts (numbers, months, names) as written, and those no claim covers.
    facts: tuple[str, ...] = ()
    uncovered_facts: tuple[str, ...] = ()

    @property
    def check_worthy(self) -> bool:
        return bool(self.reasons)

    @property
    def covered(self) -> bool:
        """Every fact covered; a sentence without facts (a lone "%") by any quote in it."""
        if self.facts:
            return not self.uncovered_facts
        return self.share > 0


@dataclass(frozen=True)
class CoverageCounts:
    """How many check-worthy sentences there are and how many claims cover: all a report
    needs to show coverage (and all a saved JSON report keeps of it)."""

    check_worthy: int
    covered: int

    @property
    def percent(self) -> float:
        """Covered check-worthy sentences in percent; 100 when there are none to cover."""
        if not self.check_worthy:
            return 100.0
        return 100.0 * self.covered / self.check_worthy

    def below(self, minimum: float) -> bool:
        """Whether coverage is under ``minimum`` percent (exact: no rounding in either way)."""
        return self.covered * 100 < minimum * self.check_worthy

    @property
    def tenths(self) -> int:
        """The percentage in tenths, rounded down, so a failing figure never reads as passing."""
        if not self.check_worthy:
            return 1000
        return self.covered * 1000 // self.check_worthy

    @property
    def shown_percent(self) -> str:
        whole, tenth = divmod(self.tenths, 10)
        return f"{whole}.{tenth}%" if tenth else f"{whole}%"

    @property
    def summary(self) -> str:
        """The short form for a report's summary line."""
        return (
            f"coverage {self.shown_percent} ({self.covered} of {self.check_worthy} "
            "check-worthy sentences)"
        )

    def describe(self) -> str:
        """One line: the percentage and the counts behind it."""
        if not self.check_worthy:
            return "coverage 100%: no check-worthy sentences in the article"
        return (
            f"coverage {self.shown_percent}: {self.covered} of {self.check_worthy} "
            "check-worthy sentences covered by claims"
        )


@dataclass(frozen=True)
class Coverage:
    """The sentences of one or more articles, and how many check-worthy ones claims cover."""

    sentences: tuple[Sentence, ...]

    @property
    def counts(self) -> CoverageCounts:
        return CoverageCounts(
            check_worthy=sum(1 for s in self.sentences if s.check_worthy),
            covered=sum(1 for s in self.sentences if s.check_worthy and s.covered),
        )

    @property
    def uncovered(self) -> list[Sentence]:
        return [s for s in self.sentences if s.check_worthy and not s.covered]

    @classmethod
    def combine(cls, parts: Iterable[Coverage]) -> Coverage:
        return cls(tuple(s for part in parts for s in part.sentences))


class Claimed(NamedTuple):
    """What coverage reads of a claim: its quote, and its assertion."""

    quote: str
    assertion: str | None = None


def measure(
    article: ArticleText, claims: Iterable[str | Claimed], *, title: str | None = None
) -> Coverage:
    """Split ``article`` into sentences and find which facts of each the ``claims`` cover
    (a plain string is a quote without an assertion).

    Headings, the table of contents (blocks that repeat a heading) and the title are not
    sentences. Quotes are matched like anchoring: normalised, case-sensitive, every occurrence.
    """
    quoted: list[tuple[int, int, str | None]] = []
    for quote, assertion in {_claimed(c) for c in claims}:
        quoted.extend(
            (offset, offset + len(quote), assertion) for offset in article.occurrences(quote)
        )
    covered = _merge((start, end) for start, end, _ in quoted)
    asserted = _Asserted.of(quoted)
    not_prose = {h.title for h in article.headings}
    if title:
        not_prose.add(normalise(title))
    sentences: list[Sentence] = []
    for seg_start, seg_end in _segments(article):
        segment = article.text[seg_start:seg_end]
        if segment in not_prose:
            continue
        for start, end in split_sentences(segment):
            begin, finish = seg_start + start, seg_start + end
            text = article.text[begin:finish]
            reasons = why_check_worthy(text)
            facts = _facts(text) if reasons else []
            named = _named(asserted.within(begin, finish)) if facts else _Named()
            uncovered = [
                written
                for written, kind, at in facts
                if not _inside(covered, begin + at, begin + at + len(written))
                and not named.has(written, kind)
            ]
            sentences.append(
                Sentence(
                    text=text,
                    start=begin,
                    end=finish,
                    line=article.line_at(begin),
                    reasons=reasons,
                    share=_overlap(covered, begin, finish) / max(finish - begin, 1),
                    facts=tuple(dict.fromkeys(written for written, _, _ in facts)),
                    uncovered_facts=tuple(dict.fromkeys(uncovered)),
                )
            )
    return Coverage(tuple(sentences))


def _claimed(claim: str | Claimed) -> tuple[str, str | None]:
    if isinstance(claim, str):
        return normalise(claim), None
    return normalise(claim.quote), normalise(claim.assertion) if claim.assertion else None


# ----------------------------------------------------------------------------- facts

_NUMBER_KIND, _MONTH_KIND, _NAME_KIND = "number", "month", "name"


def _facts(sentence: str) -> list[tuple[str, str, int]]:
    """(as written, kind, offset) of each number, month and name of ``sentence``.

    A name is a run of capitalised words (joined by single spaces) after the sentence's first
    word; months and the pronoun ``I`` are not names, and a possessive ``'s`` ends one.
    """
    facts = [(m.group(0), _NUMBER_KIND, m.start()) for m in _NUMBER.finditer(sentence)]
    words = list(_WORD.finditer(sentence))
    months = [m for m in _MONTH.finditer(sentence)]
    if words and words[0].group(0) == "May" and months and months[0].start() == 0:
        months = months[1:]  # as in why_check_worthy: "May" opening a sentence is a verb
    facts.extend((m.group(0), _MONTH_KIND, m.start()) for m in months)
    for run in _name_runs(sentence, words[1:]):
        start, end = run[0].start(), run[-1].end()
        facts.append((_POSSESSIVE.sub("", sentence[start:end]), _NAME_KIND, start))
    facts.sort(key=lambda fact: fact[2])
    return facts


_POSSESSIVE = re.compile(r"'s?$")


def _name_runs(sentence: str, words: list[re.Match[str]]) -> Iterator[list[re.Match[str]]]:
    run: list[re.Match[str]] = []
    for word in words:
        written = word.group(0)
        if not written[0].isupper() or written == "I" or _MONTH.fullmatch(written):
            if run:
                yield run
            run = []
            continue
        joined = run and sentence[run[-1].end() : word.start()] == " "
        if run and not (joined and not _POSSESSIVE.search(run[-1].group(0))):
            yield run
            run = []
        run.append(word)
    if run:
        yield run


@dataclass(frozen=True)
class _Named:
    """The numbers and words that assertions name."""

    numbers: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()

    def has(self, written: str, kind: str) -> bool:
        if kind == _NUMBER_KIND:
            return written.replace(",", "") in self.numbers
        return all(word in self.words for word in _name_words(written))


def _named(assertions: Iterable[str]) -> _Named:
    numbers: set[str] = set()
    words: set[str] = set()
    for assertion in assertions:
        numbers.update(n.replace(",", "") for n in _NUMBER.findall(assertion))
        words.update(_name_words(assertion))
    return _Named(frozenset(numbers), frozenset(words))


def _name_words(text: str) -> list[str]:
    return [_POSSESSIVE.sub("", word) for word in _WORD.findall(text)]


@dataclass(frozen=True)
class _Asserted:
    """The places claims with an assertion are quoted, sorted, for lookups by sentence."""

    spans: list[tuple[int, int, str]]
    starts: list[int]
    longest: int

    @classmethod
    def of(cls, quoted: Iterable[tuple[int, int, str | None]]) -> _Asserted:
        spans = sorted((s, e, a) for s, e, a in quoted if a)
        longest = max((e - s for s, e, _ in spans), default=0)
        return cls(spans, [s for s, _, _ in spans], longest)

    def within(self, start: int, end: int) -> list[str]:
        """The assertions of the claims quoted (at least in part) in [start, end)."""
        low = bisect.bisect_left(self.starts, start - self.longest)
        high = bisect.bisect_left(self.starts, end)
        return [a for _, e, a in self.spans[low:high] if e > start]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """[start, end) lies inside one of the sorted, disjoint ``spans``."""
    index = bisect.bisect_right(spans, start, key=lambda span: span[0]) - 1
    return index >= 0 and spans[index][1] >= end


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*_`]+")


def with_source_lines(coverage: Coverage, markdown: str) -> Coverage:
    """The same sentences, each with the line of the markdown source it starts on.

    The rendered text knows where each paragraph starts; in a file wrapped at a fixed width a
    sentence may start lines below. Its first words are looked for in the paragraph's source
    lines (links and emphasis markers removed), after where the previous sentence started;
    where they cannot be found, the paragraph's line stays.
    """
    lines = [normalise(_EMPHASIS.sub("", _LINK.sub(r"\1", line))) for line in markdown.splitlines()]
    located: list[Sentence] = []
    resume: dict[int, tuple[int, int]] = {}
    for sentence in coverage.sentences:
        if sentence.line is None or sentence.line > len(lines):
            located.append(sentence)
            continue
        after = resume.get(sentence.line, (sentence.line - 1, 0))
        found = _find_start(lines, after, " ".join(sentence.text.split()[:5]))
        if found is None:
            located.append(sentence)
            continue
        resume[sentence.line] = (found[0], found[1] + 1)
        located.append(replace(sentence, line=found[0] + 1))
    return Coverage(tuple(located))


def _find_start(lines: list[str], after: tuple[int, int], probe: str) -> tuple[int, int] | None:
    """(line index, column) where ``probe`` starts, from ``after`` to the paragraph's end."""
    first, column = after
    for index in range(first, len(lines)):
        if not lines[index] and index > first:
            return None
        following = lines[index + 1] if index + 1 < len(lines) else ""
        at = f"{lines[index]} {following}".find(probe, column if index == first else 0)
        if 0 <= at < len(lines[index]):
            return index, at
    return None


def _segments(article: ArticleText) -> list[tuple[int, int]]:
    """Blocks of the text, cut also around headings (an HTML page is one block)."""
    cuts = {0, len(article.text)}
    cuts.update(s for s in article.block_starts if 0 < s < len(article.text))
    for heading in article.headings:
        cuts.add(heading.start)
        cuts.add(min(heading.start + len(heading.title), len(article.text)))
    ordered = sorted(cuts)
    segments = []
    for start, end in itertools.pairwise(ordered):
        while start < end and article.text[start].isspace():
            start += 1
        while end > start and article.text[end - 1].isspace():
            end -= 1
        if start < end:
            segments.append((start, end))
    return segments


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlap(spans: list[tuple[int, int]], start: int, end: int) -> int:
    """Characters of [start, end) inside the sorted, disjoint ``spans``."""
    total = 0
    index = max(bisect.bisect_right(spans, start, key=lambda span: span[0]) - 1, 0)
    while index < len(spans) and spans[index][0] < end:
        s, e = spans[index]
        total += max(0, min(end, e) - max(start, s))
        index += 1
    return total
