"""Runs of capitalised words ("chunks") and the evidence that makes one a person or a place.

`names.find_names` asks this module three things of each run of capitalised
words in a turn: where the runs are (`find_chunks`), what each one is
(`decide`: the entity label, the words around it, the word lists, its
shape), and whether the words around it settle the question whatever the
rest of the corpus says (`is_certain`). A list of names with one known
person in it makes the others people too (`spread_over_lists`).

It is separate from `names` because it is the one part that reads a
chunk's neighbourhood token by token; the other sources (entities outside
every chunk, speaker labels, lower-case names, street patterns) each read
the turn their own way.
"""
from __future__ import annotations

import re

from .lexicon import PARTICLES, TITLES, Lexicon
from .name_words import (
    ADDRESS_WORDS,
    CURRENCY_WORDS,
    KIN_AFTER_POSSESSIVE,
    LOCATIVE,
    MOTION,
    NAME_INTRODUCERS,
    NOT_NAMES,
    ORG_WORDS,
    PERSON_AFTER,
    PERSON_BEFORE_1,
    PERSON_BEFORE_2,
    PLACE_SUFFIX_WORDS,
    STREET_WORDS,
)
from .patterns import PERSON, PLACE

# Entity labels that rule a chunk out. ORG, PRODUCT, WORK_OF_ART, EVENT and LAW do not: the small
# model gives them to people ("Edvard Petrussen" ORG), and a chunk with an organisation's word in
# it ("Council", "Ltd") is ruled out anyway.
_SKIP_LABELS = frozenset({"NORP", "LANGUAGE", "DATE", "TIME", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
                          "PERCENT"})
_INITIAL = re.compile(r"(?=[^\W\d_])[^\W\d_a-zß-ÿ]\.?")  # one capital letter, any script: "D.", "Á"
# Capitals inside a word make a product or an acronym ("SMARTboard", "iPhone", "PowerPoint"),
# except after the prefixes of names ("McConnan", "O'Brien", "DeShawn", "MacDonald").
_CAMEL = re.compile(r"[A-Z]{2,}|(?<!^Mc)(?<!^Mac)(?<!^O')(?<!^O’)(?<!^D')(?<!^D’)(?<!^De)(?<!^Di)(?<!^Da)(?<!^La)"
                    r"(?<!^Le)(?<!^Van)(?<!^Von)(?<!^Fitz)(?<=[a-z'’])[A-Z]")
_HYPHENS = frozenset({"-", "‑"})
_CLITIC = re.compile(r"['’](?:ve|ll|re|d|m)$")  # a contraction glued to a word: "Apple've"
_VOWEL = re.compile(r"[aeiouy]")
_CLAUSE_OPENERS = frozenset('.!?:;"“”‘’\'()[]—–->*•')
# What may follow a name addressed in a greeting or a sign-off: the end of the clause.
_CLAUSE_CLOSERS = frozenset(',.!?:;)-—–')
# Census first names up to this rank are people when they open a sentence as its subject, though they are also
# words ("Mark", "Grace" began ...); a rarer one that is a word is the word ("Man was created ...").
_COMMON_GIVEN_RANK = 1_000


# ----------------------------------------------------------------------------- chunks

def _is_cap(token) -> bool:
    """A capitalised word that could be (part of) a name: not "SMARTboard", "T_V_s", "Mum" or "Monday"."""
    text = token.text
    letters = re.sub(r"['’.\-]", "", text)
    return (len(letters) >= 2 and letters.isalpha() and text[0].isupper() and any(c.islower() for c in letters)
            and not _CAMEL.search(text) and token.lower_ not in NOT_NAMES)


