"""The fail-closed scan of a staged output folder: every format, every disguise, and never the datum."""
import json
import zipfile

import pytest

from pipeline.leakcheck import find_leaks

TERMS = {"Sarah Jones": "person name", "Sarah": "person name", "O'Brien": "person name",
         "07911 123456": "phone number", "jo.bloggs@eastbrook.gov.uk": "email address",
         "Priya Shah": "speaker name", "Dave Pritchard": "roster name"}


def write(folder, name, content):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def docx(runs_per_paragraph):
    """A minimal Word file whose paragraphs are split into the given runs."""
    from io import BytesIO

    body = "".join("<w:p>" + "".join(f'<w:r><w:t xml:space="preserve">{r}</w:t></w:r>' for r in runs) + "</w:p>"
                   for runs in runs_per_paragraph)
    xml = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", xml)
        z.writestr("docProps/core.xml", "<cp:coreProperties><dc:creator>Common Ground</dc:creator></cp:coreProperties>")
    return buffer.getvalue()


def test_a_clean_folder_has_no_leaks(tmp_path):
    write(tmp_path, "quotes.csv", "quote_id,text\n1,[PERSON 1] said the rota worked for Participant 2\n")
    write(tmp_path, "theme_report.html", "<p>[PERSON 1] &amp; [PLACE 2]: Sarahville is a made-up word</p>")
    assert find_leaks(tmp_path, TERMS) == []


@pytest.mark.parametrize("name, content, kind", [
    ("quotes.csv", 'id,text\n1,"ask sarah, she knows"\n', "person name"),
    ("theme_report.md", "> Ask Dave\\ Pritchard about it\n", "roster name"),
    ("theme_report.md", "Ask **Dave** Pritchard\n", "roster name"),
    ("theme_report.html", "<p>Ask O&#x27;Brien</p>", "person name"),
    ("theme_report.html", "<p>Ask O&#39;Brien</p>", "person name"),
    ("theme_report.html", "<p>Ask Dave<br>\nPritchard</p>", "roster name"),
    ("theme_report.html", "<span>Priya</span> <span>Shah</span>", "speaker name"),
    ("theme_report.html", "<p>Call 07911&nbsp;123456</p>", "phone number"),
    ("notes.txt", "Call 07911-123456 after six", "phone number"),
    ("notes.txt", "Write to JO.BLOGGS@EASTBROOK.GOV.UK", "email address"),
    ("notes.txt", "SARAH JONES'S view", "person name"),
    ("notes.txt", "O’Brien's team", "person name"),
])
def test_every_disguise_is_seen(tmp_path, name, content, kind):
    write(tmp_path, name, content)
    assert (name, kind) in find_leaks(tmp_path, TERMS)


def test_json_strings_are_read_whatever_their_escaping(tmp_path):
    write(tmp_path, "run.json", json.dumps({"inputs": [{"file": "housing/notes.txt", "reason": "Zoë's file"}]},
                                           ensure_ascii=True))
    assert find_leaks(tmp_path, {"Zoë": "person name"}) == [("run.json", "person name")]


def test_docx_text_split_across_runs_is_joined(tmp_path):
    write(tmp_path, "theme_cards.docx", docx([["A quote from Sa", "rah Jo", "nes about the rota"]]))
    assert find_leaks(tmp_path, TERMS) == [("theme_cards.docx", "person name")]


def test_docx_metadata_is_read(tmp_path):
    write(tmp_path, "theme_cards.docx", docx([["Clean"]]))
    assert find_leaks(tmp_path, {"Common Ground": "x"}) == [("theme_cards.docx", "x")]


def test_names_in_file_and_folder_names_are_found_and_withheld(tmp_path):
    write(tmp_path, "copies/housing/priya_shah.txt", "Participant 1: fine")
    write(tmp_path, "copies/dave-pritchard/notes.txt", "Dave Pritchard said so")
    assert find_leaks(tmp_path, TERMS) == [
        ("copies/[name withheld]", "roster name in the file name"),
        ("copies/[name withheld]/notes.txt", "roster name"),
        ("copies/housing/[name withheld]", "speaker name in the file name")]


def test_require_no_leaks_raises_naming_file_and_kind_only(tmp_path):
    from pipeline.errors import EXIT_INTERNAL, LeakError
    from pipeline.leakcheck import require_no_leaks

    write(tmp_path, "quotes.csv", "Sarah Jones said so")
    require_no_leaks(tmp_path / "empty", TERMS)  # nothing there, nothing raised
    with pytest.raises(LeakError) as error:
        require_no_leaks(tmp_path, TERMS)
    assert "person name in quotes.csv" in str(error.value) and "Sarah" not in str(error.value)
    assert error.value.exit_status == EXIT_INTERNAL


