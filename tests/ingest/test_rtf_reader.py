"""RTF transcripts: synthetic RTF written by hand, as TextEdit, WordPad and Word write it; never real files."""
import logging

import pytest

from pipeline.errors import InputFileError
from pipeline.ingest import read_corpus
from pipeline.ingest.records import ParseOptions
from pipeline.ingest.rtf_reader import parse_rtf, rtf_text
from pipeline.ingest.text import parse_txt

OPTIONS = ParseOptions("notes.rtf")
SECRET = "pilot budget"  # said in the fixtures: must never reach a reason or a log line

# What TextEdit writes: a Cocoa header, a font and colour table, a backslash at the end of each line.
TEXTEDIT_HEAD = (r"{\rtf1\ansi\ansicpg1252\cocoartf2761" "\n"
                 r"\cocoatextscaling0\cocoaplatform0{\fonttbl\f0\fswiss\fcharset0 Helvetica;}" "\n"
                 r"{\colortbl;\red255\green255\blue255;}" "\n" r"{\*\expandedcolortbl;;}" "\n"
                 r"{\info{\author Jo Pemberton}{\title Secret title}}" "\n"
                 r"\paperw11900\paperh16840\margl1440\margr1440\vieww11520\viewh8400\viewkind0" "\n"
                 r"\pard\tx566\tx1133\pardirnatural\partightenfactor0" "\n\n" r"\f0\fs24 \cf0 ")


def textedit(*lines: str) -> bytes:
    return (TEXTEDIT_HEAD + "\\\n".join(lines) + "}").encode("ascii")


def pairs(turns):
    return [(t.speaker, t.text) for t in turns]


def test_textedit_notes_read_exactly_as_the_same_text_saved_as_txt():
    # "# " lines are a .txt file's comments (a consultant's note to self), and are an RTF's too.
    lines = ["Interview with the housing team, 3 May", "", "Sam: Why did you change the rota?",
             f"Ana: Because the {SECRET} ran out.", "# follow up on the rota", "It was hard, but we managed.",
             "Sam: And then?", "Ana: We moved to four-day weeks."]
    turns = parse_rtf(textedit(*lines), OPTIONS)
    assert pairs(turns) == pairs(parse_txt("\n".join(lines).encode(), ParseOptions("notes.txt")))
    assert pairs(turns) == [("Sam", "Why did you change the rota?"),
                            ("Ana", f"Because the {SECRET} ran out. It was hard, but we managed."),
                            ("Sam", "And then?"), ("Ana", "We moved to four-day weeks.")]


def test_paragraph_and_line_breaks_separate_turns_in_wordpad_and_word_rtf():
    wordpad = (rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fnil\fcharset0 Calibri;}}"
               b"\r\n" rb"{\*\generator Riched20 10.0.19041}\viewkind4\uc1 \pard\f0\fs22 Sam: Why?\par" b"\r\n"
               rb"Ana: Because.\line Sam: Go on.\par" b"\r\n}")
    assert pairs(parse_rtf(wordpad, OPTIONS)) == [("Sam", "Why?"), ("Ana", "Because."), ("Sam", "Go on.")]


@pytest.mark.parametrize(("rtf", "said"), [
    # \'xx in the declared code page: cp1252's e-acute and curly apostrophe, cp1251's Cyrillic.
    (rb"{\rtf1\ansi\ansicpg1252 Ana: caf\'e9 we\'92d go.\par}", "café we’d go."),
    (rb"{\rtf1\ansi\ansicpg1251 Ana: \'cf\'f0\'e8\'e2\'e5\'f2.\par}", "Привет."),
    # \uN with its one-character fallback, which must not be shown; \uc0 for none, as TextEdit writes.
    (rb"{\rtf1\ansi Ana: \u8212? and \u8220?ok\u8221?.\par}", "— and “ok”."),
    (rb"{\rtf1\ansi\uc0 Ana: \u8212  done \u55357 \u56832 .\par}", "— done 😀."),
    # A writer that put raw characters into the file instead of escapes: UTF-8, or the declared code page.
    ("{\\rtf1\\ansi Ana: naïve café.\\par}".encode(), "naïve café."),
    ("{\\rtf1\\ansi\\ansicpg1251 Ana: Привет.\\par}".encode("cp1251"), "Привет."),
    # Optional and non-breaking hyphens.
    (rb"{\rtf1\ansi Ana: organ\-isation, self\_employed.\par}", "organisation, self-employed."),
])
def test_characters_are_decoded_in_the_documents_encoding(rtf, said):
    assert pairs(parse_rtf(rtf, OPTIONS)) == [("Ana", said)]


def _row(*cells: str, last: bool = False) -> str:
    definition = r"\trowd\trgaph108\trleft-108" + "".join(rf"\clvertalc\cellx{2000 * (i + 1)}" for i in
                                                           range(len(cells)))
    body = "".join(rf"\pard\intbl\itap1\pardeftab720 {cell}\cell " for cell in cells)
    return definition + "\n" + body + (r"\lastrow" if last else "") + r"\row" + "\n"


def test_a_speaker_table_gives_one_turn_per_row_with_speaker_and_words_apart():
    table = (_row("Sam", "Why did you change the rota?") + _row("Ana", r"Because we lost two people.\par"
                                                                       " It was hard.")
             + _row("Sam", "And then?", last=True))
    rtf = (r"{\rtf1\ansi\ansicpg1252{\fonttbl\f0\fswiss\fcharset0 Helvetica;}\f0 Notes from the call\par\par"
           + table + r"\pard Sam: One more thing?\par Ana: No.\par}").encode()
    assert pairs(parse_rtf(rtf, OPTIONS)) == [
        ("Sam", "Why did you change the rota?"), ("Ana", "Because we lost two people. It was hard."),
        ("Sam", "And then?"), ("Sam", "One more thing?"), ("Ana", "No.")]


