"""Turn the bytes of a text transcript into a string, or refuse with a reason.

The contract accepts UTF-8 (with or without a BOM) and UTF-16 with a BOM.
Anything else is decoded with the configured fallback (cp1252 by default,
what Windows Notepad and older Word exports write), and a WARNING names the
file so nobody is surprised by a mis-decoded character. Binary data is
rejected rather than decoded into garbage "turns".
"""
from __future__ import annotations

import codecs
import logging
import re
from pathlib import PurePosixPath

from pipeline.errors import InputFileError

from .sniff import foreign_format, hint_for

logger = logging.getLogger(__name__)

# UTF-32 first: its little-endian BOM begins with UTF-16's.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
]

# Control characters never found in a real text transcript. Tab, newline,
# carriage return, vertical tab, form feed (page breaks from Word) and the
# old DOS end-of-file mark are allowed.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")

_RESAVE = "open it in a text editor and save it as UTF-8"


def decode_text(data: bytes, name: str, fallback_encoding: str, own_format: str | None = None) -> str:
    """Decode a text file's bytes, trying its BOM, then UTF-8, then the fallback.

    Raises `InputFileError` for an empty file, null bytes or other binary
    content, and bytes the fallback cannot decode either. `own_format` is the
    `sniff.foreign_format` the reader expects (a web page's, for `html_reader`).

    Examples
    --------
    >>> decode_text("Anna: hé".encode("utf-16"), "a.txt", "cp1252")
    'Anna: hé'
    """
    if not data.strip():
        raise InputFileError("the file is empty", "export the transcript again", path=name)
    real_format = foreign_format(data)
    if real_format is not None and real_format != own_format:
        suffix = PurePosixPath(name).suffix or "text"
        raise InputFileError(f"the file is {real_format}, not a {suffix} text file",
                             hint_for(real_format), path=name)
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise InputFileError(
                    f"the file starts with a {label} byte-order mark but is not valid {label}",
                    _RESAVE, path=name,
                ) from None
            return _check_plain_text(text, name)
    if b"\x00" in data:
        text = _decode_utf16_without_bom(data, name)
        if text is None:
            raise InputFileError(_null_message(data), _RESAVE, path=name)
        return _check_plain_text(text, name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_fallback(data, name, fallback_encoding)
    return _check_plain_text(text, name)


def _decode_fallback(data: bytes, name: str, fallback_encoding: str) -> str:
    try:
        text = data.decode(fallback_encoding)
    except (UnicodeDecodeError, LookupError):
        raise InputFileError(
            f"the file is neither UTF-8, UTF-16 with a byte-order mark, nor {fallback_encoding}",
            _RESAVE + " (or set ingest.fallback_encoding to its encoding)", path=name,
        ) from None
    # The file is named so the user can check it; its text never is.
    logger.warning("%s: not UTF-8 or UTF-16 with a byte-order mark; decoded as %s",
                   name, fallback_encoding)
    return text


def _decode_utf16_without_bom(data: bytes, name: str) -> str | None:
    """UTF-16 text saved without a byte-order mark ("Unicode" in old Windows tools), else None.

    Latin-script UTF-16 has a null byte beside nearly every character: at odd
    offsets in little-endian, even ones in big-endian. The other offsets
    must be almost free of them, or it is binary.
    """
    sample = data[:4096]
    if len(data) % 2 or len(sample) < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for zeros, others, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= 0.6 * half and others <= 0.02 * half:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            logger.warning("%s: UTF-16 without a byte-order mark; decoded as %s", name, codec)
            return text
    return None


def _null_message(data: bytes) -> str:
    # UTF-16 without a BOM puts a null byte beside every ASCII letter; say so,
    # because "binary file" would send the user looking in the wrong place.
    sample = data[:4096]
    if sample.count(b"\x00") * 3 >= len(sample):
        return "the file looks like UTF-16 without a byte-order mark"
    return "the file contains null bytes, so it is binary, not text"


def _check_plain_text(text: str, name: str) -> str:
    match = _CONTROL_RE.search(text)
    if match:
        raise InputFileError(
            f"the file contains control characters (first at character {match.start()}), "
            "so it is binary, not text",
            "check that it is the transcript; if so, " + _RESAVE, path=name,
        )
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputFileError("the file is empty", "export the transcript again", path=name)
    return text