def find_chunks(doc, lexicon: Lexicon) -> list[list]:
    """Runs of capitalised words, joined by initials, particles and hyphens, titles and leading words trimmed."""
    chunks, i, n = [], 0, len(doc)
    while i < n:
        if not _is_cap(doc[i]):
            i += 1
            continue
        j = i
        while j + 1 < n:
            nxt = doc[j + 1]
            if doc[j].whitespace_ and "\n" in doc[j].whitespace_:
                break
            if _is_cap(nxt) and not _title(nxt) and not (nxt.is_stop and not lexicon.is_given_name(nxt.lower_)):
                j += 1  # not "Meli Should": a capitalised modal or pronoun ends the name
            elif (_INITIAL.fullmatch(nxt.text) and j + 2 < n and _is_cap(doc[j + 2])
                  and "\n" not in nxt.whitespace_):
                j += 2  # "Iva D. Grusová"
            elif nxt.lower_ in PARTICLES and nxt.is_lower and j + 2 < n and _is_cap(doc[j + 2]):
                j += 2  # "Willemine ten Pas"
            elif (nxt.lower_ in PARTICLES and nxt.is_lower and j + 3 < n and doc[j + 2].lower_ in PARTICLES
                  and _is_cap(doc[j + 3])):
                j += 3  # "Maika van de Noort"
            elif nxt.text in {"-", "‑"} and not doc[j].whitespace_ and not nxt.whitespace_ and j + 2 < n \
                    and doc[j + 2].is_alpha:
                j += 2  # "Weber-Santana", "Hauta-aho"
            else:
                break
        chunk = list(doc[i:j + 1])
        chunks.append(_trim(chunk, lexicon))
        i = j + 1
    return [c for c in chunks if c]


def _title(token) -> bool:
    return token.lower_.rstrip(".") in TITLES


def _trim(chunk: list, lexicon: Lexicon) -> list:
    """Drop a leading title and leading sentence words ("So", "Honestly") that are not part of the name."""
    while chunk:
        head = chunk[0]
        lower = head.lower_.rstrip(".")
        if lower in TITLES and len(chunk) > 1:
            chunk = chunk[1:]
        elif (len(chunk) > 1 and _opens_clause(head) and head.ent_type_ != "PERSON"
              and (head.pos_ not in {"PROPN", "NOUN"} or lower in NOT_NAMES)
              and (head.is_stop or lexicon.is_word(lower, head.lemma_))):
            chunk = chunk[1:]  # "Honestly Sarah said", "So Dave"
        else:
            break
    return chunk


def _opens_clause(token) -> bool:
    doc = token.doc
    i = token.i
    while i > 0 and doc[i - 1].is_space:
        if "\n" in doc[i - 1].text:
            return True
        i -= 1
    if i == 0 or token.is_sent_start:
        return True
    prev = doc[i - 1]
    return prev.text in _CLAUSE_OPENERS or "\n" in prev.whitespace_ or prev.text[-1:] in _CLAUSE_OPENERS


# ----------------------------------------------------------------------------- evidence

def words_before(doc, token, n: int) -> tuple[str, ...]:
    """The `n` lower-case words before `token` (no spaces), nearest last."""
    words, i = [], token.i - 1
    while i >= 0 and len(words) < n:
        if not doc[i].is_space:
            words.append(doc[i].lower_)
        i -= 1
    return tuple(reversed(words))


def _after(doc, token, n: int) -> tuple[str, ...]:
    words, i = [], token.i + 1
    while i < len(doc) and len(words) < n:
        if not doc[i].is_space:
            words.append(doc[i].lower_)
        i += 1
    return tuple(words)


def person_context(doc, chunk: list) -> bool:
    """Whether the words around a chunk say it is a person.

    A title or a word such as "manager" or "asked" before it, "my name is"
    or "spoke to" before it, a said-verb or "and I" after it, a possessive
    family word ("Asya's kid"), a vocative or a speaker label.
    """
    first, last = chunk[0], chunk[-1]
    before = words_before(doc, first, 4)
    if before and (before[-1].rstrip(".") in TITLES or before[-1] in PERSON_BEFORE_1):
        return True
    if len(before) >= 2 and (before[-2:] in PERSON_BEFORE_2 or (before[-1] == "." and before[-2] in TITLES)):
        return True
    if len(before) >= 2 and before[-2:] == ("name", "?"):
        return True  # "What's your last name? Boyle"
    after = _after(doc, last, 2)
    verb = _after_adverbs(doc, last)
    if verb is not None and verb.lower_ in PERSON_AFTER:
        return True
    if after[:2] in {("and", "i"), ("and", "me")}:
        return True
    if after and after[0] in {"'s", "’s"} and len(after) > 1 and after[1] in KIN_AFTER_POSSESSIVE:
        return True
    if _opens_clause(first) and after and after[0] in {",", ":"} and len(chunk) <= 3:
        return True  # a vocative ("Warrane, can I ...") or a speaker label ("Éva: ...")
    if (not last.whitespace_ and last.i + 1 < len(doc) and doc[last.i + 1].text.startswith(":")
            and _opens_clause(first)):
        return True  # 'Éva:"Who are you?"': a label glued to its words
    return addressed(doc, chunk)


