"""Parsed turns on disk without their text: spaCy annotations keyed by a hash of the text.

A re-run over the same transcripts pays the spaCy stage again unless the
parses are kept, and a pickled or DocBin'd Doc holds the text. `ParseCache`
keeps, per turn, only what cannot be recomputed from the text the run
already has: token boundaries (character offset, length, trailing space) and
the labels the statistical components chose (tag, part of speech,
morphology, dependency label and relative head, sentence start, entity IOB
and type). The labels ("NN", "nsubj", "PERSON", "Number=Sing") go through a
small per-entry table of label strings; no token text, norm, lemma or
vector is stored, and the only hash of the text is the key.

On a hit the Doc is rebuilt from the run's own text: the tokenizer re-cuts
it (the same pieces `parse` cut, for a long turn) so norms and lexical
attributes are the tokenizer's, the stored labels are written back, and the
rule-based steps run again: the attribute ruler's lemma exceptions
("'m" -> "be", "I" -> "I") and the pipeline's own lemmatizer, once per kind
of token rather than once per token where that gives the same lemmas
(`_LemmaRules`). The rebuild is deterministic, so `put_many` checks it on a
sample rather than on every Doc (checking all 12,558 distinct AMI-40 turns
took 8.5 s, a third of parsing them): the first `VERIFY_FIRST` Docs of each
call, every Doc of a long turn and one in
`VERIFY_EVERY` of the rest by key. A sampled Doc whose rebuilt tokens,
labels, lemmas, norms, sentences or entities differ from the parse's is not
stored, and the call then checks every other Doc too: a pipeline whose
rebuild is off (a custom component writing lemmas, say) fails on the sample
and is checked in full. Restored Docs carry no `tensor` (nothing in the
pipeline reads it) and no user data.

The key is sha256(fingerprint + "\\0" + text), where the fingerprint names
the cache format, the model (meta name and version), the spaCy version and
the pipeline's components; a turn longer than `chunk_chars` also keys on
`chunk_chars`, since it is parsed in pieces that depend on it.
"""
from __future__ import annotations

import hashlib
import logging
import math
import re
import sqlite3
import struct
import zlib
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .keyed_rows import rows_by_key
from .nlp import CHUNK_CHARS, split_long

logger = logging.getLogger(__name__)

# Bump when the blob layout or the way a Doc is rebuilt changes: old entries then miss.
FORMAT = 1
_FILE = "parses.sqlite3"
# Labels written back with Doc.from_array; the first five go through the label table.
_LABEL_ATTRS = ("TAG", "POS", "MORPH", "DEP", "ENT_TYPE")
_OTHER_ATTRS = ("HEAD", "SENT_START", "ENT_IOB")
# What a rebuilt Doc must share with the parse before it is stored.
_CHECK_ATTRS = ("ORTH", "SPACY", "NORM", "LEMMA", *_LABEL_ATTRS, *_OTHER_ATTRS)
# Docs restored together: enough to share the lemma work, few enough that their temporary arrays
# stay small (and do not lie between the Docs in memory; whether that matters was not measurable here).
_RESTORE_BATCH = 256
# What a restored Doc gets in one from_array: the stored labels, then the lemmas worked out from them.
_RESTORED_ATTRS = (*_LABEL_ATTRS, *_OTHER_ATTRS, "LEMMA")
# Blob header: format, token count, label count, label-table bytes, bytes per label id.
_HEADER = struct.Struct("<BIIIB")
_SEP = "\0"
# The rebuild check's sample (see the module docstring): the first 64 Docs, then 1 in 8 by key.
VERIFY_FIRST = 64
VERIFY_EVERY = 8


def fingerprint(nlp) -> str:
    """What a cached parse depends on: cache format, model name and version, spaCy, components.

    Examples
    --------
    >>> import spacy
    >>> fingerprint(spacy.blank("en")).startswith("parsecache-v1|")
    True
    """
    import spacy

    meta = nlp.meta
    return (f"parsecache-v{FORMAT}|{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"
            f"|spacy-{spacy.__version__}|{','.join(nlp.pipe_names)}")


