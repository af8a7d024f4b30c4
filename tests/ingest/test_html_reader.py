"""Transcripts saved as web pages: Google Docs, Word's HTML, share pages of transcription services."""
import logging

import pytest

from pipeline.errors import InputFileError
from pipeline.ingest import read_corpus
from pipeline.ingest.html_reader import parse_html, read_blocks
from pipeline.ingest.records import ParseOptions

OPTIONS = ParseOptions("call.html")
SAM = "Why did the team change the rota in February?"
ANNA = "Because the backlog kept growing and the phones ate the whole morning."
SAM2 = "And what did you do about it?"
ANNA2 = "We set up a rota so two advisors clear the casework each morning."


def said(turns):
    return [(t.speaker, t.text) for t in turns]


EXPECTED = [("Sam Okafor", SAM), ("Anna Berg", ANNA), ("Sam Okafor", SAM2), ("Anna Berg", ANNA2)]


def test_google_docs_web_page_with_its_comments_footnotes_and_hidden_text_left_out():
    page = ('<html><head><meta content="text/html; charset=UTF-8" http-equiv="content-type"><style type="text/css">'
            '.c3{font-weight:700}.c9{display:none}</style></head><body class="doc-content">'
            '<p class="title"><span>Interview, housing team</span></p>'
            f'<p class="c1"><span class="c3">Sam Okafor:</span><span>&nbsp;{SAM}</span>'
            '<sup><a href="#cmnt1" id="cmnt_ref1">[a]</a></sup></p>'
            f'<p><span class="c3">Anna Berg:</span><span> {ANNA}</span><sup><a href="#ftnt1" id="ftnt_ref1">[1]</a></sup></p>'
            '<p class="c9">Draft line nobody sees.</p>'
            f'<p><span class="c3">Sam Okafor:</span> {SAM2}</p><p><span class="c3">Anna Berg:</span> {ANNA2}</p><hr>'
            '<div><p><a href="#ftnt_ref1" id="ftnt1">[1]</a><span> A footnote about the rota.</span></p></div>'
            '<div><p><a href="#cmnt_ref1" id="cmnt1">[a]</a><span>Reviewer: check this date.</span></p></div>'
            '</body></html>')
    assert said(parse_html(page.encode(), OPTIONS)) == EXPECTED


def test_a_word_document_saved_as_html_in_its_declared_code_page():
    page = ("<html><head><meta http-equiv=Content-Type content=\"text/html; charset=windows-1252\">"
            "<title>Interview with Anna Berg</title><style><!-- p.MsoNormal {margin:0cm;} --></style></head>"
            "<body><div class=WordSection1><h1>Interview</h1>"
            f"<p class=MsoNormal><b>Sam Okafor:</b> {SAM}<o:p></o:p></p>"
            f"<p class=MsoNormal><b>Anna Berg:</b> {ANNA.replace('phones', 'phones’')}"
            "<a style='mso-footnote-id:ftn1' href='#_ftn1' name='_ftnref1'>[1]</a></p>"
            f"<p class=MsoNormal><b>Sam Okafor:</b> {SAM2}</p><p class=MsoNormal><b>Anna Berg:</b> {ANNA2}</p>"
            "<span style='mso-hide:all'>hidden words</span></div>"
            "<div style='mso-element:footnote-list'><p class=MsoFootnoteText>A footnote.</p></div>"
            "<div style='mso-element:comment-list'><p class=MsoCommentText>A comment.</p></div></body></html>")
    turns = parse_html(page.encode("cp1252"), ParseOptions("call.htm"))
    assert said(turns)[1] == ("Anna Berg", ANNA.replace("phones", "phones’"))
    assert [text for _, text in said(turns)][2:] == [SAM2, ANNA2]


def test_a_share_page_with_the_name_and_time_in_blocks_of_their_own_and_its_navigation_left_out():
    segments = "".join(f'<div class="segment"><div class="head"><div class="name">{who}</div>'
                       f'<div class="time">0:{n:02d}</div></div><div class="text"><span>{words}</span>'
                       '<div hidden>Copy this paragraph</div></div></div>'
                       for n, (who, words) in enumerate(EXPECTED))
    page = ('<!DOCTYPE html><html><head><title>Notes</title><script>var x = "Sam Okafor: leak";</script></head>'
            '<body><nav><a href="/">Home</a> My notes</nav><header><h1>Rota call</h1></header><main>'
            f'<div hidden>Skip to content</div>{segments}</main><aside>Related conversations</aside>'
            '<button>Share</button><footer>Transcribed by a service</footer></body></html>')
    turns = parse_html(page.encode(), OPTIONS)
    assert said(turns) == EXPECTED
    assert [t.start for t in turns] == [0.0, 1.0, 2.0, 3.0]