def addressed(doc, chunk: list) -> bool:
    """Whether a chunk is the person a greeting or a sign-off addresses: "Thanks, Björn", "Hi, Sarah!".

    The greeting or sign-off opens its clause ("Thanks", "Kind regards",
    "Thank you") and comes right before the chunk, a comma between them or
    not, and the chunk ends the clause (the text or line ends, or punctuation
    follows). "I love Python." and "Hi, Salesforce is down" address no one.
    """
    if len(chunk) > 3:
        return False
    word = _previous_word(doc, chunk[0])
    if word is not None and word.text == ",":
        word = _previous_word(doc, word)
    if word is None or word.lower_ not in ADDRESS_WORDS | {"you"}:
        return False
    opener = _previous_word(doc, word)
    if word.lower_ == "you" or (opener is not None and opener.pos_ == "ADJ" and not _opens_clause(word)):
        word = opener  # "Thank you, Marta", "Kind regards, Marta": the phrase opens the clause
    if word is None or (word.lower_ not in ADDRESS_WORDS and word.pos_ != "ADJ") or not _opens_clause(word):
        return False
    following = _next_word(doc, chunk[-1])
    return following is None or "\n" in chunk[-1].whitespace_ or following.text[:1] in _CLAUSE_CLOSERS


def _after_adverbs(doc, token):
    """The first word after `token` that is not an adverb ("Crystal always says")."""
    i, skipped = token.i + 1, 0
    while i < len(doc) and (doc[i].is_space or (doc[i].pos_ == "ADV" and skipped < 2)):
        skipped += not doc[i].is_space
        i += 1
    return doc[i] if i < len(doc) else None


def _next_word(doc, token):
    i = token.i + 1
    while i < len(doc) and doc[i].is_space:
        i += 1
    return doc[i] if i < len(doc) else None


def _gone_to(doc, token) -> bool:
    """The word follows "to" after a verb of going ("flew to", "moved back to")."""
    previous = _previous_word(doc, token)
    return (previous is not None and previous.lower_ == "to" and previous.head is not None
            and previous.head.lower_ in MOTION)


def _previous_word(doc, token):
    i = token.i - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return doc[i] if i >= 0 else None


def entity_label(chunk: list) -> str:
    """The entity label most of the chunk's capitalised words carry ("ten" in "Willemine ten Pas" does not count)."""
    labels = [t.ent_type_ for t in chunk if t.ent_type_ and _is_cap(t)]
    return max(set(labels), key=labels.count) if labels else ""