def test_a_table_with_a_header_row_and_a_time_column():
    table = (_row("Time", "Speaker", "Text") + _row("0:03", "Sam", "Why?") + _row("0:09", "Ana", "Because.")
             + _row("", "", "It broke.", last=True))
    turns = parse_rtf((r"{\rtf1\ansi " + table + "}").encode(), OPTIONS)
    assert [(t.speaker, t.text, t.start) for t in turns] == [("Sam", "Why?", 3.0), ("Ana", "Because. It broke.", 9.0)]


def test_headers_footers_properties_comments_and_list_numbers_stay_out_of_the_turns():
    rtf = (TEXTEDIT_HEAD + r"{\header Page header with the " + SECRET + r"\par}{\footer Confidential\par}"
           r"{\*\annotation a reviewer's note}"
           r"{\listtext\tab 1.\tab}Sam: Why?\par {\listtext\tab 2.\tab}Ana: Because.\par}")
    turns = parse_rtf(rtf.encode(), OPTIONS)
    assert pairs(turns) == [("Sam", "Why?"), ("Ana", "Because.")]
    assert "Pemberton" not in rtf_text(rtf.encode(), "notes.rtf")  # the document's author


def test_a_link_reads_as_its_displayed_text():
    # striprtf would append the address, with a pattern that takes seconds over one long paragraph.
    rtf = (r'{\rtf1\ansi Sam: See {\field{\*\fldinst{HYPERLINK "https://example.org/plan"}}{\fldrslt{the plan}}}'
           r" now.\par Ana: " + "word " * 3000 + r"\par}").encode()
    turns = parse_rtf(rtf, OPTIONS)
    assert pairs(turns)[0] == ("Sam", "See the plan now.") and turns[1].text == ("word " * 3000).strip()


def test_a_pending_unicode_fallback_does_not_swallow_a_cell_end():
    # \u8212 without its fallback character right before \cell: the cell must still end there.
    assert rtf_text(rb"{\rtf1\ansi A\u8212\cell B\cell\row}", "notes.rtf") == "A—\x1fB\x1f\x1e"


def test_text_between_two_tables_stays_between_them():
    first = _row("Sam", "Why?") + _row("Ana", "Because.") + _row("Sam", "Really?", last=True)
    second = _row("Sam", "And now?") + _row("Ana", "Better.") + _row("Sam", "Good.", last=True)
    rtf = (r"{\rtf1\ansi " + first + r"\pard Ana: A note typed between the tables.\par " + second + "}").encode()
    assert pairs(parse_rtf(rtf, OPTIONS)) == [
        ("Sam", "Why?"), ("Ana", "Because."), ("Sam", "Really?"), ("Ana", "A note typed between the tables."),
        ("Sam", "And now?"), ("Ana", "Better."), ("Sam", "Good.")]


@pytest.mark.parametrize(("data", "message", "hint"), [
    (b"Sam: Why?\nAna: Because.\n", "not an RTF document", "rename it to .txt"),
    (b"%PDF-1.7 ...", "a PDF document", "rename it to .pdf"),
    (rb"{\rtf1\ansi{\fonttbl\f0 Helvetica;}{\info{\author Jo}}}", "holds no text", "save it"),
    (rb"{\rtf1\ansi Just some prose about the " + SECRET.encode() + rb" with nobody named.\par}",
     "no speaker turns", "Name: words"),
    (rb"{\rtf1\ansi{\fonttbl\f0\fcharset78 Osaka;}\f0 Ana: \'82\'a0.\par}", "character set", ".docx"),
])
def test_what_cannot_be_read_is_named_with_what_to_do(data, message, hint):
    with pytest.raises(InputFileError) as caught:
        parse_rtf(data, OPTIONS)
    assert message in caught.value.message and hint in caught.value.hint
    assert caught.value.path == "notes.rtf" and SECRET not in str(caught.value)


def test_a_byte_the_code_page_lacks_is_replaced_with_a_warning_that_quotes_nothing(caplog):
    with caplog.at_level(logging.DEBUG, logger="pipeline"):
        turns = parse_rtf(rb"{\rtf1\ansi\ansicpg1252 Ana: the " + SECRET.encode() + rb" \'81.\par}", OPTIONS)
    assert pairs(turns) == [("Ana", f"the {SECRET} \ufffd.")]
    assert "notes.rtf" in caplog.text and "cp1252" in caplog.text and SECRET not in caplog.text


def test_read_corpus_reads_rtf_in_a_team_folder_and_leaves_it_untouched(tmp_path, ingest_config):
    (tmp_path / "housing").mkdir()
    path = tmp_path / "housing" / "ana.rtf"
    path.write_bytes(textedit("Sam: Why did you change the rota?", "Ana: Because the caf\\'e9 closed."))
    (tmp_path / "plain.rtf").write_bytes(b"not rtf at all")
    before = path.read_bytes()
    corpus = read_corpus(tmp_path, ingest_config())
    status = {r.file: (r.status, r.reason) for r in corpus.inputs}
    assert status["housing/ana.rtf"] == ("ok", "")
    assert status["plain.rtf"][0] == "failed" and "rename it to .txt" in status["plain.rtf"][1]
    assert corpus.turns[["transcript_id", "turn", "speaker", "role", "team", "text"]].values.tolist() == [
        ["housing/ana.rtf", 0, "Sam", "interviewer", "housing", "Why did you change the rota?"],
        ["housing/ana.rtf", 1, "Ana", "participant", "housing", "Because the café closed."]]
    assert path.read_bytes() == before
