"""People and places in one parsed turn.

The small English model misses lone first names, lower-case names and names
it does not know, and calls some people places or organisations. So its
entities are one kind of evidence among several, weighed per run of
capitalised words (a "chunk", e.g. "Mr Dustin Wirth", "Iva D. Grusová",
"Leaf van Boven"):

- the entity label over the chunk (PERSON, GPE/LOC/FAC; ORG only when the
  chunk starts with a first name);
- titles and context: "Mr", "my manager", "my name is", "call me", "asked",
  "spoke to", a vocative ("Warrane, can I ..."), "said", "and I", a
  possessive family word ("Asya's kid"), a speaker label ("Éva:");
- the word lists (census first names and surnames; dictionary words);
- shape: a capitalised word that is no dictionary word, inside a sentence,
  is a proper noun; an initial or particle between capitalised words makes a
  name; a run of them in a list with a known person is people too.

Each finding is "strong" (its forms are replaced everywhere, in any case,
unless a part is an ordinary word) or "weak" (replaced where it is written
capitalised).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import FILLERS, PARTICLES, TITLES, Lexicon
from .patterns import PERSON, PLACE

# Words after which the next name is a person.
_PERSON_BEFORE_1 = frozenset("""
called named dear hi hello hey thanks cheers ask asked asking tell told telling thank thanked email emailed
emailing phone phoned ring rang text texted message messaged meet met cc invite invited contact contacted
manager boss colleague colleagues friend friends husband wife partner son daughter mum mom mother dad father
brother sister kid kids child children uncle aunt auntie nan nana gran granny grandma grandad grandpa grandson
granddaughter cousin nephew niece neighbour neighbor supervisor director client carer caseworker worker
officer gp doctor nurse consultant therapist mentor coach teacher tutor tenant landlord landlady lodger
flatmate housemate fiance fiancé fiancée boyfriend girlfriend ex deputy assistant secretary chair ceo mp mate
""".split())
_PERSON_BEFORE_2 = frozenset({
    ("name", "is"), ("name", "'s"), ("name", "’s"), ("names", "are"), ("call", "me"), ("called", "me"),
    ("call", "him"), ("call", "her"), ("known", "as"), ("spoke", "to"), ("speak", "to"), ("speaking", "to"),
    ("talked", "to"), ("talk", "to"), ("talking", "to"), ("chat", "to"), ("chatted", "to"), ("chatting", "to"),
    ("went", "with"), ("this", "is"), ("i", "'m"), ("i", "’m"), ("i", "am"), ("it", "'s"), ("it", "’s"),
    ("name", ":"), ("heard", "from"), ("hear", "from"), ("email", "from"), ("message", "from"), ("thank", "you"),
    ("with", "mr"), ("by", ":"), ("user", ":"),
})
# After these, even a lower-case word is a name: "my name is vitoria", "call me borna".
_NAME_INTRODUCERS = frozenset({("name", "is"), ("name", "'s"), ("name", "’s"), ("call", "me"), ("called", "me"),
                               ("known", "as"), ("name", ":"), ("named",), ("called",)})
_PERSON_AFTER = frozenset("""
said says told asked reckons reckoned mentioned explained suggested replied shouted whispered wrote emailed
rang phoned texted messaged thinks thought feels felt agreed argued insisted claimed admitted laughed lives
lived works worked
""".split())
_KIN_AFTER_POSSESSIVE = frozenset("""
mum mom mother dad father wife husband partner son daughter kid kids child children brother sister family
manager boss friend friends daughter's son's
""".split())
# A chunk holding one of these is an organisation or a thing, not a person.
_ORG_WORDS = frozenset("""
ltd limited inc plc llc llp corp corporation company co group council trust services service partners
partnership associates agency bank university college academy foundation association society institute
department dept team board committee network centre center project programme program scheme forum club church
ministry office authority commission union federation alliance consortium international systems solutions
technologies technology software labs media news times post weekly daily magazine party cafe café restaurant
hotel pub shop store market pharmacy clinic practice police credit benefit allowance act orchestra band choir
records studios studio productions films pictures entertainment games capital ventures holdings industries
enterprises logistics consulting consultancy analytics research investments insurance energy motors airlines
airways foods healthcare pharma pharmaceuticals laboratories transit transport traffic digital networks
communications telecom publishing press herald gazette tribune radio television sons brothers bros
""".split())
# Verbs of going: "flew to Coles", "returned to Feliciano" make a place of what follows "to".
_MOTION = frozenset("""
fly flew flown go went gone move moved return returned drive drove travel travelled traveled come came head
headed get got relocate relocated commute commuted
""".split())
_NOT_NAMES = frozenset("""
january february march april may june july august september october november december monday tuesday wednesday
thursday friday saturday sunday christmas easter i i'm i've i'd i'll mondays tuesdays wednesdays thursdays
fridays saturdays sundays mum mom dad mummy daddy mam nan nana gran granny grandma grandad grandpa apt suite
box unit flat floor room po st
""".split()) | FILLERS
# Streets, estates and buildings: a capitalised name followed by one of these.
_PLACE_SUFFIXES = ("Road|Rd|Street|St|Lane|Avenue|Ave|Close|Court|Terrace|Row|Way|Drive|Crescent|Place|Gardens|"
                   "Grove|Park|Estate|Fields|Green|Hill|Square|Walk|Mews|Rise|View|Parade|Hospital|Surgery|"
                   "Library|School|Academy|College|House|Towers|Heights|Village|Bridge|Wharf|Strasse|Straße|"
                   "gata|gade|vej|katu|utca")
_PLACE_RE = re.compile(rf"\b(?:\d{{1,5}}[A-Za-z]?,?[ \t]+)?(?:[A-Z][\w'’]+[ \t]+){{1,3}}(?:{_PLACE_SUFFIXES})\b"
                       rf"|\b(?P<lower>(?:[A-Z][\w'’]+[ \t]+){{1,2}})(?:estate|ward|village|road|street)\b")
PLACE_SUFFIX_WORDS = frozenset(w.lower() for w in _PLACE_SUFFIXES.split("|"))
# Words that open a street's name in other languages: "Rua do Arenque", "Via Franscini".
_STREET_WORDS = frozenset("""
rua via rue calle avenida av avda ul ulica piazza plaza viale strada boulevard chemin
""".split())
# Prepositions after which a capitalised proper noun is nearly always a place in speech.
_LOCATIVE = frozenset({"in", "at", "from", "near", "around", "outside", "towards", "round", "past", "via",
                       "into", "across"})
# Entity labels that rule a chunk out. ORG, PRODUCT, WORK_OF_ART, EVENT and LAW do not: the small
# model gives them to people ("Edvard Petrussen" ORG), and a chunk with an organisation's word in
# it ("Council", "Ltd") is ruled out anyway.
_SKIP_LABELS = frozenset({"NORP", "LANGUAGE", "DATE", "TIME", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
                          "PERCENT"})
# Census first names up to this rank count as names when written in lower case (the rarer ones
# include "hang" and "numbers").
_LOWER_CASE_GIVEN_RANK = 1000
_INITIAL = re.compile(r"(?=[^\W\d_])[^\W\d_a-zß-ÿ]\.?")  # one capital letter, any script: "D.", "Á"
# Capitals inside a word make a product or an acronym ("SMARTboard", "iPhone", "PowerPoint"),
# except after the prefixes of names ("McConnan", "O'Brien", "DeShawn", "MacDonald").
_CAMEL = re.compile(r"[A-Z]{2,}|(?<!^Mc)(?<!^Mac)(?<!^O')(?<!^O’)(?<!^D')(?<!^D’)(?<!^De)(?<!^Di)(?<!^Da)(?<!^La)"
                    r"(?<!^Le)(?<!^Van)(?<!^Von)(?<!^Fitz)(?<=[a-z'’])[A-Z]")
_CLAUSE_OPENERS = frozenset('.!?:;"“”‘’\'()[]—–->*•')


@dataclass(frozen=True)
class Found:
    """One name in one turn.

    `strong`: replaced everywhere, in any case. `certain`: the text itself
    says it is a person or a place (a title, "my manager X", "X said", a
    speaker label, "my name is", a street's suffix), which outweighs what the
    rest of the corpus suggests (see `corpus.CorpusEvidence`). `label`: the
    spaCy entity label over it, or "".
    """

    start: int
    end: int
    kind: str  # PERSON or PLACE
    surface: str
    strong: bool
    certain: bool = False
    label: str = ""


def find_names(doc, lexicon: Lexicon, keep: frozenset[str], entity_labels: frozenset[str],
               lower_case_text: bool | None = None) -> list[Found]:
    """People and places in one parsed text, by entity, shape, context and word list.

    `lower_case_text`: the whole transcript is written without capitals, so
    a word that is in no dictionary is taken for a name. None: judge this
    text alone.
    """
    found: list[Found] = []
    text = doc.text  # spaCy rebuilds it on every access
    if lower_case_text is None:
        lower_case_text = not any(c.isupper() for c in text)
    decided: dict[int, tuple[str, bool] | None] = {}
    chunks = _chunks(doc, lexicon)
    for n, chunk in enumerate(chunks):
        decided[n] = _decide(doc, chunk, lexicon)
    _spread_over_lists(doc, chunks, decided, lexicon)
    for n, chunk in enumerate(chunks):
        verdict = decided[n]
        if verdict is None:
            continue
        kind, strong = verdict
        if kind == PLACE and "GPE" not in entity_labels and "LOC" not in entity_labels:
            continue
        start, end = chunk[0].idx, chunk[-1].idx + len(chunk[-1])
        surface = text[start:end]
        if _norm(surface) not in keep:
            found.append(Found(start, end, kind, surface, strong, _certain(doc, chunk, kind), _label(chunk)))
    seen = [(c[0].idx, c[-1].idx + len(c[-1])) for c in chunks]
    found.extend(_entities(doc, lexicon, keep, entity_labels, seen, lower_case_text))
    found.extend(_capitals_after_locative(doc, lexicon, keep, found))
    found.extend(_speaker_labels(doc, text, lexicon, keep, lower_case_text, found))
    found.extend(_lower_case_names(doc, lexicon, keep, lower_case_text, found))
    found.extend(_place_patterns(doc, text, lexicon, keep))
    return found


# ----------------------------------------------------------------------------- chunks

def _is_cap(token) -> bool:
    """A capitalised word that could be (part of) a name: not "SMARTboard", "T_V_s", "Mum" or "Monday"."""
    text = token.text
    letters = re.sub(r"['’.\-]", "", text)
    return (len(letters) >= 2 and letters.isalpha() and text[0].isupper() and any(c.islower() for c in letters)
            and not _CAMEL.search(text) and token.lower_ not in _NOT_NAMES)


def _chunks(doc, lexicon: Lexicon) -> list[list]:
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
            if _is_cap(nxt) and not _title(nxt):
                j += 1
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
              and (head.pos_ not in {"PROPN", "NOUN"} or lower in _NOT_NAMES)
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

def _before(doc, token, n: int) -> tuple[str, ...]:
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


def _person_context(doc, chunk: list) -> bool:
    first, last = chunk[0], chunk[-1]
    before = _before(doc, first, 4)
    if before and (before[-1].rstrip(".") in TITLES or before[-1] in _PERSON_BEFORE_1):
        return True
    if len(before) >= 2 and (before[-2:] in _PERSON_BEFORE_2 or (before[-1] == "." and before[-2] in TITLES)):
        return True
    if len(before) >= 2 and before[-2:] == ("name", "?"):
        return True  # "What's your last name? Boyle"
    after = _after(doc, last, 2)
    verb = _after_adverbs(doc, last)
    if verb is not None and verb.lower_ in _PERSON_AFTER:
        return True
    if after[:2] in {("and", "i"), ("and", "me")}:
        return True
    if after and after[0] in {"'s", "’s"} and len(after) > 1 and after[1] in _KIN_AFTER_POSSESSIVE:
        return True
    if _opens_clause(first) and after and after[0] in {",", ":"} and len(chunk) <= 3:
        return True  # a vocative ("Warrane, can I ...") or a speaker label ("Éva: ...")
    if (not last.whitespace_ and last.i + 1 < len(doc) and doc[last.i + 1].text.startswith(":")
            and _opens_clause(first)):
        return True  # 'Éva:"Who are you?"': a label glued to its words
    return False


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
            and previous.head.lower_ in _MOTION)


def _previous_word(doc, token):
    i = token.i - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return doc[i] if i >= 0 else None


def _label(chunk: list) -> str:
    """The entity label most of the chunk's capitalised words carry ("ten" in "Willemine ten Pas" does not count)."""
    labels = [t.ent_type_ for t in chunk if t.ent_type_ and _is_cap(t)]
    return max(set(labels), key=labels.count) if labels else ""


def _decide(doc, chunk: list, lexicon: Lexicon) -> tuple[str, bool] | None:
    """(kind, strong) for a chunk of capitalised words, or None when it is not a person or place."""
    words = [t for t in chunk if _is_cap(t)]
    if not words:
        return None
    lowers = [t.lower_.rstrip(".") for t in words]
    n = len(words)
    label = _label(chunk)
    is_word = [lexicon.is_word(w, t.lemma_) or t.is_stop for w, t in zip(lowers, words)]
    shaped = len(words) < len(chunk)  # an initial, particle or hyphen joins two capitalised words
    titled = bool(_before(doc, chunk[0], 1)) and _before(doc, chunk[0], 1)[-1].rstrip(".") in TITLES
    if any(w in _ORG_WORDS for w in lowers) and not titled:
        return None
    if lowers[-1] in PLACE_SUFFIX_WORDS and n > 1:
        return PLACE, True
    given = lexicon.is_given_name(lowers[0]) and not is_word[0]
    surname = lexicon.is_surname(lowers[-1]) and not is_word[-1]
    unknown = sum(not w for w in is_word)
    at_start = _opens_clause(chunk[0])
    context = titled or _person_context(doc, chunk)

    if n == 1 and words[0].is_stop:
        return None
    previous, following = _previous_word(doc, chunk[0]), _next_word(doc, chunk[-1])
    if (label in {"GPE", "LOC", "FAC"} or lowers[0] in _STREET_WORDS or (previous is not None and previous.is_digit)
            or (following is not None and following.is_digit and not titled) or _gone_to(doc, chunk[0])
            or _before(doc, chunk[0], 2) == ("corner", "of")):
        return PLACE, True  # "Estonia", "Rua do Arenque", "14 Tanners Row", "Sludevej 13", "flew to Coles"
    # Ordinary words ("Maybe", "Euro", "User Interface") need a first name or surname among them
    # ("Will", "Brown") or a title before them.
    plain = all(w and not lexicon.is_name(x) for w, x in zip(is_word, lowers))
    if plain and not titled:
        return None
    if not titled and (label in {"NORP", "LANGUAGE"} or (label in _SKIP_LABELS and not unknown)):
        return None  # "I'm Portuguese", "Thursday"; not "Sandgreen", which the model called a number
    vocative_only = context and n == 1 and is_word[0] and not titled and not lexicon.is_given_name(lowers[0]) \
        and _after(doc, chunk[-1], 1) == (",",) and label != "PERSON"
    if vocative_only:
        return None  # "Cool, what's the address?"
    if context or (shaped and n >= 2):
        return PERSON, True
    if label in _SKIP_LABELS and not unknown:
        return None
    if label == "PERSON":
        if n >= 2 or unknown or given or surname:
            return PERSON, True
        token = words[0]
        if token.pos_ == "PROPN" and (not at_start or lexicon.is_given_name(lowers[0])):
            return PERSON, False  # "Anna is from ...": the model and the census agree
        return None
    locative = _before(doc, chunk[0], 1) and _before(doc, chunk[0], 1)[-1] in _LOCATIVE
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
    if not at_start and (token.pos_ == "PROPN" and lexicon.is_name(lowers[0])
                         or token.pos_ == "NOUN" and lexicon.is_given_name(lowers[0])):
        return PERSON, False  # "That was Crystal's point", "Muslija and Brown"
    if lexicon.is_given_name(lowers[0]) and at_start and token.pos_ == "PROPN" and token.dep_ in {"nsubj", "nsubjpass"}:
        return PERSON, False  # "Crystal began writing" (a surname such as "Job" or "Old" is too often a word)
    return None


def _certain(doc, chunk: list, kind: str) -> bool:
    """Whether the words around a chunk say what it is, whatever the corpus suggests.

    A person: a title ("Mr", "Cllr") or a name context ("my manager X",
    "X said", "call me X", a vocative). A place: a street's suffix or word
    ("Tanners Row", "Rua do Arenque"), a house number before it, "the corner
    of". A number after it is no proof: "Python 3", "Windows 11".
    """
    before = _before(doc, chunk[0], 1)
    if kind == PERSON:
        return bool(before) and before[-1].rstrip(".") in TITLES or _person_context(doc, chunk)
    lowers = [t.lower_.rstrip(".") for t in chunk]
    previous = _previous_word(doc, chunk[0])
    return ((len(lowers) > 1 and lowers[-1] in PLACE_SUFFIX_WORDS) or lowers[0] in _STREET_WORDS
            or (previous is not None and previous.is_digit) or _before(doc, chunk[0], 2) == ("corner", "of"))


def _spread_over_lists(doc, chunks: list[list], decided: dict, lexicon: Lexicon) -> None:
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
            if decided[n] is None and words and len(words) <= 3 and _label(chunks[n]) not in _SKIP_LABELS:
                plain = all(lexicon.is_word(t.lower_, t.lemma_) and not lexicon.is_name(t.lower_) for t in words)
                if not plain:
                    decided[n] = (PERSON, False)


# ----------------------------------------------------------------------------- other sources

def _entities(doc, lexicon: Lexicon, keep, entity_labels, taken, lower_case_text: bool) -> list[Found]:
    """Entities outside every chunk: all-capitals places ("OULU"), people in a lower-case text."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in entity_labels or ent.label_ not in {"PERSON", "GPE", "LOC", "FAC", "ORG"}:
            continue
        start, end = ent.start_char, ent.end_char
        surface = re.sub(r"['’]s$", "", ent.text).strip()
        end = start + len(surface)
        if any(a < end and start < b for a, b in taken) or _norm(surface) in keep:
            continue
        letters = re.sub(r"[^\w]", "", surface)
        if len(letters) < 2 or _norm(surface) in _NOT_NAMES or not letters.isalpha() or "_" in surface:
            continue
        if surface.islower() and not lower_case_text:
            continue  # the model's guesses on lower-case words in a cased text are noise
        words = surface.split()
        if all(lexicon.is_word(w.lower()) or w.lower() in _NOT_NAMES for w in words):
            continue  # "Euro", "Rhubarb": a word the model mislabelled
        if ent.label_ == "ORG":
            continue
        kind = PERSON if ent.label_ == "PERSON" else PLACE
        out.append(Found(start, end, kind, surface, True, label=ent.label_))
    return out


def _capitals_after_locative(doc, lexicon: Lexicon, keep, found: list[Found]) -> list[Found]:
    """'flew to LEPPEN', 'grew up in SUND': a place in capitals (an acronym has few vowels)."""
    taken = [(f.start, f.end) for f in found]
    out = []
    for token in doc:
        text = token.text
        if not (text.isupper() and text.isalpha() and len(text) >= 4) or token.i == 0:
            continue
        if doc[token.i - 1].lower_ not in _LOCATIVE | {"to"} or any(a <= token.idx < b for a, b in taken):
            continue
        if sum(c in "AEIOUYÅÄÖØÆ" for c in text) < 2 or lexicon.is_word(text.lower()) or _norm(text) in keep:
            continue
        out.append(Found(token.idx, token.idx + len(text), PLACE, text, True))
    return out


_LABEL_RE = re.compile(r"^[ \t>*•?\-]*([^\W\d_][^\W\d_'’.\-]*(?:[ \t]+[^\W\d_][^\W\d_'’.\-]*){0,2})[ \t]*:(?!\d)",
                       re.MULTILINE)
# Field names written like a speaker label ("Phone:", "Q:").
_FIELDS = frozenset("""
name names phone email e-mail website web address date time note notes subject re fax mobile desk office tel
telephone q a i r p interviewer interviewee respondent participant speaker user bot agent customer caller host
guest moderator facilitator chair answer question
""".split())


def _speaker_labels(doc, text: str, lexicon: Lexicon, keep, lower_case_text: bool,
                    found: list[Found]) -> list[Found]:
    """'Éva: What a wife.', 'mika: "who are you?"': a name at the start of a line, before a colon."""
    taken = [(f.start, f.end) for f in found]
    out = []
    for m in _LABEL_RE.finditer(text):
        start, end = m.span(1)
        words = m.group(1).split()
        if any(a < end and start < b for a, b in taken) or _norm(m.group(1)) in keep:
            continue
        lowers = [w.lower().strip(".") for w in words]
        if any(w in _FIELDS or w in _NOT_NAMES for w in lowers):
            continue
        if not lower_case_text and not all(w[0].isupper() for w in words):
            continue
        if all(lexicon.is_word(w) and not lexicon.is_given_name(w) for w in lowers):
            continue
        out.append(Found(start, end, PERSON, m.group(1), True, certain=True))
    return out


def _lower_case_names(doc, lexicon: Lexicon, keep, lower_case_text: bool, found: list[Found]) -> list[Found]:
    """Names written in lower case: after "my name is", next to a said-verb, or in an all lower-case text."""
    taken = [(f.start, f.end) for f in found]
    out = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if not (token.is_lower and token.is_alpha) or any(a <= token.idx < b for a, b in taken):
            i += 1
            continue
        lower = token.lower_
        before = _before(doc, token, 2)
        function = token.is_stop or lower in _NOT_NAMES
        word = lexicon.is_word(lower, token.lemma_)
        introduced = (before[-1:] in _NAME_INTRODUCERS or before[-2:] in _NAME_INTRODUCERS) and not (function or word)
        given = lexicon.is_given_name(lower, _LOWER_CASE_GIVEN_RANK) and not function
        article = token.i > 0 and doc[token.i - 1].pos_ == "DET"
        cue = given and (not word or (token.pos_ in {"PROPN", "NOUN"} and not article)) \
            and _person_context(doc, [token])
        # In a text without capitals, a word in no dictionary is a name: "leone mazzi", "bártová".
        unknown = lower_case_text and not word and not function and len(lower) >= 3
        if not (introduced or cue or unknown):
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and "\n" not in doc[j].whitespace_:
            nxt = doc[j + 1]
            if nxt.is_lower and nxt.is_alpha and not nxt.is_stop and not lexicon.is_word(nxt.lower_, nxt.lemma_):
                j += 1  # the surname: "patricia desrosiers"
            elif (len(nxt.text) == 1 and nxt.is_alpha and j + 2 < len(doc) and doc[j + 2].is_alpha
                  and not doc[j + 2].is_stop and not lexicon.is_word(doc[j + 2].lower_, doc[j + 2].lemma_)):
                j += 2  # an initial: "benjamin a seiler"
            else:
                break
        start, end = token.idx, doc[j].idx + len(doc[j])
        surface = doc.text[start:end]
        if _norm(surface) not in keep:
            out.append(Found(start, end, PERSON, surface, True, certain=introduced or cue))
        i = j + 1
    return out


def _place_patterns(doc, text: str, lexicon: Lexicon, keep) -> list[Found]:
    """Streets, estates and buildings the recogniser missed: "Tanners Row", "the Beechwood estate"."""
    out = []
    for m in _PLACE_RE.finditer(text):
        surface = m.group()
        while True:  # "So Tanners Row": the sentence's first word is not part of the name
            head, _, rest = surface.partition(" ")
            if rest and (doc.vocab[head.lower()].is_stop or head.lower() in _NOT_NAMES):
                surface = rest.lstrip()
            else:
                break
        start = m.end() - len(surface)
        if m.group("lower"):
            name = surface.rsplit(None, 1)[0]
            opening = not text[:start].strip() or text[:start].rstrip()[-1] in ".!?:;\"“"
            if opening and all(lexicon.is_word(w) for w in name.split()):
                continue  # "Industrial estate at ...": an ordinary word that opens a sentence
        if surface.split()[0].lower() not in PLACE_SUFFIX_WORDS and _norm(surface) not in keep:
            out.append(Found(start, m.end(), PLACE, surface, True, certain=True))
    return out


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())