def decide(doc, chunk: list, lexicon: Lexicon) -> tuple[str, bool] | None:
    """(kind, strong) for a chunk of capitalised words, or None when it is not a person or place."""
    capitalised = [t for t in chunk if _is_cap(t)]
    # A word the speaker restarts ("Custome Customers", "Ve Velmira") is no evidence: the word after it decides.
    words = [t for k, t in enumerate(capitalised)
             if k + 1 == len(capitalised) or not _restarted(t.lower_, capitalised[k + 1].lower_)]
    if not words:
        return None
    lowers = [_CLITIC.sub("", t.lower_).rstrip(".") for t in words]  # "Apple've" is "Apple"
    n = len(words)
    label = entity_label(chunk)
    is_word = [lexicon.is_word(w, t.lemma_) or t.is_stop for w, t in zip(lowers, words)]
    # An initial, particle or hyphen joins two capitalised words ("Iva D. Grusová", "Weber-Santana"); not a
    # hyphen between ordinary words, none a common name, which makes a compound ("Play-Do", not "Smith-Hill").
    joiners = [t for t in chunk if not _is_cap(t)]
    shaped = bool(joiners) and not (all(t.text in _HYPHENS for t in joiners) and all(is_word)
                                    and not any(_common_name(w, lexicon) for w in lowers))
    titled = bool(words_before(doc, chunk[0], 1)) and words_before(doc, chunk[0], 1)[-1].rstrip(".") in TITLES
    if any(w in ORG_WORDS for w in lowers) and not titled:
        return None
    if lowers[-1] in PLACE_SUFFIX_WORDS and n > 1:
        return PLACE, True
    given = lexicon.is_given_name(lowers[0]) and not is_word[0]
    surname = lexicon.is_surname(lowers[-1]) and not is_word[-1]
    unknown = sum(not w for w in is_word)
    at_start = _opens_clause(chunk[0])
    context = titled or person_context(doc, chunk)

    name_like = not all(w and not lexicon.is_name(x) for w, x in zip(is_word, lowers))
    if name_like and addressed(doc, chunk):
        return PERSON, True  # "Thanks, Marta", "Thanks, Will", though the model says GPE or ORG
    if n == 1 and not titled and _drawn_out(lowers[0], lexicon):
        return None  # "Sooo, we went there", "Yaay! That's great!": a word said long, no name
    if n == 1 and (words[0].is_stop or (lowers[0] in CURRENCY_WORDS and not titled)):
        return None  # "It", and a currency: "in Euros" is no place
    if n == 1 and (lowers[0] in TITLES or _no_vowel(words[0].text) and not lexicon.is_name(lowers[0])):
        return None  # a title alone ("Miss this and Miss that"), a word without a vowel ("Shh", "Pfft")
    if n == 1 and not titled and not lexicon.is_given_name(lowers[0]) and cut_off(doc, words[0]):
        return None  # a word cut off and said again: "Expe our experiences", "Unti uh uh until"
    previous, following = _previous_word(doc, chunk[0]), _next_word(doc, chunk[-1])
    if n == 1 and is_word[0] and previous is not None and (
            (previous.like_num and not previous.is_digit) or (previous.is_digit and label in {"MONEY", "QUANTITY"})):
        return None  # a unit or a currency ("fifteen Pounds", "15 Pounds"), not "14 Tanners"
    # A word after an article is a thing ("the Dollar", "a Masters degree"), though the census has it as a
    # surname; a place keeps its article ("the Netherlands", and "the States" is a country too).
    article = n == 1 and is_word[0] and previous is not None and previous.pos_ == "DET"
    if (label in {"GPE", "LOC", "FAC"} or lowers[0] in STREET_WORDS or (previous is not None and previous.is_digit)
            or (following is not None and following.is_digit and not titled) or _gone_to(doc, chunk[0])
            or words_before(doc, chunk[0], 2) == ("corner", "of")):
        return PLACE, True  # "Estonia", "Rua do Arenque", "14 Tanners Row", "Sludevej 13", "flew to Coles"
    # Ordinary words ("Maybe", "Euro", "User Interface") need a first name or surname among them ("Will",
    # "Brown"); a title before them does not make them a name ("Miss Marketing" in a meeting of roles).
    plain = not name_like
    if plain:  # no word is a name, not even after a title: "Maybe", "Miss Industrial Designer", "Madam Chair"
        return None
    if not titled and (label in {"NORP", "LANGUAGE"} or (label in _SKIP_LABELS and not unknown)):
        return None  # "I'm Portuguese", "Thursday"; not "Sandgreen", which the model called a number
    vocative_only = context and n == 1 and is_word[0] and not titled and not lexicon.is_given_name(lowers[0]) \
        and _after(doc, chunk[-1], 1) == (",",) and label != "PERSON"
    if vocative_only:
        return None  # "Cool, what's the address?"
    # A dictionary word after "the", "this" or "our" names an institution or a thing, even where a person's
    # verb follows ("The Senate works best", "our Nation is healing"); a first name keeps its person ("my Will").
    if (n == 1 and is_word[0] and not titled and previous is not None and not lexicon.is_given_name(lowers[0])
            and (previous.pos_ == "DET" or previous.tag_ == "PRP$")):
        return None
    if context or (shaped and n >= 2):
        return PERSON, True
    if label in _SKIP_LABELS and not unknown:
        return None
    if label == "PERSON":
        if n == 1 and words[0].pos_ == "ADV" and not (given or surname):
            return None  # "gon Nologically advanced": the parser reads a cut-off adverb, not a name
        if n >= 2 and not unknown and not lexicon.is_given_name(lowers[0]):
            return None  # ordinary words with no first name ("Ye Double click", "Lo Sort of"): a fragment
        if n == 1 and not lexicon.is_given_name(lowers[0]) and _after_locative(doc, chunk[0]):
            return PLACE, True  # "I just came from Glasgow", though the model says PERSON
        if n >= 2 or unknown or given or surname:
            return PERSON, True
        token = words[0]
        if token.pos_ == "PROPN" and (not at_start or lexicon.is_given_name(lowers[0])):
            return PERSON, False  # "Anna is from ...": the model and the census agree
        return None
    locative = words_before(doc, chunk[0], 1) and words_before(doc, chunk[0], 1)[-1] in LOCATIVE
    if n >= 2:
        if given or (lexicon.is_given_name(lowers[0]) and (surname or not is_word[-1])):
            return PERSON, True
        if unknown * 2 >= n:
            return (PLACE if locative else PERSON), False
        return None
    token = words[0]
    if given or surname:
        return (PLACE, True) if locative and not given else (PERSON, True)
    if unknown:
        if locative:
            return PLACE, False
        if not at_start and token.pos_ in {"PROPN", "NOUN", "X"}:
            return PERSON, False
        if at_start and token.dep_ in {"nsubj", "nsubjpass"} and token.pos_ in {"PROPN", "NOUN"}:
            return PERSON, False  # "Vsevolod is very reliable"
        return None
    if is_word[0] and not lexicon.is_given_name(lowers[0]) and _used_as_common_noun(token):
        return None  # "our growing Nation", "this new Senate majority", "Members of Congress": a surname, but a noun
    if not at_start and not article and (token.pos_ == "PROPN" and lexicon.is_name(lowers[0])
                                         or token.pos_ == "NOUN" and lexicon.is_given_name(lowers[0])):
        return PERSON, False  # "That was Crystal's point", "Muslija and Brown"
    if (lexicon.is_given_name(lowers[0], _COMMON_GIVEN_RANK) and at_start and token.pos_ == "PROPN"
            and token.dep_ in {"nsubj", "nsubjpass"}):
        return PERSON, False  # "Crystal began writing" (a surname such as "Job" or "Old" is too often a word)
    return None