class ParseCache:
    """Non-text spaCy annotations on disk, keyed by sha256(pipeline fingerprint + text).

    The file is `folder/parses.sqlite3`, created on first use. `hits` and
    `misses` count looked-up positions; `stored` and `rejected` count Docs
    `put_many` kept and refused (a Doc that would not rebuild identically),
    `verified` the Docs it rebuilt to check. `verify` is "sample" (the
    default; see the module docstring), "all" (rebuild and compare every
    Doc; a test's or a new pipeline's choice) or "none" (trust the rebuild).
    """

    def __init__(self, folder: str | Path, verify: str = "sample"):
        if verify not in ("sample", "all", "none"):
            raise ValueError(f"verify must be 'sample', 'all' or 'none', not {verify!r}")
        self.folder = Path(folder)
        self.verify = verify
        self.hits = self.misses = self.stored = self.rejected = self.verified = 0
        # Per pipeline (by id; the pipeline is kept so its id is not reused): label string -> id
        # in its StringStore, and the lemma rules for its enabled components.
        self._ids: dict[int, tuple] = {}
        self._lemma_rules: dict[tuple, tuple] = {}

    @property
    def path(self) -> Path:
        return self.folder / _FILE

    def _connect(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path)
        conn.execute("CREATE TABLE IF NOT EXISTS parses (key TEXT PRIMARY KEY, blob BLOB)")
        return conn

    @staticmethod
    def key(fingerprint: str, text: str, chunk_chars: int = CHUNK_CHARS) -> str:
        if len(text) > chunk_chars:  # parsed in pieces whose ends depend on chunk_chars
            fingerprint = f"{fingerprint}|chunk_chars={chunk_chars}"
        return hashlib.sha256(f"{fingerprint}\0{text}".encode()).hexdigest()

    # ---- lookups -------------------------------------------------------------------------

    def get_many(self, nlp, texts: Sequence[str], chunk_chars: int = CHUNK_CHARS) -> dict:
        """{position: Doc} for the texts whose parse is cached; every position gets its own Doc."""
        texts = [str(t) for t in texts]
        fp = fingerprint(nlp)
        keys = [self.key(fp, t, chunk_chars) for t in texts]
        with self._connect() as conn:
            blobs: dict[str, bytes] = dict(rows_by_key(conn, "parses", "blob", keys))
        conn.close()
        # Each distinct text is rebuilt once, all together (their lemmas are worked out in one batch);
        # a text seen again gets a copy, so no two positions share a Doc.
        distinct = dict.fromkeys(key for key in keys if key in blobs)
        first_text = dict(zip(keys, texts))
        docs = self._restore_many(nlp, [(first_text[key], blobs[key]) for key in distinct], chunk_chars,
                                  self._lemmas(nlp))  # once per call: naming the components costs a list each time
        rebuilt = {key: doc for key, doc in zip(distinct, docs) if doc is not None}
        found: dict[int, object] = {}
        handed: set[str] = set()
        for i, key in enumerate(keys):
            if key in rebuilt:
                found[i] = rebuilt[key].copy() if key in handed else rebuilt[key]
                handed.add(key)
        self.hits += len(found)
        self.misses += len(texts) - len(found)
        return found

    def put_many(self, nlp, texts_and_docs: Iterable[tuple[str, object]], chunk_chars: int = CHUNK_CHARS) -> int:
        """Store the parses of (text, Doc) pairs; returns how many were stored.

        A checked Doc (`verify`) is rebuilt from its blob and stored only if
        the rebuilt Doc equals it (`_CHECK_ATTRS`, text, entities); the others
        are counted in `rejected` and logged, and simply miss next time. With
        `verify="sample"`, one rejected Doc in the sample has every Doc of the
        call checked.
        """
        fp = fingerprint(nlp)
        entries: dict[str, tuple[str, object, bytes | None]] = {}
        for text, doc in texts_and_docs:
            text = str(text)
            key = self.key(fp, text, chunk_chars)
            if key not in entries:
                entries[key] = (text, doc, self._encode(nlp, doc))
        checked = dict(entries) if self.verify != "none" else {}
        if self.verify == "sample":
            checked = {key: entry for n, (key, entry) in enumerate(entries.items())
                       if n < VERIFY_FIRST or len(entry[0]) > chunk_chars or int(key[:8], 16) % VERIFY_EVERY == 0}
        bad = self._check(nlp, checked, chunk_chars)
        if bad and self.verify == "sample":  # the sample found a rebuild that differs: check the rest as well
            bad |= self._check(nlp, {k: e for k, e in entries.items() if k not in checked}, chunk_chars)
        rows = {key: blob for key, (_, _, blob) in entries.items() if blob is not None and key not in bad}
        rejected = len(entries) - len(rows)
        if rejected:
            logger.debug("parse cache: %d parses would not rebuild identically and were not stored", rejected)
        self.rejected += rejected
        with self._connect() as conn:
            conn.executemany("INSERT OR REPLACE INTO parses VALUES (?, ?)", list(rows.items()))
        conn.close()
        self.stored += len(rows)
        return len(rows)

    def _check(self, nlp, entries: dict, chunk_chars: int) -> set[str]:
        """Keys of the (text, Doc, blob) entries whose Doc does not rebuild from its blob."""
        entries = {key: entry for key, entry in entries.items() if entry[2] is not None}
        self.verified += len(entries)
        rebuilt = self._restore_many(nlp, [(text, blob) for text, _, blob in entries.values()], chunk_chars,
                                     self._lemmas(nlp))
        return {key for (key, (_, doc, _)), other in zip(entries.items(), rebuilt) if not _same(doc, other)}

    # ---- blobs ---------------------------------------------------------------------------

    def _encode(self, nlp, doc) -> bytes | None:
        """The blob of `doc`'s non-text annotations; None if a label would not round-trip."""
        n = len(doc)
        if n == 0:
            return zlib.compress(_HEADER.pack(FORMAT, 0, 0, 0, 2))
        arr = doc.to_array(["IDX", "LENGTH", "SPACY", *_LABEL_ATTRS, *_OTHER_ATTRS])
        values, ids = np.unique(arr[:, 3:3 + len(_LABEL_ATTRS)], return_inverse=True)
        strings = nlp.vocab.strings
        labels = [strings[int(v)] for v in values]
        if any(_SEP in label or self._id(nlp, label) != int(v) for label, v in zip(labels, values)):
            return None
        table = _SEP.join(labels).encode("utf-8")
        width = 2 if len(labels) <= 0xFFFF else 4
        tail = arr[:, 3 + len(_LABEL_ATTRS):].view(np.int64)  # HEAD and SENT_START are signed
        body = b"".join((
            _HEADER.pack(FORMAT, n, len(labels), len(table), width), table,
            arr[:, 0].astype("<u4").tobytes(), arr[:, 1].astype("<u4").tobytes(), arr[:, 2].astype("u1").tobytes(),
            ids.reshape(n, len(_LABEL_ATTRS)).astype(f"<u{width}").tobytes(),
            tail[:, 0].astype("<i4").tobytes(), tail[:, 1].astype("i1").tobytes(), tail[:, 2].astype("u1").tobytes(),
        ))
        return zlib.compress(body, 6)

    def _restore(self, nlp, text: str, blob: bytes, chunk_chars: int, lemmas: _LemmaRules | None = None):
        """The Doc of `text` rebuilt from its blob; None if the blob does not fit the text.

        `lemmas`: the pipeline's `_lemmas(nlp)`, which a caller restoring many Docs looks up once.
        """
        return self._restore_many(nlp, [(text, blob)], chunk_chars, lemmas or self._lemmas(nlp))[0]

    def _restore_many(self, nlp, items: Sequence[tuple[str, bytes]], chunk_chars: int,
                      lemmas: _LemmaRules) -> list:
        """The Doc of each (text, blob) rebuilt from the blob; None where the blob does not fit the text.

        Each Doc is cut by the tokenizer and given its stored labels; then the
        lemmas of all of them are worked out together (`_LemmaRules.batch`),
        and a Doc that no two-token rule could reach gets its labels and
        lemmas in one `from_array`.
        """
        docs: list = []
        for start in range(0, len(items), _RESTORE_BATCH):
            docs.extend(self._restore_batch(nlp, items[start:start + _RESTORE_BATCH], chunk_chars, lemmas))
        return docs

    def _restore_batch(self, nlp, items: Sequence[tuple[str, bytes]], chunk_chars: int,
                       lemmas: _LemmaRules) -> list:
        docs: list = []
        pending = []  # (Doc, label values, rows of ORTH, TAG, POS, MORPH, LOWER)
        for text, blob in items:
            restored = self._labels(nlp, text, blob, chunk_chars)
            if restored is None or not isinstance(restored, tuple):
                docs.append(restored)  # None, or an empty Doc: nothing to label
                continue
            doc, values, words = restored
            docs.append(doc)
            pending.append((doc, values, np.column_stack([words[:, 0], values[:, _LEMMA_COLUMNS], words[:, 1]])))
        columns = lemmas.batch(nlp.vocab, [rows for *_, rows in pending])
        for (doc, values, _), lemma in zip(pending, columns):
            if lemma is not None:
                doc.from_array(_RESTORED_ATTRS, np.column_stack([values, lemma]))
            else:  # a two-token rule may match: the labels first, then the lemma rules read the Doc
                doc.from_array(_RESTORED_ATTRS[:-1], values)
                lemmas(doc)
        return docs

    def _labels(self, nlp, text: str, blob: bytes, chunk_chars: int):
        """(Doc cut by the tokenizer, its stored label values, its ORTH and LOWER) from a blob.

        None if the blob does not fit the text; the Doc alone if it has no tokens.
        """
        from spacy.tokens import Doc

        try:
            body = zlib.decompress(blob)
            fmt, n, n_labels, table_len, width = _HEADER.unpack_from(body)
        except (zlib.error, struct.error):
            return None
        if fmt != FORMAT:
            return None
        pieces = split_long(text, chunk_chars) if len(text) > chunk_chars else [text]
        parts = [nlp.make_doc(p) for p in pieces]  # the tokenizer cuts the same pieces `parse` cut
        doc = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
        if len(doc) != n:
            return None
        if n == 0:
            return doc
        pos = _HEADER.size
        labels = body[pos:pos + table_len].decode("utf-8").split(_SEP)
        pos += table_len

        def take(dtype: str, count: int) -> np.ndarray:
            nonlocal pos
            out = np.frombuffer(body, dtype=dtype, count=count, offset=pos)
            pos += out.nbytes
            return out

        try:
            idx, length, spacy = take("<u4", n), take("<u4", n), take("u1", n)
            ids = take(f"<u{width}", n * len(_LABEL_ATTRS)).reshape(n, len(_LABEL_ATTRS))
            head, sent_start, iob = take("<i4", n), take("i1", n), take("u1", n)
        except ValueError:  # a truncated blob
            return None
        if len(labels) != n_labels or pos != len(body) or int(ids.max()) >= n_labels:
            return None
        tokens = doc.to_array(["IDX", "LENGTH", "SPACY", "ORTH", "LOWER"])
        if not (np.array_equal(tokens[:, 0], idx) and np.array_equal(tokens[:, 1], length)
                and np.array_equal(tokens[:, 2], spacy)):
            return None
        label_ids = np.array([self._id(nlp, label) for label in labels], dtype=np.uint64)
        values = np.column_stack([label_ids[ids], head.astype(np.int64).view(np.uint64),
                                  sent_start.astype(np.int64).view(np.uint64), iob.astype(np.uint64)])
        return doc, values, tokens[:, 3:]

    def _lemmas(self, nlp) -> _LemmaRules:
        key = (id(nlp), tuple(nlp.pipe_names))
        if key not in self._lemma_rules:
            self._lemma_rules[key] = (nlp, _LemmaRules(nlp))
        return self._lemma_rules[key][1]

    def _id(self, nlp, label: str) -> int:
        """The StringStore id of a label (adding it to the pipeline's strings)."""
        if id(nlp) not in self._ids:
            self._ids[id(nlp)] = (nlp, {})
        ids = self._ids[id(nlp)][1]
        if label not in ids:
            ids[label] = nlp.vocab.strings.add(label)
        return ids[label]


