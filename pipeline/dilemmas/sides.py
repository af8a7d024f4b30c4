"""The two competing goods of a dilemma, in the words of the quote that voices it.

A dilemma is said as a contrast: "we had to choose between answering the
phones and clearing the backlog", "on the one hand ..., on the other ...",
"X versus Y", "do we X or Y?", "X, but Y". The sides are the clauses around
the contrast, cut to a few words next to it, verbatim.

Examples
--------
>>> sides_of("We had to choose between answering the phones and clearing the casework backlog.")
('answering the phones', 'clearing the casework backlog')
>>> sides_of("Pushing everyone online saves money, but older residents just cannot use the forms.")
('Pushing everyone online saves money', 'older residents just cannot use the forms')
>>> sides_of("It was a good year.") is None
True
"""
from __future__ import annotations

import re

_END = r"(?=[.;!?]|,\s*(?:and|so|because|which)\b|$)"
# In order of how plainly they name two sides.
_CONTRASTS = [re.compile(p, re.IGNORECASE) for p in (
    r"\bbetween (?P<a>[^.;!?]+?) and (?P<b>[^.;!?]+?)" + _END,
    r"\bon the one hand,? (?P<a>[^.;!?]+?)[,;.]? (?:but |and )?on the other(?: hand)?,? (?P<b>[^.;!?]+?)" + _END,
    r"(?P<a>[^.;!?]+?),? (?:versus|vs\.?|as opposed to|rather than|instead of) (?P<b>[^.;!?]+?)" + _END,
    r"\beither (?P<a>[^.;!?]+?),? or (?P<b>[^.;!?]+?)" + _END,
    r"\b(?:do|did|should|shall|can) (?:we|i|you) (?P<a>[^.;!?]+?),? or (?:do (?:we|i|you) )?(?P<b>[^.;!?]+?)\?",
    r"(?P<a>[^.;!?]+?),? (?:but|yet|whereas|while|although|though|but at the same time|but equally) "
    r"(?P<b>[^.;!?]+?)" + _END,
)]
_LEADING = re.compile(r"^(?:(?:and|so|but|well|like|yeah|no|oh|um|uh|i mean|you know|then|because|honestly|"
                      r"basically|obviously|it's|it is|that|we had to|we have to|you have to|choose|to),?\s+)+",
                      re.IGNORECASE)


def sides_of(text: str, max_words: int = 8) -> tuple[str, str] | None:
    """(side a, side b) of the first contrast found in `text`, each at most `max_words` words; None if none."""
    for pattern in _CONTRASTS:
        match = pattern.search(text)
        if match is None:
            continue
        a = _tidy(" ".join(match.group("a").split()[-max_words:]))
        b = _tidy(" ".join(match.group("b").split()[:max_words]))
        if len(a.split()) >= 2 and len(b.split()) >= 2:
            return a, b
    return None


def _tidy(side: str) -> str:
    side = _LEADING.sub("", side.strip(" ,;:-—–\"'")).strip(" ,;:-—–\"'")
    return side