def _drawn_out(word: str, lexicon: Lexicon) -> bool:
    """Whether `word` is an ordinary word with a letter drawn out ("sooo", "yaay", "heyyy"): no word or name as
    written, a word once each run of one letter is cut to one ("so", "yay", "hey"). A name keeps its doubled
    letters ("Anne", "Matt" are names as written, though "ane" and "mat" are words).

    >>> lexicon = Lexicon({"anne": 1}, {}, frozenset({"so", "yay", "ane"}))
    >>> [_drawn_out(w, lexicon) for w in ("sooo", "yaay", "anne", "so", "ottoline")]
    [True, True, False, False, False]
    """
    single = re.sub(r"(.)\1+", r"\1", word)
    return single != word and not lexicon.is_word(word) and not lexicon.is_name(word) and lexicon.is_word(single)


def _used_as_common_noun(token) -> bool:
    """Whether a capitalised word is used as a common noun: with a determiner, possessive or adjective of
    its own ("our growing Nation"), as the modifier of such a noun ("this new Senate majority"), or with an
    "of" phrase ("Members of Congress"). A person's name takes none of these."""
    if any(c.dep_ in {"det", "poss", "amod"} or (c.dep_ == "prep" and c.lower_ == "of") for c in token.children):
        return True
    head = token.head
    return (token.dep_ == "compound" and head is not token and head.pos_ == "NOUN"
            and any(c.dep_ in {"det", "poss", "amod"} for c in head.children))


def _common_name(word: str, lexicon: Lexicon) -> bool:
    return lexicon.is_given_name(word, _COMMON_GIVEN_RANK) or lexicon.surnames.get(word, _COMMON_GIVEN_RANK + 1) \
        <= _COMMON_GIVEN_RANK


def _no_vowel(text: str) -> bool:
    """A word of the Latin alphabet without a vowel, not an abbreviation ("Shh", "Hmm"; not "St.", "Μπλ")."""
    return text.isascii() and text.isalpha() and len(text) >= 3 and not _VOWEL.search(text.lower())


def _restarted(word: str, following: str) -> bool:
    """Whether `following` says `word` again, whole or cut off before it: "ve" -> "velmira", "cat" -> "cat"."""
    return following.startswith(word)


# How far after a cut-off word the speaker says it whole: "Unti uh uh until", "earl you were saying earlier".
_RESTART_WINDOW = 6