# What a lemma depends on when no rule looks at a neighbouring token: the token's spelling, its tag,
# part of speech and morphology (the lemmatizer reads the last two; the ruler's one-token rules
# read the lower-case form and the tag).
_LEMMA_KEY = ("ORTH", "TAG", "POS", "MORPH")
_LEMMA_COLUMNS = [_LABEL_ATTRS.index(attr) for attr in _LEMMA_KEY[1:]]  # where the stored labels hold them
_KEYED_PATTERN_ATTRS = {"ORTH", "TEXT", "LOWER", "TAG", "POS", "MORPH"}
_KEYED_LEMMATIZER_MODES = {"rule", "lookup", "pos_lookup"}


class _LemmaRules:
    """Sets a rebuilt Doc's lemmas as the pipeline's attribute ruler and lemmatizer would.

    Running both on every rebuilt Doc took 4 s of an 8 s warm parse of AMI-40,
    though most tokens recur ("I", "think", "the"). Where no lemma rule spans
    two tokens (a `Matcher` of those rules finds none in the Doc), a lemma is a
    function of the token's `_LEMMA_KEY`: the components run once per key, on
    Docs of lone tokens, and the lemma is remembered. A Doc a two-token
    rule matches ("gon na", "y' all") goes through the lemma rules whole; the
    lemmatizer reads each token alone, so the tokens no rule gave a lemma
    there get the lemma of their key. Every Doc of a pipeline whose lemma
    rules or lemmatizer read anything else goes through the components whole.

    Shortcuts, each giving the same lemmas: the `Matcher` runs only on a
    Doc holding a word that opens a two-token rule ("gon", "let") just
    before one that may close it ("na", "'s"), where the rules say which
    words those are (`_openers`); the Docs a cache lookup restores are
    lemmatised together (`batch`), their tokens' keys numbered at once; and
    new keys are worked out together, on one Doc of those tokens side by
    side, through an attribute ruler holding only the one-token rules, which
    cannot match across neighbours (on AMI-137, 3.7 s a Doc per key).
    """

    def __init__(self, nlp):
        from spacy.matcher import Matcher

        rules = _lemma_patterns(nlp)
        self.ruler = _lemma_ruler(nlp.vocab, rules)
        self.one_token_ruler = _lemma_ruler(nlp.vocab, [
            {**rule, "patterns": [p for p in rule["patterns"] if len(p) == 1]}
            for rule in rules if any(len(p) == 1 for p in rule["patterns"])])
        self.lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        self.keyed = (all(set(token) <= _KEYED_PATTERN_ATTRS for rule in rules for pattern in rule["patterns"]
                          for token in pattern)
                      and getattr(self.lemmatizer, "mode", "rule") in _KEYED_LEMMATIZER_MODES)
        self.spanning = Matcher(nlp.vocab)
        for n, rule in enumerate(rules):
            spanning = [pattern for pattern in rule["patterns"] if len(pattern) > 1]
            if spanning:
                self.spanning.add(f"lemma-rule-{n}", spanning)
        self.opens = _openers([p for rule in rules for p in rule["patterns"] if len(p) > 1])
        self.opener_memo: dict[int, bool] = {}  # LOWER id -> whether the word may open a two-token rule
        self.follows = _openers([p for rule in rules for p in rule["patterns"] if len(p) > 1], 1)
        self.follower_memo: dict[int, bool] = {}  # LOWER id -> whether the word may be such a rule's second
        self.memo: dict[tuple, int] = {}
        self.indexed: dict | None = None  # the lemmatizer's word lists as `_IndexedList`s, made on first use

    def __call__(self, doc) -> None:
        if not self.keyed:
            self._components(doc)
            return
        rows = doc.to_array([*_LEMMA_KEY, "LOWER"]).tolist()
        keys = [tuple(row[:-1]) for row in rows]
        ruled = None
        if len(self.spanning) and self._may_span(doc.vocab, rows) and self.spanning(doc):
            # The rules over the whole Doc, two-token ones included; the lemmatizer reads each token
            # alone, so a token no rule gave a lemma gets the lemma of its key.
            self.ruler(doc)
            ruled = doc.to_array("LEMMA").tolist()
        needed = keys if ruled is None else [key for key, lemma in zip(keys, ruled) if not lemma]
        new = [key for key in dict.fromkeys(needed) if key not in self.memo]
        if new:
            self.memo.update(zip(new, self._lemmas_alone(doc.vocab, new)))
        lemmas = [self.memo[key] for key in keys] if ruled is None else \
            [lemma or self.memo[key] for key, lemma in zip(keys, ruled)]
        doc.from_array(["LEMMA"], np.array(lemmas, dtype=np.uint64))

    def batch(self, vocab, rows: Sequence[np.ndarray]) -> list[np.ndarray | None]:
        """The lemma ids of the tokens of many Docs, from each Doc's rows of `_LEMMA_KEY` and LOWER.

        None for a Doc whose lemmas need the Doc itself (`__call__`, after
        its labels are set): one holding a word that may open a two-token
        rule just before one that may close it, or every Doc of a pipeline
        whose rules are not keyed. The
        others' lemmas come from `memo`, each new key worked out once for
        all the Docs (`_lemmas_alone`), as `__call__` gives them one Doc at a time.
        """
        if not self.keyed:
            return [None] * len(rows)
        whole = np.zeros(len(rows), dtype=bool)
        if len(self.spanning) and rows:
            if self.opens is None:
                whole[:] = True
            else:
                lowers = np.concatenate([r[:, -1] for r in rows])
                lengths = np.array([len(r) for r in rows])
                starts = np.cumsum(lengths) - lengths
                may = self._words(vocab, lowers, self.opens, self.opener_memo)
                if self.follows is not None:  # and the next token of the same Doc could close one
                    follows = self._words(vocab, lowers, self.follows, self.follower_memo)
                    follows[starts] = False  # a Doc's first token follows nothing of that Doc
                    may = may & np.append(follows[1:], False)
                whole = np.logical_or.reduceat(may, starts)
        keyed = [r for r, w in zip(rows, whole) if not w]
        out: list[np.ndarray | None] = [None] * len(rows)
        if not keyed:
            return out
        unique, inverse = _unique_rows(np.concatenate([r[:, :-1] for r in keyed]))
        keys = [tuple(key) for key in unique.tolist()]
        new = [key for key in keys if key not in self.memo]
        if new:
            self.memo.update(zip(new, self._lemmas_alone(vocab, new)))
        lemmas = np.array([self.memo[key] for key in keys], dtype=np.uint64)[inverse.reshape(-1)]
        pieces = iter(np.split(lemmas, np.cumsum([len(r) for r in keyed[:-1]])))
        for n, w in enumerate(whole):
            if not w:
                out[n] = next(pieces)
        return out

    @staticmethod
    def _words(vocab, lowers: np.ndarray, test, memo: dict[int, bool]) -> np.ndarray:
        """Whether each LOWER id in `lowers` passes `test`, each distinct word tested once (`memo`)."""
        for lower in np.unique(lowers).tolist():
            if lower not in memo:
                memo[lower] = test(vocab.strings[lower])
        return np.isin(lowers, np.array([lower for lower, passes in memo.items() if passes], dtype=np.uint64))

    def _may_span(self, vocab, rows: list) -> bool:
        """Whether a token of the Doc (`rows`: its `_LEMMA_KEY` and LOWER) could open a two-token rule."""
        if self.opens is None:
            return True
        for row in rows:
            lower = row[-1]
            if lower not in self.opener_memo:
                self.opener_memo[lower] = self.opens(vocab.strings[lower])
            if self.opener_memo[lower]:
                return True
        return False

    def _lemmas_alone(self, vocab, keys: list[tuple]) -> list[int]:
        """The lemma the components give a token of each key when it stands alone.

        The tokens share one Doc: the lemmatizer reads each token on its own,
        and the one-token rules cannot reach a neighbour, so each lemma is the
        one of a Doc of that token alone.
        """
        from spacy.tokens import Doc

        tokens = Doc(vocab, words=[vocab.strings[key[0]] for key in keys], spaces=[True] * len(keys))
        tokens.from_array(list(_LEMMA_KEY[1:]), np.array([key[1:] for key in keys], dtype=np.uint64))
        if self.one_token_ruler is not None:
            self.one_token_ruler(tokens)
        if self.lemmatizer is not None:
            with self._indexed_word_lists():
                self.lemmatizer(tokens)
        return [token.lemma for token in tokens]

    @contextmanager
    def _indexed_word_lists(self):
        """The lemmatizer's word lists answer `in` from a set while `_lemmas_alone` runs; the same answers.

        spaCy's rule lemmatizer asks `form in index` of each form its suffix
        rules make, and the pinned tables keep each part of speech's index
        as a list of tens of thousands of words: half a millisecond a word,
        1.2 s of the 2,239 inflected words of AMI-40. Each list is swapped
        for an equal list (`_IndexedList`) that looks words up in a set, and
        swapped back afterwards, so the pipeline itself is left as it was.
        """
        lookups = getattr(self.lemmatizer, "lookups", None)
        if lookups is None or not lookups.has_table("lemma_index"):
            yield
            return
        table = lookups.get_table("lemma_index")
        if self.indexed is None:
            self.indexed = {key: _IndexedList(words) if isinstance(words, list) else words
                            for key, words in table.items()}
        originals = dict(table.items())
        try:
            for key, words in self.indexed.items():
                table[key] = words
            yield
        finally:
            for key, words in originals.items():
                table[key] = words

    def _components(self, doc) -> None:
        # The attribute ruler's exceptions first ("'m" -> "be"), then the lemmatizer for every other token.
        if self.ruler is not None:
            self.ruler(doc)
        if self.lemmatizer is not None:
            self.lemmatizer(doc)


