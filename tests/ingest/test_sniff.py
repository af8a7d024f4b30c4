"""A file that is not what its extension says is named by its real format, with what to do."""
import io
import zipfile

import pytest

from pipeline.errors import InputFileError
from pipeline.ingest.encoding import decode_text
from pipeline.ingest.pdf_reader import parse_pdf
from pipeline.ingest.records import ParseOptions
from pipeline.ingest.sniff import foreign_format, hint_for

RTF = b"{\\rtf1\\ansi {\\fonttbl\\f0 Helvetica;}\\f0 Sam: Why did the rota change?\\par Ana: Cost.\\par}"


def zip_of(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("data, real_format, hint", [
    (RTF, "an RTF document", "rename it to .rtf, which is read"),
    (b"\xef\xbb\xbf\r\n" + RTF, "an RTF document", "rename it to .rtf, which is read"),  # as rtf_reader reads it
    (zip_of("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"), "an Excel workbook",
     "rename it to .xlsx, which is read"),
    (zip_of("[Content_Types].xml", "word/document.xml"), "a Word document", "rename it to .docx, which is read"),
    (b"%PDF-1.7\n1 0 obj", "a PDF document", "rename it to .pdf, which is read"),
])
def test_a_format_that_is_read_is_told_to_take_its_own_extension(data, real_format, hint):
    assert foreign_format(data) == real_format
    assert hint_for(real_format) == hint


def test_a_zip_of_anything_else_lists_the_extensions_read():
    for data in (zip_of("notes.txt"), b"PK\x03\x04 a zip cut short"):
        real_format = foreign_format(data)
        assert real_format is not None and real_format.startswith("a zip package")
        assert all(ext in hint_for(real_format) for ext in (".docx", ".xlsx", ".odt"))


def test_an_rtf_transcript_saved_as_txt_is_told_to_be_renamed_rtf():
    with pytest.raises(InputFileError) as caught:
        decode_text(RTF, "interview.txt", "cp1252")
    assert caught.value.message == "the file is an RTF document, not a .txt text file"
    assert caught.value.hint == "rename it to .rtf, which is read"
    assert "rota" not in str(caught.value)


def test_a_workbook_named_pdf_is_told_to_be_renamed_xlsx():
    with pytest.raises(InputFileError) as caught:
        parse_pdf(zip_of("xl/workbook.xml"), ParseOptions("tickets.pdf"))
    assert "an Excel workbook" in caught.value.message
    assert caught.value.hint == "rename it to .xlsx, which is read"
