"""The two competing goods of a dilemma, in the words of the quote that voices it.

A dilemma is said as a contrast: "we had to choose between answering the
phones and clearing the backlog", "on the one hand ..., on the other ...",
"X versus Y", "do we X or Y?", "we traded X for Y", "X at the expense of
Y", "X, but Y". The sides are the clauses around
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
from dataclasses import dataclass

_END = r"(?=[.;!?]|,\s*(?:and|so|because|which)\b|$)"
# In order of how plainly they name two sides.
_CONTRASTS = [re.compile(p, re.IGNORECASE) for p in (
    r"\bbetween (?P<a>[^.;!?]+?) and (?P<b>[^.;!?]+?)" + _END,
    r"\bon the one hand,? (?P<a>[^.;!?]+?)[,;.]? (?:but |and )?on the other(?: hand)?,? (?P<b>[^.;!?]+?)" + _END,
    r"(?P<a>[^.;!?,]+?),? on the one hand,? (?:and |but |while )?(?P<b>[^.;!?]+?),? on the other(?: hand)?" + _END,
    r"(?P<a>[^.;!?]+?),? (?:versus|vs\.?|as opposed to|rather than|instead of) (?P<b>[^.;!?]+?)" + _END,
    r"\beither (?P<a>[^.;!?]+?),? or (?P<b>[^.;!?]+?)" + _END,
    # "we've traded some of the instant answering for getting the work done"
    r"\btrad(?:e|es|ed|ing)(?: off)? (?P<a>[^.;!?]+?),? (?:for|against) (?P<b>[^.;!?]+?)" + _END,
    r"\bbalanc(?:e|es|ed|ing) (?P<a>[^.;!?]+?),? (?:against|with) (?P<b>[^.;!?]+?)" + _END,
    r"(?P<a>[^.;!?]+?),? at the (?:expense|cost) of (?P<b>[^.;!?]+?)" + _END,
    r"\b(?:do|did|should|shall|can) (?:we|i|you) (?P<a>[^.;!?]+?),? or (?:do (?:we|i|you) )?(?P<b>[^.;!?]+?)\?",
    r"(?P<a>[^.;!?]+?),? (?:but|yet|whereas|while|although|though|but at the same time|but equally) "
    r"(?P<b>[^.;!?]+?)" + _END,
)]
_LEADING = re.compile(r"^(?:(?:and|so|but|well|like|yeah|no|oh|um|uh|i mean|you know|then|because|honestly|"
                      r"basically|obviously|it's|it is|that|i think|i guess|we had to|we have to|you have to|choose|"
                      r"balance|balancing|to|just),?\s+"
                      # Said before a comma, these open a reply rather than name a side ("Okay, ...", "Right,
                      # ...", "still, ..."); without it they may be the side's own word ("right handed users").
                      r"|(?:okay|ok|right|alright|all right|sure|yes|yep|still|anyway|mind you),\s+)+",
                      re.IGNORECASE)
# Hesitations and tags a speaker trails off with ("just that flat um", "they don't say you know").
_TRAILING = re.compile(r"(?:,?\s+(?:um+|uh+|er+m?|you know|i mean|like|or something|and stuff|and everything|"
                       r"sort of|kind of|and|but|or|so))+$", re.IGNORECASE)


# The patterns before this index name two sides outright; the last one ("X, but Y") often
# joins two remarks that are no dilemma ("Longer calls, but fewer of them").
_PLAIN = len(_CONTRASTS) - 1


@dataclass(frozen=True)
class Contrast:
    """The two sides a quote names, and how well they make a title.

    `plain`: said as a choice ("between", "versus", "either ... or", "do we ... or ...")
    rather than with a "but"; `whole`: neither side was cut to fit `max_words`; `fluent`:
    neither side stumbles (`fluent`).
    """

    a: str
    b: str
    plain: bool
    whole: bool
    fluent: bool = True

    def strength(self) -> int:
        """Lower titles better: a fluent contrast before one that stumbles ("left · right handed user"
        before "what do we ha we have LCD display · the wh but the s spinning wheel": a title is read
        at a glance, and a stumble reads as a transcription error), then a plain contrast before a
        "but", and at each a whole one before one cut to fit ("freedom · security" before "our
        legitimate concerns about freedom and autonomy · equally legitimate concerns about security
        and finding")."""
        return (0 if self.fluent else 4) + (0 if self.plain else 2) + (0 if self.whole else 1)


def contrast_of(text: str, max_words: int = 8) -> Contrast | None:
    """The first contrast found in `text` (the plainest way of saying one first), or None.

    Examples
    --------
    >>> contrast_of("Either we pay the agency, or we train our own.")
    Contrast(a='we pay the agency', b='we train our own', plain=True, whole=True, fluent=True)
    >>> contrast_of("Longer calls, but fewer of them.").strength()
    2
    >>> contrast_of("Not because she disagreed with me, but because she'd have to defend it.") is None
    True
    >>> contrast_of('We say who, exactly. Not "the council", but "the homelessness team".') is None
    True
    """
    for n, pattern in enumerate(_CONTRASTS):
        for match in _matches(pattern, text):
            found = _contrast(match, plain=n < _PLAIN, max_words=max_words)
            if found is not None:
                return found
    return None


def _matches(pattern: re.Pattern, text: str):
    """Every match of `pattern`, the next one looked for after the side said first: of "balancing
    between me and we, balancing between freedom and security", the second "between" too.

    >>> [m.group("a") for m in _matches(_CONTRASTS[0], "between me and we, between freedom and security")]
    ['me', 'freedom']
    """
    start = 0
    while (match := pattern.search(text, start)) is not None:
        yield match
        start = match.end("a") + 1


def _contrast(match: re.Match, plain: bool, max_words: int) -> Contrast | None:
    """The contrast a pattern matched, its sides cut and tidied; None when a side names nothing."""
    # One word a side is enough for a choice said plainly ("freedom on the one hand, security on
    # the other"), not for one said with a "but" ("Yes, but no").
    least = 1 if plain else 2
    a_words, b_words = match.group("a").split(), match.group("b").split()
    a = _tidy(" ".join(_from_clause_start(a_words[-max_words:]) if len(a_words) > max_words else a_words),
              before_contrast=True)
    b_kept = _to_clause_end(b_words[:max_words], least)
    b = _tidy(_without_dangling_end(b_kept) if len(b_words) > max_words else " ".join(b_kept), before_contrast=False)
    if not plain and _CORRECTION.match(match.group("a").strip()):
        return None  # "Not 'the council', but 'the homelessness team'": one said instead of the other, no two goods
    if len(a.split()) >= least and len(b.split()) >= least and _names_something(a) and _names_something(b):
        return Contrast(a, b, plain=plain, whole=len(a_words) <= max_words and len(b_words) <= max_words,
                        fluent=fluent(a) and fluent(b))
    return None


# A side that opens by denying itself ("not X, but Y", "it wasn't X, but Y") corrects X to Y: a speaker
# putting it right, or a reason ruled out ("not because she disagreed, but ..."), never two competing goods.
_CORRECTION = re.compile(r"^[\"'“‘]?(?:(?:(?:it|that|this)(?:'s|’s| is| was)\s+)?not"
                         r"|(?:it|that|this) wasn'?t)\b", re.IGNORECASE)


def fluent(side: str) -> bool:
    """Whether a side reads without a stumble: no hesitation ("um", "er"), no word broken off
    ("wh", "c", "th-", the marks of a cut-off in speech transcripts, or the start of the word said
    next: "adm admittedly"), no word or pair of words said twice in a row ("we we go", "I don't I
    don't"; except the few said twice in good English: "that that", "had had"), and no phrase or
    clause left open at its end ("after a", "maybe if").

    >>> [fluent(side) for side in ("right handed user", "the wh but the s spinning wheel", "we we go",
    ...                            "just that flat um", "suggested that that was wrong", "plan A", "a TV")]
    [True, False, False, False, True, True, True]
    >>> fluent("after a"), fluent("I don't I don't think so"), fluent("maybe if")
    (False, False, False)
    >>> fluent("which adm admittedly is gonna come"), fluent("an answer to it"), fluent("the pro version")
    (False, True, True)
    """
    words = re.findall(r"[\w'’-]+", side)
    for n, word in enumerate(words):
        lower = word.lower()
        if lower in _HESITATIONS or word.endswith("-"):
            return False
        if word.islower() and len(word) <= 2 and word.isalpha() and word not in _SHORT_WORDS:
            return False
        if n and lower == words[n - 1].lower() and lower not in _SAID_TWICE:
            return False
        if n and _begun_again(words[n - 1], lower):
            return False
        if n >= 3 and [w.lower() for w in words[n - 1:n + 1]] == [w.lower() for w in words[n - 3:n - 1]]:
            return False  # "I don't I don't think"
    # A phrase left open ("after a", "we want to"): the speaker broke off.
    return not words or words[-1] not in _OPENS_A_PHRASE


def _begun_again(previous: str, word: str) -> bool:
    """Whether `previous` is `word` begun and broken off ("adm admittedly"): its start, three letters or
    more and no word of its own; a short or function word is often the start of the next ("an
    answer", "to tomorrow", "the theory").

    >>> _begun_again("adm", "admittedly"), _begun_again("an", "answer"), _begun_again("the", "theory")
    (True, False, False)
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    return (len(previous) >= 3 and previous.islower() and previous not in STOP_WORDS
            and word.startswith(previous) and word != previous)


# Words that open a phrase or a clause: a side ending on one was broken off ("after a", "maybe if").
_OPENS_A_PHRASE = frozenset("""a an the of to my our your their its his her this these those
                               if because whether unless although though than and or but""".split())


_HESITATIONS = frozenset("um umm uh uhh er erm err hmm mm mhm ah".split())
# Lower-case words of one or two letters that are words, not the start of one broken off.
_SHORT_WORDS = frozenset("""
    a i am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we ye ya tv pc id
""".split())
_SAID_TWICE = frozenset({"that", "had", "is", "very", "really", "no", "so"})


def _names_something(side: str) -> bool:
    """Whether a side holds a word that names something: not a closed-class word, a negated
    auxiliary, a number or a placeholder.

    A side of pronouns and auxiliaries ("either clean or it isn't") or of a
    number ("between fifty and two hundred") names no competing good; a verb
    does, however common ("or we do it ourselves").

    >>> [_names_something(side) for side in ("it isn't", "we're", "fifty", "[PERSON 24]", "we do it", "your gut's",
    ...                                      "you know")]
    [False, False, False, False, True, True, False]
    """
    from spacy.lang.en.lex_attrs import like_num

    for word in re.findall(r"\[[^\]]*\]|[\w'’-]+", side):
        if word.startswith("[") or _NEGATED.search(word):
            continue
        base = _CLITIC.sub("", word).lower()
        if base not in _CLOSED_CLASS and not like_num(base) and any(ch.isalpha() for ch in base):
            return True
    return False


_NEGATED = re.compile(r"(?i)n[’']t$")
_CLITIC = re.compile(r"(?i)[’'](?:re|s|ve|ll|d|m)$")
# Pronouns, forms of "be", modal auxiliaries, determiners, negations, conjunctions, the commonest
# prepositions and interjections, and the verbs of a speaker's tag ("you know", "I mean", "I guess"):
# words that, alone on a side, leave it naming nothing.
_CLOSED_CLASS = frozenset("""
    i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself she her
    hers herself it its itself they them their theirs themselves one this that these those there here who whom
    whose which what be am is are was were been being will would shall should can could may might must a an
    the some any no every each all both either neither not never nothing and or but so if then than as of to
    in on at by for with from about up out yes yeah oh um uh er well ok okay just really very too also
    after before into over under through like know mean guess think suppose reckon
""".split())


def sides_of(text: str, max_words: int = 8) -> tuple[str, str] | None:
    """(side a, side b) of the first contrast found in `text`, each at most `max_words` words; None if none."""
    found = contrast_of(text, max_words)
    return None if found is None else (found.a, found.b)


def _without_dangling_end(words: list[str]) -> str:
    """A side cut after `max_words`, without the function words left hanging at the cut ("... the innovation
    of the" -> "... the innovation"); at least two words stay.

    >>> _without_dangling_end("the transnational ever since the innovation of the".split())
    'the transnational ever since the innovation'
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    while len(words) > 2 and words[-1].lower().strip(",;:-—–\"'“”") in STOP_WORDS:
        words = words[:-1]
    return " ".join(words)


# The side said after the contrast ends at its first clause boundary that keeps enough words for a
# side ("between freedom and security, those sorts of balances require judgment": "security"); the
# one said before it, when cut out of a longer clause, starts after a boundary that strands one or
# two words of the clause before: a cut mid-phrase ('conditions," and then having a positive ripple
# effect') reads as a fragment.
_MIN_CLAUSE_WORDS = 2
_STRANDED_WORDS = 2
_CLAUSE_END = re.compile(r"[,;:\"“”]$|^[-—–]+$")


def _from_clause_start(words: list[str]) -> list[str]:
    """The words without the stranded start of the clause before (at most `_STRANDED_WORDS` words
    up to a clause boundary), when `_MIN_CLAUSE_WORDS` or more remain; else all.

    >>> " ".join(_from_clause_start('conditions," and then having a positive ripple effect'.split()))
    'and then having a positive ripple effect'
    >>> " ".join(_from_clause_start("a larger group of relatives, with our friends".split()))
    'a larger group of relatives, with our friends'
    """
    for i in range(min(_STRANDED_WORDS, len(words) - _MIN_CLAUSE_WORDS)):
        if _CLAUSE_END.search(words[i]):
            return words[i + 1:]
    return words


def _to_clause_end(words: list[str], least: int = _MIN_CLAUSE_WORDS) -> list[str]:
    """The words up to the first clause boundary that keeps `least` words or more; all if none.

    >>> " ".join(_to_clause_end('the homelessness team", or whoever it is'.split()))
    'the homelessness team",'
    """
    for i in range(least - 1, len(words) - 1):
        if _CLAUSE_END.search(words[i]):
            return words[:i + 1]
    return words


# "between freedom on the one hand and security on the other": the hands belong to the contrast.
_HANDS = re.compile(r",?\s+on the (?:one|other)(?: hand)?$", re.IGNORECASE)
_QUOTE_MARKS = re.compile(r"[\"“”]")


def _tidy(side: str, before_contrast: bool = True) -> str:
    """A side without the fillers and connectives that open it, the punctuation at its ends, the
    "on the one hand" that ends it, and a quotation mark left open by the cut: the side keeps the
    part next to the contrast (after the mark for the side said before it, before the mark for the
    other), so that it stays verbatim.

    >>> _tidy('Not "the council'), _tidy('the homelessness team", or whoever it is', before_contrast=False)
    ('the council', 'the homelessness team')
    >>> _tidy("freedom on the one hand")
    'freedom'
    """
    strip = " ,;:-—–\"'“”"
    side = _LEADING.sub("", side.strip(strip)).strip(strip)
    side = _TRAILING.sub("", _HANDS.sub("", side).strip(strip)).strip(strip)
    marks = [m.start() for m in _QUOTE_MARKS.finditer(side)]
    if len(marks) % 2 == 1:  # one left open by the cut
        cut = marks[-1] if before_contrast else marks[0]
        kept = side[cut + 1:] if before_contrast else side[:cut]
        kept = _LEADING.sub("", kept.strip(strip)).strip(strip)
        side = kept if _names_something(kept) else side
    return side