class _IndexedList(list):
    """A list whose `in` looks in a set of its items: the same answer as the list's, in constant time.

    >>> words = _IndexedList(["cat", "dog"])
    >>> "dog" in words, "do" in words, words == ["cat", "dog"]
    (True, False, True)
    """

    def __init__(self, items):
        super().__init__(items)
        self._items = frozenset(self)

    def __contains__(self, item) -> bool:
        try:
            return item in self._items
        except TypeError:  # an unhashable item: the list's own answer
            return list.__contains__(self, item)


def _unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(rows, axis=0, return_inverse=True)`, sorting one integer code per row instead of the rows.

    Each column's values are numbered first (few distinct ones: words, tags,
    morphologies), and a row's code is its numbers in mixed radix; where the
    codes would not fit 63 bits, `np.unique` sorts the rows.

    >>> unique, inverse = _unique_rows(np.array([[7, 2**63], [1, 5], [7, 2**63]], dtype=np.uint64))
    >>> unique.tolist(), inverse.tolist()
    ([[1, 5], [7, 9223372036854775808]], [1, 0, 1])
    """
    numbered = [np.unique(column, return_inverse=True) for column in rows.T]
    if math.prod(len(values) for values, _ in numbered) >= 2 ** 63:
        unique, inverse = np.unique(rows, axis=0, return_inverse=True)
        return unique, inverse.reshape(-1)
    code = np.zeros(len(rows), dtype=np.int64)
    for values, numbers in numbered:
        code = code * len(values) + numbers.reshape(-1)
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    return rows[first], inverse.reshape(-1)


def _lemma_patterns(nlp) -> list[dict]:
    """The pipeline attribute ruler's rules that set a lemma, in order, setting only the lemma."""
    if "attribute_ruler" not in nlp.pipe_names:
        return []
    return [{"patterns": p["patterns"], "attrs": {"LEMMA": p["attrs"]["LEMMA"]}, "index": p.get("index", 0)}
            for p in nlp.get_pipe("attribute_ruler").patterns if "LEMMA" in p["attrs"]]


def _openers(patterns: list[list[dict]], position: int = 0):
    """A test of a lower-case word: could it be token `position` of one of `patterns`? None when unknown.

    Known only when every pattern has that token and it, and every token
    before it, must be there (no `OP`), and it names its lower-case form: a
    string, `IN` a list, or a `REGEX`. Any other token (a tag alone, an
    `ORTH`) and the answer is None: the `Matcher` then runs on every Doc
    the other tests let through, as it would without the test.

    Examples
    --------
    >>> opens = _openers([[{"LOWER": "gon"}, {"LOWER": "na"}], [{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]])
    >>> opens("gon"), opens("y'"), opens("yes")
    (True, True, False)
    >>> follows = _openers([[{"LOWER": "gon"}, {"LOWER": "na"}], [{"LOWER": "let"}, {"LOWER": {"IN": ["'s", "us"]}}]],
    ...                    1)
    >>> follows("na"), follows("us"), follows("gon")
    (True, True, False)
    >>> _openers([[{"TAG": "MD"}, {"LOWER": "na"}]]) is None
    True
    >>> _openers([[{"LOWER": "a", "OP": "?"}, {"LOWER": "na"}]], 1) is None
    True
    """
    words: set[str] = set()
    expressions = []
    for pattern in patterns:
        if len(pattern) <= position or any("OP" in token for token in pattern[:position + 1]):
            return None
        spec = pattern[position].get("LOWER")
        if isinstance(spec, str):
            words.add(spec)
        elif isinstance(spec, dict) and set(spec) == {"IN"}:
            words.update(spec["IN"])
        elif isinstance(spec, dict) and set(spec) == {"REGEX"}:
            expressions.append(re.compile(spec["REGEX"]))
        else:
            return None
    return lambda word: word in words or any(e.search(word) for e in expressions)


def _lemma_ruler(vocab, rules: list[dict]):
    """An attribute ruler holding only the lemma rules (`_lemma_patterns`); None when there are none.

    The stored tags, POS and morphology are already the full ruler's output;
    re-running all of its tag-map rules would rewrite them to the same values
    at three times the cost of the rest of the rebuild.
    """
    if not rules:
        return None
    from spacy.pipeline import AttributeRuler

    ruler = AttributeRuler(vocab)
    ruler.add_patterns(rules)  # in the same order, so the same rule wins where several match
    return ruler


def _same(doc, other) -> bool:
    """Whether two Docs agree on text, tokens, labels, lemmas, norms, sentences and entities."""
    if other is None or doc.text != other.text or len(doc) != len(other):
        return False
    if len(doc) == 0:
        return True
    if not np.array_equal(doc.to_array(list(_CHECK_ATTRS)), other.to_array(list(_CHECK_ATTRS))):
        return False
    return [(e.start, e.end, e.label) for e in doc.ents] == [(e.start, e.end, e.label) for e in other.ents]