@pytest.mark.parametrize("content", ["İlkay Gündoğan said so", "ILKAY GÜNDOĞAN said so", "ask ilkay"])
def test_names_whose_case_folding_adds_a_mark_are_found(tmp_path, content):
    # "İ".casefold() is "i" plus a combining dot, which is no letter: folding a whole text first
    # would split "İlkay" in two and miss it.
    write(tmp_path, "a.txt", content)
    assert find_leaks(tmp_path, {"İlkay": "person name", "Ilkay": "person name"}) == [("a.txt", "person name")]


def test_matches_are_whole_words(tmp_path):
    write(tmp_path, "a.txt", "Sarahville, Jonesy and 079111234567 are not the data")
    assert find_leaks(tmp_path, TERMS) == []


def test_the_datum_is_never_returned(tmp_path):
    write(tmp_path, "a.csv", "Dave Pritchard, 07911 123456, jo.bloggs@eastbrook.gov.uk")
    report = repr(find_leaks(tmp_path, TERMS))
    for datum in ("Dave", "Pritchard", "07911", "bloggs"):
        assert datum not in report


def test_plain_strings_and_tiny_terms(tmp_path):
    write(tmp_path, "a.txt", "A quote by Mx Kowalski, a b c")
    assert find_leaks(tmp_path, ["Kowalski", "a", "b"]) == [("a.txt", "personal data")]
    assert find_leaks(tmp_path, []) == []


def test_the_inlined_plotly_library_is_not_searched_but_the_page_data_is(tmp_path):
    from pipeline.leakcheck import find_leaks
    from pipeline.vendored import plotly_js

    library = plotly_js()
    name = next(n for n in ("Martin", "Lee", "Porto") if n in library)
    (tmp_path / "theme_report.html").write_text(f"<script>{library}</script><p>ok</p>", encoding="utf-8")
    assert find_leaks(tmp_path, {name: "speaker name"}) == []
    (tmp_path / "theme_report.html").write_text(f"<script>{library}</script><p>{name} said</p>", encoding="utf-8")
    assert find_leaks(tmp_path, {name: "speaker name"}) == [("theme_report.html", "speaker name")]


def test_the_blank_word_template_we_ship_is_not_searched_but_everything_written_is(tmp_path):
    from docx import Document

    names = {"Hang": "person name", "Yi": "person name"}  # a script code and a typeface in its font table
    document = Document()
    document.add_paragraph("A card about the rota.")
    document.save(tmp_path / "theme_cards.docx")
    assert find_leaks(tmp_path, names) == []
    document.add_paragraph("Ask Hang about it.")
    document.save(tmp_path / "theme_cards.docx")
    assert find_leaks(tmp_path, names) == [("theme_cards.docx", "person name")]


