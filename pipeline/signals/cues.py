"""Match the cue patterns once per parsed turn and give each quote unit the cues inside it."""
from __future__ import annotations

from functools import lru_cache

from .patterns import DECISION_DEP_PATTERNS, HEDGE_DEP_PATTERNS, KINDS, MATCHER_PATTERNS

# Matching runs once per Doc and a unit keeps the matches lying wholly inside
# it (`doc_cue_names`), which is what matching a copy of the unit alone
# (`Span.as_doc`) gives only for patterns that read what `as_doc` copies
# unchanged. `as_doc` keeps each token's text, lexical flags, tag, POS and
# lemma, but gives a token whose head lies outside the span an in-span head
# and the label "dep". So: token patterns may test only the attributes below;
# dependency links must be parent > child (or child < parent) with the child
# required to carry a label other than "dep" (an in-span child with such a
# label kept its head), and only such children may test DEP. Checked when the
# matchers are built, so a new pattern cannot silently change the results.
_SPAN_SAFE_ATTRS = frozenset({"OP", "ORTH", "TEXT", "LOWER", "IS_PUNCT", "LEMMA", "TAG", "POS"})


def _check_span_safe(token_patterns: dict, dep_patterns: dict) -> None:
    """Raise ValueError for a pattern whose matches on a span's copy could differ from the Doc's inside the span."""
    for name, pattern_list in token_patterns.items():
        for pattern in pattern_list:
            for token_spec in pattern:
                if not set(token_spec) <= _SPAN_SAFE_ATTRS:
                    raise ValueError(f"cue {name!r} tests {sorted(set(token_spec) - _SPAN_SAFE_ATTRS)}, which "
                                     "Span.as_doc may change; per-Doc matching would not equal per-unit matching")
    for name, pattern_list in dep_patterns.items():
        for pattern in pattern_list:
            attrs = {node["RIGHT_ID"]: node["RIGHT_ATTRS"] for node in pattern}
            children = set()
            for node in pattern[1:]:
                if node["REL_OP"] not in (">", "<"):
                    raise ValueError(f"cue {name!r} uses REL_OP {node['REL_OP']!r}; only > and < are span-safe")
                children.add(node["RIGHT_ID"] if node["REL_OP"] == ">" else node["LEFT_ID"])
            for node_id, node_attrs in attrs.items():
                if not set(node_attrs) <= _SPAN_SAFE_ATTRS | {"DEP"}:
                    raise ValueError(f"cue {name!r} node {node_id!r} tests attributes Span.as_doc may change")
                dep = node_attrs.get("DEP")
                if node_id not in children:
                    if dep is not None:
                        raise ValueError(f"cue {name!r} node {node_id!r} tests DEP but is no link's child")
                    continue
                labels = [dep] if isinstance(dep, str) else dep.get("IN") if isinstance(dep, dict) else None
                if not labels or "dep" in labels or (isinstance(dep, dict) and set(dep) != {"IN"}):
                    raise ValueError(f"cue {name!r} node {node_id!r} must require DEP labels other than 'dep'")


@lru_cache(maxsize=4)
def vocab_matchers_for(vocab_id: int, vocab):
    from spacy.matcher import DependencyMatcher, Matcher

    _check_span_safe({name: pattern_list for _, patterns in MATCHER_PATTERNS
                      for name, pattern_list in patterns.items()}, {**DECISION_DEP_PATTERNS, **HEDGE_DEP_PATTERNS})
    built = {}
    for kind, patterns in MATCHER_PATTERNS:
        matcher = Matcher(vocab)
        for name, pattern_list in patterns.items():
            matcher.add(name, pattern_list)
        built[kind] = matcher
    dep = DependencyMatcher(vocab)
    for name, pattern_list in DECISION_DEP_PATTERNS.items():
        dep.add(name, pattern_list)
    built["decision_dep"] = dep
    hedge = DependencyMatcher(vocab)
    for name, pattern_list in HEDGE_DEP_PATTERNS.items():
        hedge.add(name, pattern_list)
    built["hedge_dep"] = hedge
    return built


# --- A cheap test of whether a matcher can fire on a Doc at all ---------------
# Matching is the cost of this stage (spaCy evaluates every "IN" predicate on
# every token, in Python), yet most turns hold no cue. Every token of a
# pattern that has no "OP" must match some token of the Doc, so a pattern
# cannot match a Doc none of whose tokens has a LOWER (or LEMMA) value that
# one of those tokens requires, and a matcher none of whose patterns can match
# need not run. This is a necessary condition only (other tests such as TAG,
# POS or optional tokens are ignored): it never skips a Doc the matcher could
# match, so the output is the same as always running it.
#
# Each distinct required test ("LOWER in {...}", "LEMMA in {...}") is one bit;
# a Doc's mask has the bits of the tests some token of it passes, and a
# pattern can match only if its mask (the bits of its required tests) is
# contained in the Doc's.

_COLUMNS = ("LOWER", "LEMMA")  # the attributes the test reads, in `_doc_mask`'s order


def _required_tests(pattern: list[dict]) -> list[tuple[str, frozenset]]:
    """(attribute, allowed values) of the LOWER/LEMMA tests every match of `pattern` must pass on some token."""
    tests = []
    for token_spec in pattern:
        # A DependencyMatcher node holds its token pattern under RIGHT_ATTRS; every node is required.
        attrs = token_spec.get("RIGHT_ATTRS", token_spec)
        if "OP" in attrs:  # optional, repeated or negated: proves nothing
            continue
        for attr, value in attrs.items():
            if attr not in _COLUMNS:
                continue
            if isinstance(value, str):
                tests.append((attr, frozenset([value])))
            elif isinstance(value, dict) and set(value) == {"IN"}:
                tests.append((attr, frozenset(value["IN"])))
    return tests


