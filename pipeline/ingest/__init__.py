"""Ingest: read a folder of transcripts into one turns table.

The public API is `read_corpus`, which returns a `Corpus`: the turns
(columns `schema.TURN_COLUMNS`), one `InputRecord` per file seen, the roster
names found at the root of INPUT, and whether a manifest was found. Each
module of this package handles one concern:

- which files: `discover`; what a file really is: `sniff`; text: `encoding`;
- one parser per format: `text` (.txt, .md), `vtt` (.vtt, .srt), `docx_reader`
  (.docx, over `docx_package` and `docx_text`), `rows` (.csv, .jsonl, .json);
- what the parsers share: `lines` (the line layouts), `labels` and `census`
  (which labels name speakers), `notes` (questions set apart in bold, as
  headings or numbered, the answers below, where no speaker is named),
  `tables` (speaker tables), `boilerplate` (lines export tools add), `timecode`;
- after parsing: `noise`, `assemble` (clean, merge, number), `duplicates`,
  `manifest`, `teams` (one spelling per team), `roles`, `speakers` (generic
  labels scoped to their transcript), `gathered` (several interviews in one file);
- `corpus`: the loop that ties them together.
"""
from __future__ import annotations

from .corpus import read_corpus
from .records import Corpus, InputRecord

__all__ = ["Corpus", "InputRecord", "read_corpus"]
