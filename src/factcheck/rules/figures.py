"""FC209: a supported claim's figures are in its evidence.

A number, date or amount that the claim states (in its quote or its ``assertion``) and that none
of its evidence quotes, their translations nor its rationale has is either a typo in the article,
a figure the fact-checker took from somewhere the file does not cite, or a passage trimmed too
far. Offline: it compares the file with itself. In the checker's ``assertion``, a date that
names an event ("the 1988 protests", "the February 2021 coup") says which event is meant and is
not looked for; in the article's quote every figure is. See :mod:`factcheck.figures` for the forms
that compare equal ("$1.7 billion", "US$1.7bn", "1,700 million").
"""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.figures import Figure, forms_in, missing_from
from factcheck.findings import Code, Finding, finding
from factcheck.load.model import Claim, Document
from factcheck.load.vocab import Status

#: Statuses that say the evidence bears the claim out.
CHECKED = frozenset({Status.SUPPORTED, Status.PARTIALLY_SUPPORTED})


def check_figures(document: Document) -> Iterator[Finding]:
    for claim in document.claims:
        if claim.status not in CHECKED:
            continue
        passages = [
            text for item in claim.evidence for text in (item.quote, item.quote_translation)
        ]
        evidence = [text for text in (*passages, claim.rationale) if text]
        offered = forms_in(evidence)  # once for the quote and the assertion
        raised = missing_from([claim.quote], offered) if claim.quote else []
        if raised:
            yield _finding(claim, "quote", raised)
        if claim.assertion:
            missing = missing_from([claim.assertion], offered, labels=False)
            seen = {f.forms for f in raised}  # a figure the quote already raised: reported once
            missing = [f for f in missing if f.forms not in seen]
            if missing:
                yield _finding(claim, "assertion", missing)


def _finding(claim: Claim, field: str, missing: list[Figure]) -> Finding:
    shown = _listed([figure.text for figure in missing])
    verb = "is" if len(missing) == 1 else "are"
    where = "in the quote" if field == "quote" else "in the assertion"
    return finding(
        Code.FC209,
        f"{shown} ({where}) {verb} in none of {claim.id}'s evidence passages nor its rationale: "
        "quote the passage that gives it, or say in the rationale where it comes from",
        claim.at(field),
        claim=claim.id,
    )


def _listed(items: list[str]) -> str:
    unique = list(dict.fromkeys(items))
    if len(unique) == 1:
        return unique[0]
    return ", ".join(unique[:-1]) + " and " + unique[-1]
