"""YouTube's SubViewer captions (.sbv), read as a .vtt is.

YouTube Studio downloads captions as .sbv: blocks of a timing line,
``0:00:01.000,0:00:04.000`` (start and end, comma between), then the
caption's lines, a blank line between blocks. That is a WebVTT cue with
another timing line, so each timing line is rewritten as WebVTT's
(``0:00:01.000 --> 0:00:04.000``) and the text is handed to `vtt.parse_vtt`,
which everything else about captions is `vtt`'s: a speaker as ``Name:
words`` at a line's start (``>> ANNA: words``, as captioners write a change of
speaker), a cue without a speaker continuing the previous one, cues of one
speaker merged into a turn by `assemble` (the turn keeps the first cue's
start), and a file whose cues name nobody read as one unnamed speaker,
with a warning. A ``>>`` that names nobody starts a turn of an unnamed
speaker, as in a .vtt.

A file with no SBV timing line is refused with an example of one, not
guessed at (a .srt or .vtt renamed .sbv is told to take its own name back).
"""
from __future__ import annotations

import re

from pipeline.errors import InputFileError

from .encoding import decode_text
from .records import ParsedTurn, ParseOptions
from .vtt import parse_vtt

# H:MM:SS.mmm (YouTube writes one hour digit, and a fraction); hours and the fraction are optional for leniency.
_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:\.\d{1,3})?"
_TIMING = re.compile(rf"^[ \t]*(?P<start>{_TIME})[ \t]*,[ \t]*(?P<end>{_TIME})[ \t]*$", re.MULTILINE)
_OTHER_TIMING = re.compile(r"-->")
_EXAMPLE = "0:00:01.000,0:00:04.000"


def parse_sbv(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a YouTube .sbv caption file; raises `InputFileError` if it has no captions.

    Examples
    --------
    >>> sbv = b"0:00:01.000,0:00:03.500\\n>> SAM: Why did it change?\\n\\n0:00:03.500,0:00:06.000\\n>> ANNA: We cut\\n"
    >>> sbv += b"\\n0:00:06.000,0:00:08.000\\nthe phone hours.\\n"
    >>> [(t.speaker, t.text, t.start) for t in parse_sbv(sbv, ParseOptions("talk.sbv"))]
    [('SAM', 'Why did it change?', 1.0), ('ANNA', 'We cut', 3.5), ('ANNA', 'the phone hours.', 6.0)]
    """
    text = decode_text(data, options.name, options.fallback_encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _TIMING.search(text):
        if _OTHER_TIMING.search(text):
            raise InputFileError("no SBV captions found: its timing lines are those of a .srt or .vtt file",
                                 "rename it to .vtt, or to .srt if its cues are numbered", path=options.name)
        raise InputFileError("no SBV captions found",
                             f"a caption starts with a timing line such as '{_EXAMPLE}'", path=options.name)
    as_vtt = "WEBVTT\n\n" + _TIMING.sub(lambda m: f"{m.group('start')} --> {m.group('end')}", text)
    return parse_vtt(as_vtt.encode("utf-8"), options)
