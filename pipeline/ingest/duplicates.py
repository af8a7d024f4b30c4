"""Spot a conversation handed over twice: the same file copied, or two exports of one meeting.

Teams offers a transcript as .vtt and as .docx, and consultants often hand
over both; a file is also easily copied into two team folders. Counted
twice, a conversation would weigh double in every theme and in the
common-ground score. The second copy is listed as skipped, naming the first,
so the user can remove one of them.

Two files are the same conversation when their bytes are identical, or when
their turns are: the same speakers saying the same words in the same order,
whatever the layout (that is what differs between a .vtt and a .docx of one
Teams meeting, or a .srt and a .json of one Whisper transcription, which
splits a speaker's talk into segments), punctuation and letter case.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .records import Transcript

_WORD = re.compile(r"\w+")


@dataclass
class DuplicateFinder:
    """Remembers the files seen so far; `first_copy` names the earlier copy of a file, if any."""

    by_bytes: dict[str, str] = field(default_factory=dict)
    by_words: dict[str, str] = field(default_factory=dict)

    def first_copy(self, file: str, sha256: str, transcripts: list[Transcript]) -> str | None:
        """The earlier file holding the same conversation as `file`, else None (and remember it).

        Examples
        --------
        >>> from pipeline.ingest.records import Turn
        >>> finder = DuplicateFinder()
        >>> talk = [Transcript("a", "a.vtt", [Turn(0, "Sam", "Hello there.", 0.0, "x")])]
        >>> finder.first_copy("a.vtt", "1", talk), finder.first_copy("a.docx", "2", talk)
        (None, 'a.vtt')
        """
        if sha256 and sha256 in self.by_bytes:
            return self.by_bytes[sha256]
        words = _fingerprint(transcripts)
        if words is not None and words in self.by_words:
            return self.by_words[words]
        if sha256:
            self.by_bytes[sha256] = file
        if words is not None:
            self.by_words[words] = file
        return None


def _fingerprint(transcripts: list[Transcript]) -> str | None:
    # Only a file holding one conversation: a table of many is compared row by row elsewhere.
    if len(transcripts) != 1:
        return None
    # A speaker's run of turns is one entry: rows and segments (a .json or .tsv export) keep every
    # segment a turn of its own, where captions of one speaker are merged into one turn.
    runs: list[tuple[str, list[str]]] = []
    for turn in transcripts[0].turns:
        speaker = " ".join(turn.speaker.casefold().split())
        words = _WORD.findall(turn.text.casefold())
        if runs and runs[-1][0] == speaker:
            runs[-1][1].extend(words)
        else:
            runs.append((speaker, words))
    digest = hashlib.sha256()
    for speaker, words in runs:
        digest.update(f"{speaker}\x1f{' '.join(words)}\x1e".encode())
    return digest.hexdigest()
