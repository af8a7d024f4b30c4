"""OpenDocument (.odt) transcripts: synthetic packages written with zipfile, never real ones."""
import io
import zipfile

import pytest

from pipeline.errors import InputFileError
from pipeline.ingest import read_corpus
from pipeline.ingest.odt_reader import parse_odt
from pipeline.ingest.records import ParseOptions

OPTIONS = ParseOptions("fixture.odt")
SECRET = "pilot budget"  # said in the fixtures: must never reach a reason
MIMETYPE = "application/vnd.oasis.opendocument.text"
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"')
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{extra}'
            '</manifest:file-entry></manifest:manifest>')


def odt_bytes(body: str, styles: str = "", mimetype: str = MIMETYPE, manifest_extra: str = "",
              content: bytes | None = None, parts: dict[str, bytes] | None = None) -> bytes:
    """An .odt package whose office:text holds `body` (ODF XML, prefixes text, table, draw, office)."""
    if content is None:
        content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES} office:version="1.3">'
                   f'<office:automatic-styles>{styles}</office:automatic-styles>'
                   f'<office:body><office:text>{body}</office:text></office:body></office:document-content>'
                   ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # first and stored, as ODF requires
        archive.writestr("META-INF/manifest.xml", MANIFEST.format(mimetype=mimetype, extra=manifest_extra),
                         compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def p(inner: str, style: str = "Standard") -> str:
    return f'<text:p text:style-name="{style}">{inner}</text:p>'


def speaker_table(rows) -> str:
    cells = "".join("<table:table-row>" + "".join(f"<table:table-cell>{p(cell)}</table:table-cell>" for cell in row)
                    + "</table:table-row>" for row in rows)
    return (f'<table:table table:name="T1"><table:table-column table:number-columns-repeated="{len(rows[0])}"/>'
            f"{cells}</table:table>")


def pairs(turns):
    return [(t.speaker, t.text) for t in turns]


def test_headings_spans_line_breaks_spaces_and_a_speaker_table():
    body = (
        '<text:h text:outline-level="1">Housing team interview</text:h>'
        + p("Recorded 12 March", style="P1")
        + p('<text:span text:style-name="T1">Sam:</text:span><text:s/>How did the '
            '<text:span text:style-name="T2">pilot</text:span> go?')
        + p("Anna: It went well,<text:line-break/>mostly.<text:line-break/>Sam: Good.")
        + '<text:h text:outline-level="2">Part two</text:h>'
        + speaker_table([["Speaker", "Text"], ["Sam", "And the reports?"], ["Anna", "Monthly,"], ["", "one page."]])
    )
    turns = parse_odt(odt_bytes(body), OPTIONS)
    assert pairs(turns) == [("Sam", "How did the pilot go?"), ("Anna", "It went well, mostly."), ("Sam", "Good."),
                            ("Sam", "And the reports?"), ("Anna", "Monthly, one page.")]


def test_teams_layout_with_tabs_and_counted_spaces():
    body = (p('Sam Jones<text:s text:c="3"/>0:03<text:line-break/>How did it go?')
            + p("Anna Smith<text:tab/>0:09") + p("Well,") + p("mostly."))
    turns = parse_odt(odt_bytes(body), OPTIONS)
    assert [(t.speaker, t.text, t.start) for t in turns] == [
        ("Sam Jones", "How did it go?", 3.0), ("Anna Smith", "Well, mostly.", 9.0)]


def test_the_xml_own_line_breaks_are_spaces_and_lists_sections_and_text_boxes_are_read():
    body = (
        '<text:section text:name="S1">\n  <text:p>Sam:   How did\n      it go?</text:p>\n</text:section>'
        '<text:list><text:list-item><text:p>Anna: <text:a xlink:href="x" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">Well</text:a>.</text:p></text:list-item></text:list>'
        + p('<draw:frame draw:name="F1"><svg:title>Logo alt text</svg:title>'
            '<draw:text-box>' + p("Sam: In a box.") + "</draw:text-box></draw:frame>")
    )
    assert pairs(parse_odt(odt_bytes(body), OPTIONS)) == [
        ("Sam", "How did it go?"), ("Anna", "Well."), ("Sam", "In a box.")]


def test_footnotes_comments_and_tracked_deletions_are_not_read():
    body = (
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
        + p("Anna: A deleted line.") + "</text:deletion></text:changed-region></text:tracked-changes>"
        + p('Sam: Why?<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
            "<text:note-body>" + p("Translator: a note.") + "</text:note-body></text:note>")
        + p("Anna: Money.<office:annotation><dc:creator>Editor</dc:creator>"
            + p("Check this.") + "</office:annotation>")
    )
    assert pairs(parse_odt(odt_bytes(body), OPTIONS)) == [("Sam", "Why?"), ("Anna", "Money.")]


def test_speakers_as_headings_above_their_words():
    body = "".join(f'<text:h text:outline-level="2">{name}</text:h>{p(words)}' for name, words in [
        ("INTERVIEWER", "How did it go?"), ("PARTICIPANT", "Fine."),
        ("INTERVIEWER", "And then?"), ("PARTICIPANT", "We stopped.")])
    assert pairs(parse_odt(odt_bytes(body), OPTIONS)) == [
        ("INTERVIEWER", "How did it go?"), ("PARTICIPANT", "Fine."),
        ("INTERVIEWER", "And then?"), ("PARTICIPANT", "We stopped.")]


def test_a_title_style_paragraph_is_a_heading():
    styles = '<style:style style:name="P9" style:family="paragraph" style:parent-style-name="Title"/>'
    body = p("Sam: the whole title", style="P9") + p("Sam: Why?") + p("Anna: Because.")
    assert pairs(parse_odt(odt_bytes(body, styles=styles), OPTIONS)) == [("Sam", "Why?"), ("Anna", "Because.")]


def test_a_merged_cell_is_read_once():
    body = ('<table:table><table:table-row><table:table-cell table:number-columns-spanned="2">'
            + p("Sam: Why?") + "</table:table-cell><table:covered-table-cell/></table:table-row>"
            "<table:table-row><table:table-cell>" + p("Anna: Because.") + "</table:table-cell></table:table-row>"
            "</table:table>")
    assert pairs(parse_odt(odt_bytes(body), OPTIONS)) == [("Sam", "Why?"), ("Anna", "Because.")]


def _refusal(data: bytes, options: ParseOptions = OPTIONS) -> InputFileError:
    with pytest.raises(InputFileError) as caught:
        parse_odt(data, options)
    error = caught.value
    assert error.path == options.name and error.hint
    assert SECRET not in str(error)
    return error


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    content = b"<x>" + b" " * 5_000_000 + b"</x>"
    data = odt_bytes("", content=content)
    assert len(data) < 50_000
    error = _refusal(data, ParseOptions("fixture.odt", max_bytes=1_000_000))
    assert "unpacks to more than" in error.message and "max_file_mb" in error.hint


@pytest.mark.parametrize("data,message", [
    (b"", "empty"),
    (b"Sam: pilot budget", "not an OpenDocument"),
    (b"%PDF-1.7 pilot budget", "a PDF document"),
    (b"PK\x03\x04 pilot budget", "not an OpenDocument"),
    (odt_bytes("", mimetype="application/vnd.oasis.opendocument.spreadsheet"), "not an OpenDocument text"),
    (odt_bytes("", manifest_extra='<manifest:encryption-data manifest:checksum="x"/>'), "password-protected"),
    (odt_bytes("", content=b"<office:document-content>Sam: pilot budget"), "damaged"),
    (odt_bytes(p(f"Notes on the {SECRET}.")), "no speaker turns"),
    (odt_bytes("", parts={"word/document.xml": b"<w/>"}), "Word .docx"),
])
def test_damaged_protected_and_foreign_files_are_refused(data, message):
    assert message in _refusal(data).message


def test_a_package_without_content_is_damaged():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", MIMETYPE)
    assert "no content.xml" in _refusal(out.getvalue()).message


def test_read_corpus_reads_odt(tmp_path, ingest_config):
    root = tmp_path / "input"
    (root / "youth").mkdir(parents=True)
    (root / "youth" / "kim.odt").write_bytes(odt_bytes(p(f"Sam: What about the {SECRET}?") + p("Kim: We cut it.")))
    (root / "youth" / "bomb.odt").write_bytes(odt_bytes("", content=b"<x>" + b" " * 3_000_000 + b"</x>"))
    corpus = read_corpus(root, ingest_config(max_file_mb=1))
    records = {r.file: r for r in corpus.inputs}
    assert records["youth/kim.odt"].status == "ok"
    assert records["youth/bomb.odt"].status == "failed" and "zip bomb" in records["youth/bomb.odt"].reason
    assert corpus.turns[["speaker", "text", "team"]].values.tolist() == [
        ["Sam", f"What about the {SECRET}?", "youth"], ["Kim", "We cut it.", "youth"]]


def test_notes_with_the_questions_as_headings_and_the_answers_below():
    body = ('<text:h text:outline-level="1">Interview 4: notes</text:h>'
            + "".join(f'<text:h text:outline-level="2">{asked}</text:h>{p(said)}' for asked, said in [
                ("Why did you change the rota?", "The backlog grew."), ("What happened next?", "We split the day.")]))
    assert pairs(parse_odt(odt_bytes(body), OPTIONS)) == [
        ("Moderator", "Why did you change the rota?"), ("Respondent", "The backlog grew."),
        ("Moderator", "What happened next?"), ("Respondent", "We split the day.")]
