"""What the whole corpus says about a word that one turn took for a name.

One turn alone cannot tell "Spark" the framework from a Mr Spark, or
"Whiteboard" at the start of a sentence from a person called Whiteboard. The
corpus often can:

- **technology and products.** A pinned list of software, product and company
  names (`technology.txt`), less those that are also census first names
  ("Ruby", "Julia"), for which the usual evidence decides.
- **ordinary nouns.** A word written in lower case in most of its occurrences
  across the corpus ("the whiteboard", "our whiteboards") is an ordinary
  noun, whatever the dictionary says.
- **organisations.** A single word the parser labels ORG or PRODUCT in most
  places it was found, in two conversations or more ("Postgres",
  "Salesforce"), is an organisation or a product, unless it is a census name.
  One conversation is not enough: the small model calls many an unusual
  surname ORG. Organisations are kept unless `[anonymise]
  redact_organisations` is set.

None of this overrides a finding the text itself is certain of (a title,
"my manager X", "X said", a speaker label: `Found.certain`), nor a known
name (speaker, roster), which never passes through here.

Examples
--------
>>> evidence = CorpusEvidence.from_texts(["the whiteboard was full", "Whiteboard photos"],
...                                      technology=frozenset({"python"}), given_names=frozenset())
>>> evidence.why_not_a_name("Whiteboard"), evidence.why_not_a_name("Python"), evidence.why_not_a_name("Priya")
('ordinary noun', 'technology', None)
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

TECHNOLOGY = "technology"
ORDINARY_NOUN = "ordinary noun"
ORGANISATION = "organisation"

_ORG_LABELS = frozenset({"ORG", "PRODUCT"})
_WORD = re.compile(r"[^\W\d_][\w'’.+#-]*[\w+#]|[^\W\d_]")
_SPELT_LETTER = re.compile(r"[^\W\d_]_?")
_SENTENCE_END = re.compile(r"[.!?:;\"“”\n]\s*$|^\s*$")


@lru_cache(maxsize=1)
def technology_names() -> frozenset[str]:
    """The pinned list of technology, product and company names, case-folded."""
    text = resources.files(__package__).joinpath("technology.txt").read_text(encoding="utf-8")
    return frozenset(_key(line) for line in text.splitlines() if line.strip() and not line.startswith("#"))


@dataclass
class CorpusEvidence:
    """Per-word counts over the corpus, and the verdicts that follow from them.

    Parameters
    ----------
    technology : case-folded technology and product names.
    given_names : case-folded common first names, exempt from every rule
        here (a "Mark" is still judged on its own evidence).
    surnames : case-folded common surnames, exempt from the organisation rule.
    lower_case : word -> occurrences written in lower case.
    total : word -> occurrences in any case.
    org_labels : surface -> (findings labelled ORG or PRODUCT, findings, conversations).
    keep_organisations : whether an organisation is kept (the default).
    """

    technology: frozenset[str]
    given_names: frozenset[str]
    surnames: frozenset[str] = frozenset()
    lower_case: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    org_labels: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    keep_organisations: bool = True

    @classmethod
    def from_texts(cls, texts: Iterable[str], technology: frozenset[str], given_names: frozenset[str],
                   findings: Iterable = (), surnames: frozenset[str] = frozenset(),
                   keep_organisations: bool = True) -> CorpusEvidence:
        """Count, for every word, how often it is written in lower case, away from a sentence's start.

        `findings`: (conversation, `names.Found`) for every finding of the
        first pass, for the ORG votes. Given findings, only the words of
        their surfaces are counted (the only words asked about), and only
        texts holding one of them are read word by word: a run's text is
        megabytes, its findings a few hundred words.
        """
        findings = list(findings)
        words = {w for _, found in findings for w in _key(found.surface).split()} if findings else None
        holds = re.compile("|".join(map(re.escape, sorted(words)))).search if words else None
        lower_case, total = Counter(), Counter()
        for text in texts:
            if words is not None and (holds is None or not holds(text.casefold())):
                continue
            for match in _WORD.finditer(text):
                word = match.group()
                key = word.casefold()
                # A plural counts for its singular too: "whiteboards" says "whiteboard" is a noun.
                forms = [key] + [key[:-n] for n in (1, 2) if key.endswith("es"[2 - n:]) and len(key) > n + 2]
                if words is not None:
                    forms = [form for form in forms if form in words]
                    if not forms:  # a word nobody asks about: nothing to count, so no need to look around it
                        continue
                if word[0].isupper() and _SENTENCE_END.search(text[max(0, match.start() - 3):match.start()]):
                    continue  # a capital the sentence gives, which says nothing of the word
                total.update(forms)
                if word.islower():
                    lower_case.update(forms)
        votes: dict[str, list] = {}
        for conversation, found in findings:
            vote = votes.setdefault(_key(found.surface), [0, 0, set()])
            vote[0] += found.label in _ORG_LABELS
            vote[1] += 1
            vote[2].add(conversation)
        org_labels = {key: (labelled, seen, len(where)) for key, (labelled, seen, where) in votes.items()}
        return cls(technology, given_names, surnames, lower_case, total, org_labels, keep_organisations)

    def why_not_a_name(self, surface: str) -> str | None:
        """The reason a name found on the turn's own, uncertain evidence is not a name; None if it may be one."""
        key = _key(surface)
        words = key.split()
        if not words or words[0] in self.given_names:
            return None
        if self._technology(key) or (any(self._technology(w) for w in words)
                                     and all(self._technology(w) or self._ordinary(w) for w in words)):
            return TECHNOLOGY  # "Azure", "Google Cloud", "Azure Functions", "Legos"
        if len(words) > 1:
            return None
        if self._ordinary(words[0]):
            return ORDINARY_NOUN
        labelled, seen, conversations = self.org_labels.get(key, (0, 0, 0))
        if self.keep_organisations and conversations >= 2 and 2 * labelled > seen and key not in self.surnames:
            return ORGANISATION
        return None

    def _in_technology_name(self, found, text: str) -> str | None:
        before = _WORD.findall(text[max(0, found.start - 30):found.start])[-1:]
        after = _WORD.findall(text[found.end:found.end + 30])[:1]
        for words in (before + [found.surface], [found.surface] + after):
            if len(words) == 2 and _key(" ".join(words)) in self.technology:
                return TECHNOLOGY  # "Power BI"
            if (len(words) == 2 and _SPELT_LETTER.fullmatch(words[0])
                    and _key("".join(words).replace("_", "")) in self.technology):
                return TECHNOLOGY  # a letter spelt out, as transcripts write it: "C_ Beebies"
        return None

    def _technology(self, key: str) -> bool:
        """A listed name, or its plural: "iPhones", "Legos"."""
        return key in self.technology or (key.endswith("s") and key[:-1] in self.technology)

    def _ordinary(self, word: str) -> bool:
        return 2 * self.lower_case[word] > self.total[word]

    def filter(self, findings: Sequence, counts: Counter | None = None, text: str = "") -> list:
        """The findings that may still be names; `counts` tallies the others by reason.

        With the turn's `text`, a finding next to a technology word that makes a
        listed name with it is technology too: "Google Cloud", "Power BI".
        """
        kept = []
        for found in findings:
            reason = None if found.certain else (self.why_not_a_name(found.surface)
                                                 or self._in_technology_name(found, text))
            if reason is None:
                kept.append(found)
            elif counts is not None:
                counts[reason] += 1
        return kept


def _key(surface: str) -> str:
    """Case-folded words of a name, possessive or contraction dropped: "Azure's", "Apple've" -> "azure", "apple"."""
    surface = re.sub(r"['’](?:s|ve|ll|re|d|m)?$", "", surface.strip())
    return " ".join(surface.casefold().split())