def test_a_speaker_table_and_line_breaks():
    rows = "".join(f"<tr><td>{who}</td><td>00:00:0{n}</td><td>{words}</td></tr>" for n, (who, words) in enumerate(EXPECTED))
    page = f"<html><body><table><tr><th>Speaker</th><th>Time</th><th>Text</th></tr>{rows}</table></body></html>"
    assert said(parse_html(page.encode(), OPTIONS)) == EXPECTED
    lines = "<br>".join(f"{who}: {words}" for who, words in EXPECTED)
    assert said(parse_html(f"<html><body><p>{lines}</p></body></html>".encode(), OPTIONS)) == EXPECTED


def test_notes_whose_questions_are_headings_or_numbered_list_items():
    page = (f"<html><body><h1>Housing team</h1><h2>{SAM}</h2><p>{ANNA}</p><h2>{SAM2}</h2><p>{ANNA2}</p>"
            "</body></html>")
    assert [text for _, text in said(parse_html(page.encode(), OPTIONS))] == [SAM, ANNA, SAM2, ANNA2]
    listed = f"<html><body><ol><li>{SAM}</li></ol><p>{ANNA}</p><ol start=2><li>{SAM2}</li></ol><p>{ANNA2}</p></body></html>"
    blocks = read_blocks(listed.encode(), OPTIONS)
    assert [(b.text, b.numbered) for b in blocks] == [(SAM, True), (ANNA, False), (SAM2, True), (ANNA2, False)]


def test_bold_by_a_class_of_the_style_sheet_and_inline():
    page = ('<html><head><style>.c7, .x{font-weight:700}</style></head><body><p class="c7">Q one?</p>'
            '<p><span style="font-weight:bold">Q two?</span></p><p>Plain <b>partly</b> bold.</p></body></html>')
    assert [b.bold for b in read_blocks(page.encode(), OPTIONS)] == [True, True, False]


def test_pages_that_are_not_transcripts_fail_with_a_reason():
    with pytest.raises(InputFileError, match="empty"):
        parse_html(b"  ", OPTIONS)
    with pytest.raises(InputFileError, match="PDF"):
        parse_html(b"%PDF-1.7 ...", OPTIONS)
    with pytest.raises(InputFileError, match="no speaker turns"):
        parse_html(b"<html><body><p>Our opening hours.</p></body></html>", OPTIONS)


def test_a_web_page_in_input_is_read_not_skipped(tmp_path, ingest_config, caplog):
    (tmp_path / "call.html").write_text("<!DOCTYPE html><html><body>" + "".join(
        f"<p>{who}: {words}</p>" for who, words in EXPECTED) + "</body></html>", encoding="utf-8")
    (tmp_path / "saved.mhtml").write_text("MIME-Version: 1.0")
    with caplog.at_level(logging.WARNING):
        corpus = read_corpus(tmp_path, ingest_config())
    status = {record.file: (record.status, record.reason) for record in corpus.inputs}
    assert status["call.html"][0] == "ok"
    assert status["saved.mhtml"][0] == "skipped" and "Web page, HTML only" in status["saved.mhtml"][1]
    assert list(corpus.turns.text) == [words for _, words in EXPECTED]


def test_a_page_is_decoded_in_the_code_page_it_declares():
    page = (f"<html><head><meta charset=windows-1250></head><body><p>Sam Okafor: {SAM}</p>"
            f"<p>Łukasz Nowak: {ANNA}</p><p>Sam Okafor: {SAM2}</p><p>Łukasz Nowak: {ANNA2}</p></body></html>")
    turns = parse_html(page.encode("cp1250"), OPTIONS)  # read as cp1252, the fallback, "Ł" would be "£"
    assert [t.speaker for t in turns] == ["Sam Okafor", "Łukasz Nowak"] * 2
