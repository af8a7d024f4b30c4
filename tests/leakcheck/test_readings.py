"""`leakcheck.readings`: each kind of file read the ways a person or a program would read it."""
import zipfile
from io import BytesIO

import pytest

from pipeline.leakcheck.readings import _docx_template_parts, readings

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize("name, content, expected", [
    ("notes.txt", "plain", ["plain"]),  # no entity, no escape: the text as it is, once
    ("notes.txt", "Tom &amp; Jerry", ["Tom &amp; Jerry", "Tom & Jerry"]),
    ("notes.txt", "a<br>b", ["a<br>b"]),  # a tag is markup only in a markup file
    ("page.htm", "a<br>b", ["a<br>b", "a b"]),
    ("page.HTM", "a<br>b", ["a<br>b", "a b"]),
    ("data.xml", "a<br>b", ["a<br>b", "a b"]),
    ("map.svg", "a<br>b", ["a<br>b", "a b"]),
    ("report.md", "Ask Dave\\_P &amp; <b>x</b>",
     ["Ask Dave\\_P &amp; <b>x</b>", "Ask Dave\\_P & <b>x</b>", "Ask Dave\\_P &  x ", "Ask Dave_P & <b>x</b>"]),
    ("report.markdown", "a\\*b", ["a\\*b", "a\\*b", "a*b"]),
    ("run.json", '{"k": ["Dave", 3, null, {"n": "x\\u003Ey"}]}',
     ['{"k": ["Dave", 3, null, {"n": "x\\u003Ey"}]}', '{"k": ["Dave", 3, null, {"n": "x>y"}]}', "k\nDave\n3\nn\nx>y"]),
    ("run.json", "not json", ["not json"]),
])
def test_each_kind_of_file_is_read_every_way_it_can_be_seen(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert readings(path) == expected


def test_bytes_that_are_not_utf8_are_replaced_not_fatal(tmp_path):
    (tmp_path / "notes.txt").write_bytes(b"Sarah\xff ok")
    (tmp_path / "cards.docx").write_bytes(b"not a zip \xff Sarah")
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document {W}><w:p><w:r><w:t>Sarah\xe9</w:t></w:r></w:p></w:document>"
                         .encode("latin-1"))
    (tmp_path / "latin.docx").write_bytes(buffer.getvalue())
    assert readings(tmp_path / "notes.txt") == ["Sarah\ufffd ok"]
    assert readings(tmp_path / "cards.docx") == ["not a zip \ufffd Sarah"]
    assert readings(tmp_path / "latin.docx")[1] == "Sarah\ufffd"


def test_a_word_paragraph_joins_its_runs_tabs_and_breaks_and_every_part_after_the_template_is_read(tmp_path):
    body = (f'<w:document {W}><w:body><w:p><w:r><w:t>Dave</w:t></w:r><w:r><w:tab/></w:r>'
            '<w:r><w:t xml:space="preserve">Pritch</w:t><w:t>ard</w:t></w:r></w:p><w:p/>'
            '<w:p><w:r><w:t>O&amp;Brien</w:t></w:r></w:p></w:body></w:document>')
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in _docx_template_parts().items():  # the blank template's parts come first
            archive.writestr(name, data)
        archive.writestr("word/document9.xml", body)
        archive.writestr("word/media/photo.png", b"\x89PNG Sarah")  # not text: never read
    path = tmp_path / "cards.docx"
    path.write_bytes(buffer.getvalue())
    tags_removed, paragraphs = readings(path)
    assert tags_removed.split() == ["Dave", "Pritch", "ard", "O&Brien"]
    assert paragraphs == "Dave Pritchard\n\nO&Brien"