def cut_off(doc, token) -> bool:
    """Whether `token` is a word broken off and then said whole within a few words ("Expe our experiences").

    Transcripts of meetings write what was said, false starts too; a capitalised
    fragment looks like a name to every other rule. Only a fragment that is a
    proper prefix of a later word counts (two letters or more), so "Ann
    announced" needs the caller to spare first names.
    """
    word = token.lower_
    if len(word) < 2 or not word.isalpha():
        return False
    seen, i = 0, token.i + 1
    while i < len(doc) and seen < _RESTART_WINDOW:
        later = doc[i]
        if later.is_alpha:
            seen += 1
            if later.lower_ != word and later.lower_.startswith(word):
                return True
        elif "\n" in later.text:
            return False
        i += 1
    return False


def _after_locative(doc, token) -> bool:
    before = words_before(doc, token, 1)
    return bool(before) and before[-1] in LOCATIVE


def is_certain(doc, chunk: list, kind: str) -> bool:
    """Whether the words around a chunk say what it is, whatever the corpus suggests.

    A person: a title ("Mr", "Cllr"), a role or kin word before it ("my
    manager X", "Sarah's mum"), "my name is X", "call me X", "I'm X", a
    speaker label, or a greeting or sign-off addressing it ("Thanks, X").
    Not the looser contexts that also find names ("went with X", "X said"),
    which products and companies share ("went with Amazon").
    A place: a street's suffix or word
    ("Tanners Row", "Rua do Arenque"), a house number before it, "the corner
    of". A number after it is no proof: "Python 3", "Windows 11".
    """
    if kind == PERSON:
        return _says_person(doc, chunk)
    lowers = [t.lower_.rstrip(".") for t in chunk]
    previous = _previous_word(doc, chunk[0])
    return ((len(lowers) > 1 and lowers[-1] in PLACE_SUFFIX_WORDS) or lowers[0] in STREET_WORDS
            or (previous is not None and previous.is_digit) or words_before(doc, chunk[0], 2) == ("corner", "of"))


# Words before a name that say it is a person, not a thing: roles and kin, not verbs.
_ROLE_BEFORE = frozenset(w for w in PERSON_BEFORE_1 if w not in {
    "ask", "asked", "asking", "tell", "told", "telling", "thank", "thanked", "email", "emailed", "emailing", "phone",
    "phoned", "ring", "rang", "text", "texted", "message", "messaged", "meet", "met", "cc", "invite", "invited",
    "contact", "contacted", "client", "worker", "officer", "chair", "director", "consultant"})
_INTRODUCED = NAME_INTRODUCERS | {("i", "'m"), ("i", "’m"), ("i", "am")}


def _says_person(doc, chunk: list) -> bool:
    first, last = chunk[0], chunk[-1]
    before = words_before(doc, first, 2)
    if before and (before[-1].rstrip(".") in TITLES or before[-1] in _ROLE_BEFORE):
        return True
    if before[-2:] in _INTRODUCED or before[-1:] in _INTRODUCED:
        return True
    after = _after(doc, last, 2)
    if after and after[0] in {"'s", "’s"} and len(after) > 1 and after[1] in KIN_AFTER_POSSESSIVE:
        return True
    label = (after[:1] == (":",) or (not last.whitespace_ and last.i + 1 < len(doc)
                                      and doc[last.i + 1].text.startswith(":")))
    return (label and _opens_clause(first)) or addressed(doc, chunk)


def spread_over_lists(doc, chunks: list[list], decided: dict, lexicon: Lexicon) -> None:
    """In "Usamov and Bowers" or "Efimiya, Isabel, Teresa and Jodi", one person makes the others people."""
    groups, current = [], [0] if chunks else []
    for n in range(1, len(chunks)):
        between = doc[chunks[n - 1][-1].i + 1:chunks[n][0].i]
        if between and all(t.lower_ in {",", "and", "or", "&", "nor"} or t.is_space for t in between):
            current.append(n)
        else:
            groups.append(current)
            current = [n]
    if current:
        groups.append(current)
    for group in groups:
        if len(group) < 2 or not any(decided[n] and decided[n][0] == PERSON for n in group):
            continue
        for n in group:
            words = [t for t in chunks[n] if _is_cap(t)]
            if all(t.lower_.rstrip(".") in TITLES for t in words):
                continue  # "our President, Orrin Halvard": a title in apposition, no second person
            if decided[n] is None and words and len(words) <= 3 and entity_label(chunks[n]) not in _SKIP_LABELS:
                plain = all(lexicon.is_word(t.lower_, t.lemma_) and not lexicon.is_name(t.lower_) for t in words)
                if not plain:
                    decided[n] = (PERSON, False)