@lru_cache(maxsize=4)
def prefilter_for(vocab_id: int, vocab) -> tuple[tuple[dict, dict], dict[str, list[int]]]:
    """Bits of each (LOWER, LEMMA) string hash, and the pattern masks of each matcher of `vocab_matchers_for`."""
    test_bits: dict[tuple[str, frozenset], int] = {}
    value_bits: tuple[dict, dict] = ({}, {})
    pattern_masks: dict[str, list[int]] = {}
    groups = list(MATCHER_PATTERNS) + [("decision_dep", DECISION_DEP_PATTERNS)]
    for matcher_name, patterns in groups:
        masks = pattern_masks.setdefault(matcher_name, [])
        for pattern_list in patterns.values():
            for pattern in pattern_list:
                mask = 0
                for attr, values in _required_tests(pattern):
                    if (attr, values) not in test_bits:
                        bit = test_bits[(attr, values)] = 1 << len(test_bits)
                        column = value_bits[_COLUMNS.index(attr)]
                        for value in values:
                            key = vocab.strings[value]
                            column[key] = column.get(key, 0) | bit
                    mask |= test_bits[(attr, values)]
                masks.append(mask)
    return value_bits, pattern_masks


def _doc_mask(doc, value_bits: tuple[dict, dict]) -> int:
    """The bits of the required tests that some token of `doc` passes."""
    from spacy.attrs import LEMMA, LOWER

    if not len(doc):
        return 0
    array = doc.to_array([LOWER, LEMMA])
    mask = 0
    for column, bits in enumerate(value_bits):
        for key in set(array[:, column].tolist()):
            mask |= bits.get(key, 0)
    return mask


def _can_match(pattern_masks: list[int], doc_mask: int) -> bool:
    return any(mask & doc_mask == mask for mask in pattern_masks)


# --- Matching once per Doc ------------------------------------------------------

def doc_cue_names(doc, token_ranges: list[tuple[int, int]], vocab_matchers=None) -> list[dict[str, list[str]]]:
    """Names of the cues of each kind that fire in each `doc[start:end]` of `token_ranges`.

    Same result as matching each span on its own (`span.as_doc()`, as this
    stage used to), with the matchers run once over the whole Doc:

    - a token `Matcher` match depends only on the tokens it covers, whose
      tested attributes `as_doc` copies unchanged, so the span's matches are
      the Doc's matches that lie wholly inside the span;
    - `as_doc` gives a token whose head is outside the span an in-span head
      and the label "dep", so on the span copy a parent > child link whose
      child must be e.g. `nsubj` (`we_changed`) is exactly a Doc link with
      both tokens inside the span (an in-span subject keeps head and label);
    - a hedge (`HEDGE_DEP_PATTERNS`, a modal or "if" on the verb) cancels a
      dependency match only when it too lies inside the span, as on the copy.

    `_check_span_safe` holds every pattern to these conditions, and
    `tests/test_signals.py` checks the result against per-span matching.
    """
    return names_in_ranges(doc_matches(doc, vocab_matchers), token_ranges)


# A Doc's matches: (kind, cue name, first token, end token, verb token or -1) per match, and
# (verb token, first token, end token) per hedge. Cue names and token positions only, no text,
# so a cache can keep them (`cache.CueCache`).
DocMatches = tuple[list[tuple[str, str, int, int, int]], list[tuple[int, int, int]]]


def doc_matches(doc, vocab_matchers=None) -> DocMatches:
    """Every cue match in the whole of `doc`, and every hedge on a change verb (`doc_cue_names`)."""
    if vocab_matchers is None:
        vocab_matchers = (vocab_matchers_for(id(doc.vocab), doc.vocab), prefilter_for(id(doc.vocab), doc.vocab))
    matchers, (value_bits, pattern_masks) = vocab_matchers
    strings = doc.vocab.strings
    doc_mask = _doc_mask(doc, value_bits)
    hits = []
    for kind in KINDS:
        if _can_match(pattern_masks[kind], doc_mask):
            hits.extend((kind, strings[m_id], start, end, -1) for m_id, start, end in matchers[kind](doc))
    hedges = []
    if _can_match(pattern_masks["decision_dep"], doc_mask):
        dep_hits = matchers["decision_dep"](doc)
        if dep_hits:
            hedges = [(tokens[0], min(tokens), max(tokens) + 1) for _, tokens in matchers["hedge_dep"](doc)]
        # The verb (the pattern's first node) rides along, so a hedge on it can cancel the match.
        hits.extend(("decision", strings[m_id], min(tokens), max(tokens) + 1, tokens[0]) for m_id, tokens in dep_hits)
    return hits, hedges


def names_in_ranges(matches: DocMatches, token_ranges: list[tuple[int, int]]) -> list[dict[str, list[str]]]:
    """Per token range, the names of the cues of each kind whose match lies wholly inside it, a dependency
    match cancelled by a hedge on its verb that lies inside it too."""
    hits, hedges = matches
    found = []
    for span_start, span_end in token_ranges:
        names = {kind: set() for kind in KINDS}
        hedged = {verb for verb, start, end in hedges if span_start <= start and end <= span_end}
        for kind, name, start, end, verb in hits:
            if span_start <= start and end <= span_end and not (verb >= 0 and verb in hedged):
                names[kind].add(name)
        found.append({kind: sorted(names[kind]) for kind in KINDS})
    return found


def cue_names(span, matchers=None) -> dict[str, list[str]]:
    """Names of the cues of each kind that fire in `span` (a spaCy Span)."""
    doc = span.doc
    if matchers is not None:
        matchers = (matchers, prefilter_for(id(doc.vocab), doc.vocab))
    return doc_cue_names(doc, [(span.start, span.end)], matchers)[0]
