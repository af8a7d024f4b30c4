"""`leakcheck.masking`: every occurrence replaced, in nested files and folder names, Word text and JSON escapes."""
import zipfile
from io import BytesIO

from pipeline.leakcheck import mask_terms


def test_a_folder_and_the_file_inside_it_both_lose_the_name(tmp_path):
    folder = tmp_path / "priya" / "notes"
    folder.mkdir(parents=True)
    (folder / "priya_shah.txt").write_text("Priya Shah wrote this", encoding="utf-8")
    counts = mask_terms(tmp_path, {"Priya Shah": "[PERSON 1]", "Priya": "[PERSON 1]"})
    assert (tmp_path / "[PERSON 1]" / "notes" / "[PERSON 1].txt").read_text(encoding="utf-8") == \
        "[PERSON 1] wrote this"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["[PERSON 1]"]
    assert counts == {"Priya Shah": 2, "Priya": 1}  # the file name and its text; the folder


def test_a_placeholder_with_a_slash_makes_no_new_folder(tmp_path):
    (tmp_path / "priya.txt").write_text("hello", encoding="utf-8")
    mask_terms(tmp_path, {"Priya": "Team A/B"})
    assert [p.name for p in tmp_path.iterdir()] == ["Team A-B.txt"]


def test_two_letter_terms_are_masked_and_one_letter_terms_are_not(tmp_path):
    (tmp_path / "notes.txt").write_text("Al met J at noon", encoding="utf-8")
    assert mask_terms(tmp_path, {"Al": "[PERSON 1]", "J": "[PERSON 2]"}) == {"Al": 1}
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "[PERSON 1] met J at noon"


def test_a_name_after_a_json_escape_in_either_letter_case_is_masked(tmp_path):
    (tmp_path / "data.json").write_text('["x\\u003ePriya", "y\\u003EPriya", "zPriya"]', encoding="utf-8")
    mask_terms(tmp_path, {"Priya": "[PERSON 1]"})
    assert (tmp_path / "data.json").read_text(encoding="utf-8") == \
        '["x\\u003e[PERSON 1]", "y\\u003E[PERSON 1]", "zPriya"]'


def test_bytes_that_are_not_utf8_do_not_stop_the_masking(tmp_path):
    (tmp_path / "notes.txt").write_bytes(b"Priya\xff said")
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:t>Priya\xe9</w:t>".encode("latin-1"))
    (tmp_path / "cards.docx").write_bytes(buffer.getvalue())
    mask_terms(tmp_path, {"Priya": "[PERSON 1]"})
    assert (tmp_path / "notes.txt").read_bytes() == "[PERSON 1]\ufffd said".encode()
    with zipfile.ZipFile(tmp_path / "cards.docx") as archive:
        assert archive.read("word/document.xml").decode("utf-8") == "<w:t>[PERSON 1]\ufffd</w:t>"


def test_an_htm_page_and_a_word_files_relationships_are_masked_too(tmp_path):
    (tmp_path / "page.htm").write_text("<p>Priya</p>", encoding="utf-8")
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:t>Priya</w:t>")
        archive.writestr("word/_rels/document.xml.rels", '<Relationships><R Target="x">Priya</R></Relationships>')
        archive.writestr("word/media/image.png", b"Priya")  # not text: left as it was
    (tmp_path / "cards.docx").write_bytes(buffer.getvalue())
    assert mask_terms(tmp_path, {"Priya": "[PERSON 1]"}) == {"Priya": 3}
    assert (tmp_path / "page.htm").read_text(encoding="utf-8") == "<p>[PERSON 1]</p>"
    with zipfile.ZipFile(tmp_path / "cards.docx") as archive:
        assert archive.read("word/_rels/document.xml.rels").decode() == \
            '<Relationships><R Target="x">[PERSON 1]</R></Relationships>'
        assert archive.read("word/media/image.png") == b"Priya"


def test_the_vendored_library_in_an_htm_page_is_neither_read_nor_masked(tmp_path):
    from pipeline.leakcheck.readings import readings
    from pipeline.vendored import plotly_js

    library = plotly_js()
    word = next(w for w in ("Martin", "Porto", "Paris") if f" {w}" in library)
    page = tmp_path / "page.htm"
    page.write_text(f"<script>{library}</script><p>{word} said</p>", encoding="utf-8")
    assert all(library not in text for text in readings(page))
    mask_terms(tmp_path, {word: "[PERSON 1]"})
    assert page.read_text(encoding="utf-8") == f"<script>{library}</script><p>[PERSON 1] said</p>"
