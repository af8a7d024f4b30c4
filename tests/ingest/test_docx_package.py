"""Opening .docx packages: limits, renamed files, damage."""
import io
import zipfile

import pytest
from ingest.docx_fixtures import para, raw_docx_bytes

from pipeline.errors import InputFileError
from pipeline.ingest.docx_package import read_parts
from pipeline.ingest.docx_reader import parse_docx
from pipeline.ingest.records import ParseOptions

MB = 1024 * 1024


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_body_and_styles_are_found_through_the_relationships():
    parts = read_parts(raw_docx_bytes(para("Sam: Hi."), main="word/document2.xml"), "a.docx", MB)
    assert b"Sam: Hi." in parts.document and parts.styles and b"Heading1" in parts.styles


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    # 30 MB of one repeated paragraph compresses to a few kilobytes.
    body = para("Sam: " + "all work and no play " * 50) * 30_000
    data = raw_docx_bytes(body)
    assert len(data) < MB
    with pytest.raises(InputFileError, match="unpacks to more than 1 MB") as info:
        parse_docx(data, ParseOptions("bomb.docx", max_bytes=MB))
    assert "zip bomb" in info.value.message and "max_file_mb" in info.value.hint


def test_a_size_that_lies_in_the_zip_header_does_not_get_through():
    data = bytearray(raw_docx_bytes(para("Sam: " + "x" * 5000)))
    # The central directory entry of word/document.xml: its name starts 46 bytes in, its
    # uncompressed size is at offset 24. Claim 10 bytes.
    entry = bytes(data).find(b"PK\x01\x02")
    while bytes(data[entry + 46:entry + 63]) != b"word/document.xml":
        entry = bytes(data).find(b"PK\x01\x02", entry + 4)
    data[entry + 24:entry + 28] = (10).to_bytes(4, "little")
    with pytest.raises(InputFileError, match="unpacks to more than|damaged"):
        parse_docx(bytes(data), ParseOptions("liar.docx", max_bytes=4000))


@pytest.mark.parametrize("members, message, hint", [
    ({"xl/workbook.xml": b"<x/>"}, "an Excel workbook", "rename it to .xlsx, which is read"),
    ({"ppt/presentation.xml": b"<x/>"}, "a PowerPoint presentation", "copy the transcript's text"),
    ({"mimetype": b"application/vnd.oasis.opendocument.text"}, "an OpenDocument file",
     "rename it to .odt, which is read"),
    ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, "an OpenDocument spreadsheet",
     "as .xlsx or .csv"),
    ({"hello.txt": b"Sam: Hi."}, "no document body", "save it again as .docx"),
])
def test_other_zip_packages_are_named(members, message, hint):
    with pytest.raises(InputFileError) as caught:
        parse_docx(zip_of(members), ParseOptions("x.docx"))
    assert message in caught.value.message and hint in caught.value.hint


@pytest.mark.parametrize("data, message, hint", [
    (b"%PDF-1.7\n1 0 obj", "a PDF document", "rename it to .pdf, which is read"),
    (b"{\\rtf1\\ansi Sam: Hi.}", "an RTF document", "rename it to .rtf, which is read"),
    (b"<html><body>Sam: Hi.</body></html>", "an HTML web page", "rename it to .html"),
])
def test_other_formats_with_a_docx_name_are_named(data, message, hint):
    with pytest.raises(InputFileError) as caught:
        parse_docx(data, ParseOptions("x.docx"))
    assert message in caught.value.message and hint in caught.value.hint


def test_malformed_xml_is_damaged():
    data = zip_of({"word/document.xml": b"<w:document><w:body><w:p>"})
    with pytest.raises(InputFileError, match="not well-formed XML"):
        parse_docx(data, ParseOptions("x.docx"))


def test_entities_are_not_expanded():
    # A "billion laughs" document: the entities must not be expanded into memory.
    bomb = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b'<w:body><w:p><w:r><w:t>Sam: &c;</w:t></w:r></w:p></w:body></w:document>')
    try:
        turns = parse_docx(zip_of({"word/document.xml": bomb}), ParseOptions("x.docx"))
    except InputFileError:
        return
    assert all(len(t.text) < 200 for t in turns)


def test_a_truncated_docx_is_called_incomplete_not_foreign():
    data = raw_docx_bytes(para("Sam: Hi.") * 50)
    with pytest.raises(InputFileError, match="damaged or incomplete") as info:
        parse_docx(data[: len(data) // 2], ParseOptions("x.docx"))
    assert "copy or export it again" in info.value.hint