def test_word_markup_is_not_text_but_external_link_targets_are(tmp_path):
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE

    names = {"Microsoft": "person name", "Ja": "person name", "sarah@example.org": "email address"}
    document = Document()
    document.add_paragraph("A card about the rota.")  # its XML names schemas.microsoft.com and ja-JP
    document.save(tmp_path / "theme_cards.docx")
    assert find_leaks(tmp_path, names) == []
    document.part.relate_to("mailto:sarah@example.org", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    document.save(tmp_path / "theme_cards.docx")
    assert find_leaks(tmp_path, names) == [("theme_cards.docx", "email address")]


# ----------------------------------------------------------------------------- masking what survived

PLACEHOLDERS = {"Sarah Jones": "[PERSON 1]", "Sarah": "[PERSON 1]", "O'Brien": "[PERSON 2]",
                "07911 123456": "[PHONE]", "jo.bloggs@eastbrook.gov.uk": "[EMAIL]",
                "Priya Shah": "[PERSON 3]", "Dave Pritchard": "[PERSON 4]"}


def test_secure_masks_every_format_with_the_registers_placeholder_and_counts_by_kind(tmp_path):
    from pipeline.leakcheck import secure_staged_outputs

    write(tmp_path, "quotes.csv", "quote_id,text\nq1,SARAH JONES agreed with priya shah\n")
    write(tmp_path, "theme_report.html", "<p>Ask O&#x27;Brien on 07911&nbsp;123456</p>")
    write(tmp_path, "theme_report.md", "**Sarah**'s rota")
    write(tmp_path, "run.json", json.dumps({"inputs": [{"file": "jo.bloggs@eastbrook.gov.uk.txt"}]}))
    write(tmp_path, "theme_cards.docx", docx([["Dave Pritchard said so"]]))
    write(tmp_path, "notes/dave_pritchard.txt", "nothing here")
    masked = secure_staged_outputs(tmp_path, TERMS, PLACEHOLDERS)
    assert find_leaks(tmp_path, TERMS) == []
    assert (tmp_path / "quotes.csv").read_text() == "quote_id,text\nq1,[PERSON 1] agreed with [PERSON 3]\n"
    assert "[PERSON 2]" in (tmp_path / "theme_report.html").read_text()
    assert (tmp_path / "theme_report.md").read_text() == "**[PERSON 1]**'s rota"
    assert masked == {"email address": 1, "person name": 3, "phone number": 1, "roster name": 2, "speaker name": 1}
    assert zipfile.ZipFile(tmp_path / "theme_cards.docx").testzip() is None
    assert not (tmp_path / "notes" / "dave_pritchard.txt").exists()


def test_secure_leaves_a_clean_folder_untouched(tmp_path):
    from pipeline.leakcheck import secure_staged_outputs

    path = write(tmp_path, "quotes.csv", "text\nWe cut the phone hours.\n")
    before = path.stat().st_mtime_ns
    assert secure_staged_outputs(tmp_path, TERMS, PLACEHOLDERS) == {}
    assert path.stat().st_mtime_ns == before


def test_secure_refuses_what_masking_cannot_reach_and_names_both_fixes(tmp_path):
    """A name split across two runs of a Word paragraph is read as one name, but no single text node holds it."""
    from pipeline.errors import LeakError
    from pipeline.leakcheck import secure_staged_outputs

    write(tmp_path, "theme_cards.docx", docx([["Priya Sh", "ah said so"]]))
    with pytest.raises(LeakError) as raised:
        secure_staged_outputs(tmp_path, TERMS, PLACEHOLDERS)
    message = str(raised.value)
    assert message.startswith("[E500] personal data survived anonymisation and could not be masked "
                              "(speaker name in theme_cards.docx); nothing was published")
    assert "Priya" not in message
    assert "roster" in message and "keep" in message


def test_masking_leaves_the_vendored_plotly_library_alone(tmp_path):
    from pipeline.leakcheck import mask_terms
    from pipeline.vendored import plotly_js

    library = plotly_js()
    word = next(w for w in ("Martin", "Porto", "Paris") if f" {w}" in library)
    write(tmp_path, "theme_report.html", f"<script>{library}</script><p>{word} said</p>")
    mask_terms(tmp_path, {word: "[PERSON 1]"})
    page = (tmp_path / "theme_report.html").read_text()
    assert page.startswith(f"<script>{library}</script>") and page.endswith("<p>[PERSON 1] said</p>")


def test_a_name_glued_to_a_json_escape_in_the_page_is_found_and_masked(tmp_path):
    """Plotly's data escapes "<br>" as "\\u003cbr\\u003e": the hover text's first word touches it."""
    from pipeline.leakcheck import secure_staged_outputs

    write(tmp_path, "theme_report.html", '<script>var d = {"text": "care\\u003cbr\\u003ePriya Shah here"};</script>')
    assert find_leaks(tmp_path, TERMS) == [("theme_report.html", "speaker name")]
    assert secure_staged_outputs(tmp_path, TERMS, PLACEHOLDERS) == {"speaker name": 1}
    assert "\\u003e[PERSON 3] here" in (tmp_path / "theme_report.html").read_text()


# ----------------------------------------------------------------------------- what a refusal says


def test_a_refusal_names_ten_files_and_counts_the_rest(tmp_path):
    from pipeline.errors import LeakError
    from pipeline.leakcheck import require_no_leaks

    for n in range(11):
        write(tmp_path, f"notes{n:02d}.txt", "Sarah was here")
    with pytest.raises(LeakError) as raised:
        require_no_leaks(tmp_path, TERMS)
    listed = "; ".join(f"person name in notes{n:02d}.txt" for n in range(10))
    assert str(raised.value).startswith(f"[E500] personal data survived anonymisation ({listed} and 1 more); "
                                        "nothing was published")
    (tmp_path / "notes10.txt").unlink()
    with pytest.raises(LeakError) as raised:
        require_no_leaks(tmp_path, TERMS)
    assert f"({listed}); nothing was published" in str(raised.value)


def test_secure_masks_every_datum_of_a_kind_not_only_the_first_and_logs_the_counts_only(tmp_path, caplog):
    from pipeline.leakcheck import WITHHELD, secure_staged_outputs

    write(tmp_path, "quotes.csv", "text\nSarah Jones and O'Brien agreed\n")
    write(tmp_path, "o_brien/sarah.txt", "ok")
    terms = {"Sarah Jones": "person name", "Sarah": "person name", "O'Brien": "person name",
             "Dave Pritchard": "roster name"}
    with caplog.at_level("WARNING", logger="pipeline.leakcheck"):
        masked = secure_staged_outputs(tmp_path, terms, {"Sarah Jones": "[PERSON 1]", "Sarah": "[PERSON 1]"})
    assert masked == {"person name": 4}
    assert (tmp_path / "quotes.csv").read_text() == f"text\n[PERSON 1] and {WITHHELD} agreed\n"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        WITHHELD, f"{WITHHELD}/[PERSON 1].txt", "quotes.csv"]
    assert caplog.messages == [
        "the staged outputs still held 4 personal data items (4 person name); masked with the anonymiser's "
        "placeholders and checked again before publishing (run.json: anonymisation.masked_after_check)"]


