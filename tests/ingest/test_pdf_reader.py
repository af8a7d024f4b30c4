"""PDF transcripts: synthetic PDFs written by hand (a Helvetica font and BT/ET text operators), never real ones."""
import io
import textwrap
import zlib

import pypdf
import pytest

from pipeline.errors import InputFileError
from pipeline.ingest import read_corpus
from pipeline.ingest.pdf_reader import parse_pdf, transcript_lines
from pipeline.ingest.records import ParseOptions

OPTIONS = ParseOptions("fixture.pdf")
HEADER = "Acme Transcription Ltd - Housing interview 3 - Confidential"
SECRET = "pilot budget"  # said in the fixtures: must never reach a reason


def _escape(text: str) -> bytes:
    return text.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(pages, header=HEADER, footer="Page {n} of {total}", footer_first=False, compress=False) -> bytes:
    """A PDF of `pages` (each a list of text lines), with a running header and a page-number footer.

    `footer_first` writes the footer before the body, as Word does; `compress` deflates the content streams.
    A page given as None has no text at all (a scanned page: only a drawn rectangle).
    """
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for n, lines in enumerate(pages, 1):
        if lines is None:
            stream = b"0.5 g 72 72 400 600 re f"
        else:
            shown = [(800, header)] if header else []
            body = [(760 - i * 14, line) for i, line in enumerate(lines)]
            foot = [(40, footer.format(n=n, total=len(pages)))] if footer else []
            shown += foot + body if footer_first else body + foot
            stream = b"\n".join([b"BT /F1 11 Tf", *(b"1 0 0 1 72 %d Tm (%s) Tj" % (y, _escape(text))
                                                    for y, text in shown), b"ET"])
        extra = b""
        if compress:
            stream, extra = zlib.compress(stream), b" /Filter /FlateDecode"
        objects.append(b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(stream), extra, stream))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def paginate(turns, width=70, per_page=12):
    """Lines of `Name: words` turns, wrapped at `width` characters, cut into pages of `per_page` lines."""
    lines = [line for turn in turns for line in textwrap.wrap(turn, width)]
    return [lines[i:i + per_page] for i in range(0, len(lines), per_page)]


