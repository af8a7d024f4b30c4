"""Open a .docx package safely and hand back the XML of its body and styles.

Only the two parts the reader needs are unpacked, each through a bounded
read, so a zip bomb (a small file that unpacks to gigabytes) is refused
instead of exhausting memory: neither part may unpack to more than the
configured `max_file_mb`. python-docx, by contrast, loads every part of the
package, images included, before anything can be checked.

Damaged files are told apart before anything is parsed, because the fix
differs: a password-protected file is an encrypted OLE container, an old
Word 97-2003 file is an unencrypted one, an Excel, PowerPoint or
OpenDocument file renamed .docx has their parts (an Excel workbook or an
OpenDocument text is told to take its own extension back, since both are
read), and anything else is not a Word file.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

from pipeline.errors import InputFileError

from .sniff import foreign_format, hint_for

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_RELS_LIMIT = 1 << 20  # a relationships part is a few kilobytes
_OFFICE_DOCUMENT = "/officeDocument"
_STYLES = "/styles"
_RESAVE = "open it in Word, check it, and save it again as .docx"


@dataclass(frozen=True)
class DocxParts:
    """The XML of the main document part and of its styles part (None when absent)."""

    document: bytes
    styles: bytes | None


def read_parts(data: bytes, name: str, max_bytes: int) -> DocxParts:
    """The body and styles XML of a .docx; raises `InputFileError` for anything else.

    `max_bytes` caps what each part may unpack to.
    """
    _check_container(data, name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputFileError("the .docx file is damaged (its zip index cannot be read)", _RESAVE,
                             path=name) from None
    with archive:
        names = set(archive.namelist())
        main = _target(archive, "_rels/.rels", _OFFICE_DOCUMENT, name) or "word/document.xml"
        if main not in names:
            raise InputFileError(*_missing_body(archive, names, name), path=name)
        document = read_member(archive, main, max_bytes, name)
        folder, file = posixpath.split(main)
        styles_name = _target(archive, posixpath.join(folder, "_rels", file + ".rels"), _STYLES,
                              name, base=folder)
        styles = (read_member(archive, styles_name, max_bytes, name)
                  if styles_name in names else None)
    return DocxParts(document, styles)


def safe_xml(data: bytes) -> etree._Element:
    """Parse XML without entity expansion, DTDs or network access (lxml raises on bad XML)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    return etree.fromstring(data, parser=parser)


def _check_container(data: bytes, name: str) -> None:
    if not data:
        raise InputFileError("the file is empty", "export the transcript again", path=name)
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise InputFileError(
                "the .docx file is password-protected",
                "remove the password in Word (File > Info > Protect Document > Encrypt with "
                "Password, clear it) and save again", path=name)
        raise InputFileError("the file is an old Word 97-2003 document with a .docx name",
                             "open it in Word and save it as .docx", path=name)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data.startswith(_ZIP_MAGIC):
            raise InputFileError(
                "the .docx file is damaged or incomplete (its zip index is missing)",
                "copy or export it again (the copy may have been cut short), or open it in Word "
                "to repair it and save it again", path=name)
        real_format = foreign_format(data)
        if real_format is not None and not real_format.startswith("a zip"):
            raise InputFileError(f"the file is {real_format}, not a Word .docx document",
                                 hint_for(real_format), path=name)
        raise InputFileError("the file is not a Word .docx document (not a zip package)",
                             "open it in Word and save it as .docx", path=name)


def _target(archive: zipfile.ZipFile, rels_name: str, kind: str, name: str,
            base: str = "") -> str | None:
    """The part a relationships file points to for a relationship type ending in `kind`."""
    if rels_name not in archive.namelist():
        return None
    try:
        root = safe_xml(read_member(archive, rels_name, _RELS_LIMIT, name))
    except etree.XMLSyntaxError:
        return None
    for relation in root:
        external = relation.get("TargetMode") == "External"
        if str(relation.get("Type", "")).endswith(kind) and not external:
            target = str(relation.get("Target", ""))
            joined = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            return posixpath.normpath(joined)
    return None


def read_member(archive: zipfile.ZipFile, member: str, limit: int, name: str,
                kind: str = ".docx", resave: str = _RESAVE) -> bytes:
    """One part of a zip package, read at most `limit` bytes however large its header says it is.

    `kind` and `resave` name the format in the message of a part that cannot be unpacked (".odt"
    and LibreOffice's advice for an OpenDocument file).
    """
    info = archive.getinfo(member)
    too_big = InputFileError(
        f"the document unpacks to more than {limit / 1024 / 1024:.0f} MB (a damaged file, "
        "or a zip bomb)", "check the file; if it is a real transcript, split it or raise "
        "ingest.max_file_mb in the config", path=name)
    if info.file_size > limit:
        raise too_big
    try:
        with archive.open(info) as handle:
            content = handle.read(limit + 1)  # the header's size may lie; the read cannot
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError):
        # RuntimeError: an encrypted zip member; NotImplementedError: an unknown compression.
        raise InputFileError(f"the {kind} file is damaged (a part cannot be unpacked)", resave,
                             path=name) from None
    if len(content) > limit:
        raise too_big
    return content


def _missing_body(archive: zipfile.ZipFile, names: set[str], name: str) -> tuple[str, str]:
    """(message, hint) for a zip package without a Word body: another Office or OpenDocument file, or damage."""
    if "xl/workbook.xml" in names:
        return "the file is an Excel workbook with a .docx name", "rename it to .xlsx, which is read"
    if "ppt/presentation.xml" in names:
        return ("the file is a PowerPoint presentation with a .docx name",
                "copy the transcript's text into a Word document or a .txt file")
    mimetype = read_member(archive, "mimetype", 1024, name) if "mimetype" in names else b""
    if b"opendocument.text" in mimetype:
        return "the file is an OpenDocument file with a .docx name", "rename it to .odt, which is read"
    if b"opendocument.spreadsheet" in mimetype:
        return ("the file is an OpenDocument spreadsheet with a .docx name",
                "save it from LibreOffice Calc as .xlsx or .csv, which are read")
    if b"opendocument" in mimetype:
        return ("the file is an OpenDocument file with a .docx name",
                "save the transcript from LibreOffice Writer as .odt or .docx")
    return "the .docx file is damaged (it has no document body)", _RESAVE
