"""PDF transcripts: the text layer, page by page, read as lines in the layouts `lines` knows.

Transcription agencies deliver transcripts as PDF, typed in Word and saved or
printed to PDF. pypdf's ``extract_text()`` gives each page's visual lines, so
a long turn wraps over several lines and pages; the line parser already
continues a turn with the lines that name no speaker (and where no line names a
speaker, notes that number their questions are read as questions and answers,
`notes`). What a page adds
around the transcript is dropped first, so it never ends up inside a turn:

- page numbers near the top or bottom of a page (``Page 3 of 12``, ``- 3 -``,
  ``3 | Page``, a bare ``3``);
- line numbers, which agencies print in front of each line (`lines.without_line_numbers`);
- running headers and footers: a line near the top or bottom of a page
  that recurs on more than half of the pages (at least two), with any page
  number in it ignored, and never found in the body of a page or twice on
  one page (where it would be speech: "Sam: Okay.").

A word hyphenated at a line's end (``organis-`` / ``ation``) is joined
again: without the hyphen when it is a soft hyphen, or when the document or
the English word list (web2, with British -ise and -our spellings and a
few endings taken off) knows the word whole; else with the hyphen, since Word breaks lines after the hyphen
of a compound (``self-`` / ``employed``).

What cannot be read is reported, never guessed at: a password-protected
PDF, a damaged one, and a scan without a text layer (which needs OCR). The
file is parsed from memory, with pypdf's decompression limits lowered to
``max_bytes`` (`ParseOptions`), and the text it gives is capped at that
size too, so a small PDF that inflates to gigabytes is refused.
"""
from __future__ import annotations

import functools
import io
import logging
import re
from collections import Counter

import pypdf
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PyPdfError

from pipeline.errors import InputFileError

from .lines import first_reading, parse_lines, without_line_numbers
from .notes import line_blocks, numbered_line, question_turns
from .records import ParsedTurn, ParseOptions
from .sniff import foreign_format, hint_for
from .text import NO_TURNS_HINT

logger = logging.getLogger(__name__)

_MAGIC = b"%PDF-"
_MAGIC_WITHIN = 1024  # the header may follow a few bytes of junk
# Lines at each end of a page where headers, footers and page numbers stand. Word writes a page's
# header and footer before its body, so the footer may come out near the top of the extracted text.
EDGE_LINES = 4
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|pg\.?|seite|página|pagina)\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?"
    r"(?:\s*(?:of|/|sur|von|de)\s*\d{1,4})?(?:\s*\|\s*p\s*a\s*g\s*e)?\.?$", re.IGNORECASE)
# A number standing alone in a running header ("Interview 3 - page 7"), not a time ("0:03") or a date part.
_NUMBER = re.compile(r"(?<![\d:.,/])\d{1,4}(?![\d:,/]|\.\d)")
_WORD_END_HYPHEN = re.compile(r"(?P<left>[^\W\d_]+)(?P<mark>-|\u00ad|\u2010)$")
_WORD_START = re.compile(r"^(?P<right>[^\W\d_]+)")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# The word list has few inflected forms ("volunteer", not "volunteers"): endings to take off, and what to put back.
_ENDINGS = [("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e"), ("ly", "")]
_BRITISH = [(re.compile(r"is(?=(?:e|ed|es|ing|ation|ations|er|ers)$)"), "iz"), (re.compile(r"our"), "or")]

_OTHER_FORMAT = "ask for the transcript as .docx or .txt"
_PROTECTED_HINT = ("open it with its password and save or print a copy without one, or "
                   + _OTHER_FORMAT)
_DAMAGED_HINT = "open it in a PDF reader, check it, and save or print it again as PDF, or " + _OTHER_FORMAT
_SCANNED_HINT = ("the pages are images, e.g. a scan: run text recognition (OCR) on it, for example "
                 "with ocrmypdf or Acrobat, or " + _OTHER_FORMAT)
_TOO_BIG_HINT = ("check the file; if it is a real transcript, split it or raise ingest.max_file_mb in "
                 "the config")


def parse_pdf(data: bytes, options: ParseOptions) -> list[ParsedTurn]:
    """Turns of a .pdf transcript; raises `InputFileError` for protected, damaged, scanned or empty files."""
    pages = pdf_pages(data, options.name, options.max_bytes)
    if not any(line.strip() for page in pages for line in page):
        raise InputFileError("the PDF has no text layer", _SCANNED_HINT, path=options.name)
    lines = transcript_lines(pages)
    # Notes that number their questions, the answers below, when no line names a speaker.
    turns = first_reading(lambda: parse_lines(lines, options.known_speakers, options.name),
                          lambda: question_turns(line_blocks(lines, numbered_line), options.name))
    if not turns:
        raise InputFileError("no speaker turns found", NO_TURNS_HINT + ", then save it as PDF again",
                             path=options.name)
    return turns