def encrypted(data: bytes, user_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pairs(turns):
    return [(t.speaker, t.text) for t in turns]


TURNS = [
    "Sam: How did the pilot budget work out for the team over the first year, and what changed once "
    "the council asked for monthly reports instead of quarterly ones?",
    "Anna: Honestly it was tight from the start. We moved two people onto the front desk, stopped the "
    "evening clinics, and the waiting list still grew every month until spring, when the new housing "
    "officer joined and we could open the Thursday sessions again.",
    "Sam: And the reports?",
    "Anna: We agreed to send one page a month, no more, because nobody read the long ones anyway.",
]


def test_name_colon_turns_wrap_over_lines_and_pages_without_page_furniture():
    pages = paginate(TURNS, per_page=3)
    assert len(pages) >= 3
    turns = parse_pdf(make_pdf(pages), OPTIONS)
    assert pairs(turns) == [tuple(turn.split(": ", 1)) for turn in TURNS]
    assert not any("Acme" in t.text or "Page" in t.text for t in turns)


def test_footer_written_before_the_body_and_other_page_numbers_are_dropped():
    pages = paginate(TURNS, per_page=4)
    for footer in ("- {n} -", "{n}", "{n} | Page", "Page {n}"):
        turns = parse_pdf(make_pdf(pages, header=None, footer=footer, footer_first=True), OPTIONS)
        assert pairs(turns) == [tuple(turn.split(": ", 1)) for turn in TURNS], footer


def test_a_running_header_that_names_the_page_is_dropped():
    pages = paginate(TURNS, per_page=4)
    # The number differs on every page; it is ignored when the pages' lines are compared.
    varying = [[f"Housing interview - page {n}", *lines] for n, lines in enumerate(pages, 1)]
    turns = parse_pdf(make_pdf(varying, header=None, footer=None), OPTIONS)
    assert pairs(turns) == [tuple(turn.split(": ", 1)) for turn in TURNS]


def test_a_line_said_in_the_body_too_is_speech_not_a_header():
    pages = [["Sam: Okay.", "Anna: We stopped the clinics.", "Sam: Why?", "Anna: Money.", "Sam: Okay.",
              "Anna: Then we hired.", "Sam: Right."],
             ["Sam: Okay.", "Anna: And it worked."]]
    turns = parse_pdf(make_pdf(pages, header=None), OPTIONS)
    assert pairs(turns).count(("Sam", "Okay.")) == 3  # twice on the first page: said, not a header
    points = [f"Anna: Point {n}." for n in range(10)]
    pages = [["Sam: Okay.", *points], ["Sam: Okay.", *points], [*points[:5], "Sam: Okay.", *points[5:]]]
    turns = parse_pdf(make_pdf(pages, header=None), OPTIONS)
    assert pairs(turns).count(("Sam", "Okay.")) == 3  # at the top of two pages of three, but said in a body too


def test_one_page_keeps_its_lines():
    assert transcript_lines([["Interview 12 March", "Sam: Why?", "Anna: Because."]]) == [
        "Interview 12 March", "Sam: Why?", "Anna: Because."]


def test_hyphenated_line_ends_are_joined_across_lines_and_pages():
    pages = [["Sam: How did the organis-", "ation take it?", "Anna: The self-", "employed staff"],
             ["were fine, the volun-", "teers less so.", "Sam: And the neighbour-"],
             ["hood?", "Anna: Quiet - ", "as ever."]]
    turns = parse_pdf(make_pdf(pages), OPTIONS)
    assert pairs(turns) == [
        ("Sam", "How did the organisation take it?"),
        ("Anna", "The self-employed staff were fine, the volunteers less so."),
        ("Sam", "And the neighbourhood?"),
        ("Anna", "Quiet - as ever.")]


def test_a_word_the_document_writes_with_a_hyphen_keeps_it():
    lines = transcript_lines([["Anna: It was a co-", "operative, a real co-operative."]])
    assert lines == ["Anna: It was a co-operative, a real co-operative."]


@pytest.mark.parametrize("layout,expected", [
    (["Sam Jones  0:03", "How did the pilot go, over the", "whole year?", "Anna Smith  0:09",
      "Well, mostly."], [("Sam Jones", "How did the pilot go, over the whole year?"), ("Anna Smith", "Well, mostly.")]),
    (["Q: Why did you stop?", "A: The money ran", "out."], [("Q", "Why did you stop?"), ("A", "The money ran out.")]),
    (["[00:00:01] Sam: Why?", "[00:00:04] Anna: Money."], [("Sam", "Why?"), ("Anna", "Money.")]),
])
def test_the_line_layouts_of_txt_work_in_pdf(layout, expected):
    pages = [layout[:3], layout[3:]] if len(layout) > 3 else [layout]
    assert pairs(parse_pdf(make_pdf(pages), OPTIONS)) == expected


def test_compressed_content_streams_are_read():
    turns = parse_pdf(make_pdf(paginate(TURNS), compress=True), OPTIONS)
    assert [t.speaker for t in turns] == ["Sam", "Anna", "Sam", "Anna"]


def test_a_pdf_protected_only_against_editing_is_read():
    data = encrypted(make_pdf([["Sam: Why?", "Anna: Because."]]), user_password="")
    assert pairs(parse_pdf(data, OPTIONS)) == [("Sam", "Why?"), ("Anna", "Because.")]


def _refusal(data: bytes, options: ParseOptions = OPTIONS) -> InputFileError:
    with pytest.raises(InputFileError) as caught:
        parse_pdf(data, options)
    error = caught.value
    assert error.path == options.name and error.hint
    assert SECRET not in str(error)
    return error


def test_a_password_protected_pdf_is_refused_with_what_to_do():
    error = _refusal(encrypted(make_pdf([[f"Sam: How was the {SECRET}?", "Anna: Fine."]]), user_password="s3cret"))
    assert "password-protected" in error.message and "without one" in error.hint


def test_a_scanned_pdf_without_text_is_refused_as_needing_ocr():
    error = _refusal(make_pdf([None, None]))
    assert "no text layer" in error.message and "OCR" in error.hint


def test_a_pdf_of_prose_has_no_turns():
    error = _refusal(make_pdf([["Notes about the pilot budget, written after the meeting."]], header=None))
    assert error.message == "no speaker turns found"


@pytest.mark.parametrize("data,message", [
    (b"", "empty"),
    (b"Sam: pilot budget\n", "not a PDF"),
    (b"\x89PNG\r\n\x1a\n pilot budget", "an image"),
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> pilot budget", "damaged"),
])
def test_damaged_and_foreign_files_are_refused(data, message):
    assert message in _refusal(data).message


def test_a_pdf_that_unpacks_beyond_the_limit_is_refused():
    data = make_pdf([["Sam: " + "so " * 30_000, "Anna: Yes."]], compress=True)
    assert len(data) < 5_000
    error = _refusal(data, ParseOptions("fixture.pdf", max_bytes=20_000))
    assert "unpacks to more than" in error.message and "max_file_mb" in error.hint


def test_read_corpus_reads_pdfs_and_reports_bad_ones(tmp_path, ingest_config):
    root = tmp_path / "input"
    (root / "housing").mkdir(parents=True)
    (root / "housing" / "anna.pdf").write_bytes(make_pdf(paginate(TURNS, per_page=5)))
    (root / "housing" / "locked.pdf").write_bytes(encrypted(make_pdf([[f"Sam: {SECRET}?", "Bo: No."]]), "pw"))
    (root / "housing" / "scan.pdf").write_bytes(make_pdf([None]))
    corpus = read_corpus(root, ingest_config())
    records = {r.file: r for r in corpus.inputs}
    assert records["housing/anna.pdf"].status == "ok"
    assert records["housing/locked.pdf"].status == "failed"
    assert "password-protected" in records["housing/locked.pdf"].reason
    assert "no text layer" in records["housing/scan.pdf"].reason
    assert all(SECRET not in r.reason for r in corpus.inputs)
    turns = corpus.turns
    assert set(turns["source_file"]) == {"housing/anna.pdf"}
    assert turns["text"].tolist()[1].startswith("Honestly it was tight")
    assert not turns["text"].str.contains("Acme|Page", regex=True).any()


def test_notes_with_numbered_questions_wrapped_over_lines_and_the_answers_below():
    lines = ["Interview 3", "1. How did the pilot budget work out over the", "first year?",
             "It was tight from the start.", "We stopped the evening clinics.", "2. What changed after that?",
             "The waiting list fell."]
    assert pairs(parse_pdf(make_pdf([lines], header=None), OPTIONS)) == [
        ("Moderator", "1. How did the pilot budget work out over the first year?"),
        ("Respondent", "It was tight from the start. We stopped the evening clinics."),
        ("Moderator", "2. What changed after that?"), ("Respondent", "The waiting list fell.")]
