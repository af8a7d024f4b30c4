"""Ingest: read a folder of transcripts into one turns table.

The public API is `read_corpus`, which returns a `Corpus`: the turns
(columns `schema.TURN_COLUMNS`), one `InputRecord` per file seen, the roster
names found at the root of INPUT, and whether a manifest was found. Each
module of this package handles one concern: `discover` (which files),
`encoding`, one parser per layout (`text`, `vtt`, `docx_reader`, `rows`),
`lines` and `labels` (the speaker-line rules the text parsers share),
`noise`, `assemble` (clean, merge, number), `manifest`, `roles` and `corpus`
(the loop that ties them together).
"""
from __future__ import annotations

from .corpus import read_corpus
from .records import Corpus, InputRecord

__all__ = ["Corpus", "InputRecord", "read_corpus"]