def pdf_pages(data: bytes, name: str, max_bytes: int) -> list[list[str]]:
    """The text lines of each page; raises `InputFileError` when the text cannot be had."""
    _check_header(data, name)
    limit = min(max_bytes, 75_000_000)
    too_big = InputFileError(f"the PDF unpacks to more than {max_bytes / 1024 / 1024:.3g} MB (a damaged file, "
                             "or a decompression bomb)", _TOO_BIG_HINT, path=name)
    try:
        with pypdf.apply_configuration(
                zlib_maximum_output_length=limit, lzw_maximum_output_length=limit,
                run_length_maximum_output_length=limit, brotli_maximum_output_length=limit,
                array_based_stream_maximum_output_length=limit, maximum_declared_stream_length=limit,
                image_maximum_buffer_size=limit, jbig2_maximum_output_length=limit, jbig2dec_binary=None):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                _decrypt(reader, name)
            pages: list[list[str]] = []
            size = 0
            for page in reader.pages:
                text = page.extract_text() or ""
                size += len(text)
                if size > max_bytes:
                    raise too_big
                pages.append(text.translate(_LIGATURES).splitlines())
    except InputFileError:
        raise
    except LimitReachedError:
        raise too_big from None
    except FileNotDecryptedError:
        raise InputFileError("the PDF is password-protected", _PROTECTED_HINT, path=name) from None
    except DependencyError:
        # AES encryption needs a cryptography library, even with an empty password.
        raise InputFileError("the PDF is encrypted (AES), even if it opens without a password",
                             "print it to a new PDF or save a copy without protection, or " + _OTHER_FORMAT,
                             path=name) from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            EOFError, OSError, UnicodeError, ZeroDivisionError):
        # pypdf raises many kinds of errors on a broken file; none of their messages is passed on.
        raise InputFileError("the PDF is damaged (its structure cannot be read)", _DAMAGED_HINT,
                             path=name) from None
    return pages


def transcript_lines(pages: list[list[str]]) -> list[str]:
    """The pages' lines in order, without page furniture, and with line-end hyphenation undone.

    Examples
    --------
    >>> pages = [["Acme Transcripts", "Sam: How did the organis-", "ation take it?", "Page 1 of 2"],
    ...          ["Acme Transcripts", "Anna: Well.", "Page 2 of 2"]]
    >>> transcript_lines(pages)
    ['Sam: How did the organisation take it?', 'Anna: Well.']
    """
    pages = [[line.strip() for line in page] for page in pages]
    pages = [[line for line in page if line] for page in pages]
    furniture = _running_lines(pages)
    lines: list[str] = []
    dropped = 0
    for page in pages:
        for index, line in enumerate(page):
            at_edge = index < EDGE_LINES or index >= len(page) - EDGE_LINES
            if at_edge and (_PAGE_NUMBER.match(line) or _key(line) in furniture):
                dropped += 1
            else:
                lines.append(line)
    if dropped:
        logger.debug("%d page header, footer or number line(s) dropped", dropped)
    # Line numbers go before the hyphenation is undone: "12 organis-" / "13 ation" is one word.
    return _join_hyphenated([line for line in without_line_numbers(lines) if line])


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Keys of the lines that stand at a page's edge on most pages and never in a page's body."""
    if len(pages) < 2:
        return set()
    at_edges: Counter[str] = Counter()
    in_body: set[str] = set()  # said in a page's body, or twice on a page: speech, not a running line
    for page in pages:
        on_page = Counter(_key(line) for line in page)
        for index, line in enumerate(page):
            key = _key(line)
            if on_page[key] > 1 or EDGE_LINES <= index < len(page) - EDGE_LINES:
                in_body.add(key)
        at_edges.update(on_page.keys())
    return {key for key, count in at_edges.items()
            if count >= 2 and count * 2 > len(pages) and key not in in_body}


def _key(line: str) -> str:
    return _NUMBER.sub("#", " ".join(line.casefold().split()))


def _join_hyphenated(lines: list[str]) -> list[str]:
    known = None
    joined: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        end = _WORD_END_HYPHEN.search(line)
        nxt = lines[index + 1] if index + 1 < len(lines) else ""
        start = _WORD_START.match(nxt)
        if end and start and (end.group("mark") == "\u00ad" or start.group("right")[0].islower()):
            left, right = end.group("left"), start.group("right")
            if known is None:
                known = _document_words(lines)
            keep_hyphen = end.group("mark") != "\u00ad" and not _whole_word(left + right, f"{left}-{right}", known)
            glue = "-" if keep_hyphen else ""
            lines[index + 1] = line[:end.start("mark")] + glue + nxt
            index += 1
            continue
        joined.append(line)
        index += 1
    return joined


def _document_words(lines: list[str]) -> Counter[str]:
    return Counter(word.casefold() for line in lines for word in _WORDS.findall(line))


def _whole_word(whole: str, hyphenated: str, known: Counter[str]) -> bool:
    """Whether a word split at a line's end was one word: the document or the dictionary says so."""
    whole, hyphenated = whole.casefold(), hyphenated.casefold()
    if known[whole] or known[hyphenated]:
        return known[whole] >= known[hyphenated]
    spellings = {whole, *(pattern.sub(american, whole) for pattern, american in _BRITISH)}
    stems = {spelling[:-len(ending)] + again for spelling in spellings for ending, again in _ENDINGS
             if spelling.endswith(ending) and len(spelling) > len(ending) + 2}
    return not (spellings | stems).isdisjoint(_dictionary())


@functools.cache
def _dictionary() -> frozenset[str]:
    try:
        from english_words import get_english_words_set
    except ImportError:
        return frozenset()
    try:
        return frozenset(get_english_words_set(["web2"], lower=True))
    except (OSError, ValueError):
        return frozenset()


def _check_header(data: bytes, name: str) -> None:
    if not data:
        raise InputFileError("the file is empty", "export the transcript again", path=name)
    if _MAGIC in data[:_MAGIC_WITHIN]:
        return
    real_format = foreign_format(data)
    if real_format is not None and real_format != "a PDF document":
        raise InputFileError(f"the file is {real_format}, not a PDF document", hint_for(real_format), path=name)
    raise InputFileError("the file is not a PDF document (it has no PDF header)",
                         "export or print the transcript to PDF again, or " + _OTHER_FORMAT, path=name)


def _decrypt(reader: pypdf.PdfReader, name: str) -> None:
    """Open a PDF protected only against editing or printing (an empty password); refuse one that needs a password."""
    if reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
        raise InputFileError("the PDF is password-protected", _PROTECTED_HINT, path=name)