def test_the_warning_counts_one_item_in_the_singular_and_each_kind_apart(tmp_path, caplog):
    from pipeline.leakcheck import secure_staged_outputs

    write(tmp_path, "quotes.csv", "text\nSarah said\n")
    with caplog.at_level("WARNING", logger="pipeline.leakcheck"):
        secure_staged_outputs(tmp_path, TERMS, PLACEHOLDERS)
    assert caplog.messages[0].startswith("the staged outputs still held 1 personal data item (1 person name); ")
    write(tmp_path, "quotes.csv", "text\nSarah said, call 07911 123456\n")
    caplog.clear()
    with caplog.at_level("WARNING", logger="pipeline.leakcheck"):
        secure_staged_outputs(tmp_path, TERMS, PLACEHOLDERS)
    assert caplog.messages[0].startswith("the staged outputs still held 2 personal data items "
                                         "(1 person name, 1 phone number); ")


def test_secure_masks_two_names_of_one_kind_in_one_file_name(tmp_path):
    from pipeline.leakcheck import secure_staged_outputs

    write(tmp_path, "sarah_okafor.txt", "ok")
    terms = {"Sarah": "person name", "Okafor": "person name"}
    assert secure_staged_outputs(tmp_path, terms, {"Sarah": "[PERSON 1]", "Okafor": "[PERSON 2]"}) == \
        {"person name": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["[PERSON 1]_[PERSON 2].txt"]


@pytest.mark.parametrize("transcript_id", ["waste/holtcarver_assemblyai.json", "SC/VanDalen-rev.json",
                                           "SC/RuizPena-rev.json", "housing/interviewDalen.txt"])
def test_a_name_in_a_transcript_id_is_found_joined_camel_cased_or_without_accents(tmp_path, transcript_id):
    terms = {"Nadia Holt Carver": "speaker name", "Dalen": "speaker name", "Ruiz-Peña": "speaker name"}
    write(tmp_path, "quotes.csv", f"transcript_id,text\n{transcript_id},We moved the bins.\n")
    assert find_leaks(tmp_path, terms) == [("quotes.csv", "speaker name")]


def test_camel_case_parts_count_only_in_a_file_name(tmp_path):
    write(tmp_path, "report.html", "<script>el.style.maxWidth = 3; loadDalen()</script><p>VanDalen said</p>")
    assert find_leaks(tmp_path, {"Max": "person name", "Dalen": "person name"}) == []


def test_a_joined_or_camel_cased_name_in_a_transcript_id_is_masked(tmp_path):
    from pipeline.leakcheck import secure_staged_outputs

    write(tmp_path, "quotes.csv", "transcript_id\nSC/VanDalen-rev.json\nNon-SC/holtcarver.json\n")
    terms = {"Dalen": "speaker name", "Nadia Holt Carver": "speaker name"}
    assert secure_staged_outputs(tmp_path, terms, {"Dalen": "[PERSON 1]", "Nadia Holt Carver": "[PERSON 2]"}) \
        == {"speaker name": 2}
    assert (tmp_path / "quotes.csv").read_text() == "transcript_id\nSC/Van[PERSON 1]-rev.json\nNon-SC/[PERSON 2].json\n"
