import codecs
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import InputFileError
from pipeline.ingest.encoding import decode_text

TEXT = "Anna: Ça coûte 5 € — d’accord?\n"


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    TEXT.encode("utf-16"),
    TEXT.encode("utf-32"),
])
def test_utf8_and_utf16_with_bom_decode_silently(data, caplog):
    with caplog.at_level(logging.WARNING):
        assert decode_text(data, "a.txt", "cp1252") == TEXT
    assert not caplog.records


def test_fallback_is_logged_with_the_file_name_but_not_the_text(caplog):
    data = TEXT.encode("cp1252")
    with caplog.at_level(logging.WARNING):
        assert decode_text(data, "housing/anna.txt", "cp1252") == TEXT
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert "housing/anna.txt" in message and "cp1252" in message
    assert "Anna" not in message and "coûte" not in message


def test_null_bytes_are_binary():
    with pytest.raises(InputFileError, match="null bytes"):
        decode_text(b"Anna: hi\x00\x01\x02 there", "a.txt", "cp1252")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded_with_a_warning(codec, caplog):
    # Old Windows tools save "Unicode" text without a byte-order mark.
    with caplog.at_level(logging.WARNING):
        assert decode_text(TEXT.encode(codec), "a.txt", "cp1252") == TEXT
    assert f"decoded as {codec}" in caplog.text and "Anna" not in caplog.text


def test_utf16_without_bom_that_does_not_decode_gets_its_own_message():
    data = "Anna: hi there\n".encode("utf-16-le") + b"\x00\xd8"  # a lone surrogate at the end
    with pytest.raises(InputFileError, match="UTF-16 without a byte-order mark"):
        decode_text(data, "a.txt", "cp1252")


@pytest.mark.parametrize("data, real", [
    (b"%PDF-1.7\n...", "a PDF document"), (b"{\\rtf1\\ansi Sam: hi}", "an RTF document"),
    (b"PK\x03\x04\x14\x00", "a zip package"), (b"\x00\x00\x00\x18ftypM4A ", "recording"),
    (b"<!DOCTYPE html><html><body>Sam: hi</body></html>", "an HTML web page"),
])
def test_a_file_of_another_format_is_named(data, real):
    with pytest.raises(InputFileError, match=real) as info:
        decode_text(data, "team/a.vtt", "cp1252")
    assert ".vtt" in info.value.message and info.value.hint


def test_a_pdf_or_opendocument_file_under_another_name_is_told_to_take_its_own_extension():
    with pytest.raises(InputFileError) as info:
        decode_text(b"%PDF-1.7\n...", "team/a.txt", "cp1252")
    assert ".pdf" in info.value.hint


def test_control_characters_are_binary():
    with pytest.raises(InputFileError, match="control characters"):
        decode_text(b"Anna: \x07\x08 hi", "a.txt", "cp1252")


def test_form_feed_and_tab_are_text():
    assert decode_text(b"Anna:\thi\x0cBob: yo", "a.txt", "cp1252") == "Anna:\thi\x0cBob: yo"


@pytest.mark.parametrize("data", [b"", b"  \n\n ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n"])
def test_empty_files_are_refused(data):
    with pytest.raises(InputFileError, match="empty"):
        decode_text(data, "a.txt", "cp1252")


def test_undecodable_by_the_fallback_too():
    # 0x81 is undefined in cp1252 and invalid as UTF-8.
    with pytest.raises(InputFileError, match="neither UTF-8"):
        decode_text(b"Anna: \x81\x81", "a.txt", "cp1252")


def test_bad_utf16_after_bom():
    with pytest.raises(InputFileError, match="not valid UTF-16"):
        decode_text(codecs.BOM_UTF16_LE + b"\x00\xd8", "a.txt", "cp1252")


@given(st.binary(max_size=400))
def test_any_bytes_decode_or_raise_input_file_error(data):
    try:
        assert isinstance(decode_text(data, "a.txt", "cp1252"), str)
    except InputFileError:
        pass
