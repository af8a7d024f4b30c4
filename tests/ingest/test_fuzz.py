"""Property tests: any parser fed any bytes returns turns or raises InputFileError.

The generated text mixes random characters with the fragments the parsers
look for (speaker labels, timestamps, cue timings, voice tags, markers), so
the properties reach the parsers' logic, not only the decoder's refusals.
"""
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import load_config
from pipeline.errors import InputFileError
from pipeline.ingest import read_corpus
from pipeline.ingest.corpus import PARSERS
from pipeline.ingest.noise import clean_text
from pipeline.ingest.records import ParsedTurn, ParseOptions

FRAGMENTS = [
    "Anna: ", "**Sam:** ", "Q: ", "A: ", "Note: ", "[00:01:02] ", "00:01:02 ", "Sam Jones  0:03",
    "WEBVTT", "NOTE ", "STYLE", "00:00:01.000 --> 00:00:02.000", "0:0:1,5 --> 0:0:2", "1",
    "<v Anna>", "<v.loud Sam Jones>", "</v>", "<i>", "<00:00:01.000>", "&amp;", "{vocalsound}",
    "(laughs)", "[inaudible 00:03:12]", "# ", "## ", "---", "> ", "- ", "\n", "\n\n", "\r\n",
    "text,speaker,transcript_id,role,team", ",", ";", "\t", '"', '{"text": "x"}', "{", "}",
    "[", "]", "?", "\ufeff", "\u2028", "é", "李",
    "[Sam Jones] 10:02:33", "iPhone: ", ">> ", "(Sam)", "Housing First: ", "\t00:00:01\t",
    "Transcribed by https://otter.ai", "Sam started transcription", "📝 Notes", "📖 Transcript",
    "| Speaker | Text |", "|---|---|", "| Sam | x |", "00:01:23 From Sam to Everyone:",
    "Moderator (00:00:11 - 00:00:30)", "%PDF-", "{\\rtf1",
]
structured_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=40).map("".join)
any_bytes = (st.binary(max_size=600)
             | structured_text.map(lambda s: s.encode("utf-8"))
             | structured_text.map(lambda s: s.encode("utf-16")))
extensions = st.sampled_from(sorted(PARSERS))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(extension=extensions, data=any_bytes)
def test_every_parser_returns_turns_or_raises_input_file_error(extension, data):
    try:
        turns = PARSERS[extension](data, ParseOptions("fuzz" + extension))
    except InputFileError:
        return
    assert turns and all(isinstance(t, ParsedTurn) for t in turns)
    assert all(isinstance(t.speaker, str) and isinstance(t.text, str) for t in turns)


@FUZZ
@given(data=any_bytes)
def test_docx_parser_on_zips_with_random_members(data):
    # A zip passes the container check, so python-docx itself meets the bytes.
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", data)
        archive.writestr("word/document.xml", data)
    try:
        PARSERS[".docx"](buffer.getvalue(), ParseOptions("fuzz.docx"))
    except InputFileError:
        pass


WORD_FRAGMENTS = [
    "<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>Sam: hi</w:t>", "<w:t>Anna  0:03</w:t>", "<w:br/>",
    "<w:tab/>", "<w:tbl>", "</w:tbl>", "<w:tr>", "</w:tr>", "<w:tc>", "</w:tc>", "<w:sdt>",
    "</w:sdt>", "<w:sdtContent>", "</w:sdtContent>", "<w:ins>", "</w:ins>", "<w:del>", "</w:del>",
    "<w:txbxContent>", "</w:txbxContent>", "<mc:AlternateContent>", "</mc:AlternateContent>",
    "<mc:Choice>", "</mc:Choice>", "<w:rPr><w:b/></w:rPr>", "<w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr>",
    "<w:instrText>x</w:instrText>", "<w:altChunk/>", "&amp;", "<",
]


@FUZZ
@given(body=st.lists(st.sampled_from(WORD_FRAGMENTS) | st.text(max_size=6), max_size=40).map("".join))
def test_docx_parser_on_word_markup(body):
    # Well-formed or not, any body gives turns or the pipeline's own error.
    from ingest.docx_fixtures import raw_docx_bytes
    try:
        turns = PARSERS[".docx"](raw_docx_bytes(body), ParseOptions("fuzz.docx"))
    except InputFileError:
        return
    assert turns and all(isinstance(t.speaker, str) and isinstance(t.text, str) for t in turns)


@settings(max_examples=40, deadline=None)
@given(files=st.lists(st.tuples(extensions, any_bytes), min_size=1, max_size=4))
def test_read_corpus_never_raises_on_bad_files(files):
    config = load_config().ingest
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for index, (extension, data) in enumerate(files):
            (root / f"team{index % 2}").mkdir(exist_ok=True)
            (root / f"team{index % 2}" / f"f{index}{extension}").write_bytes(data)
        result = read_corpus(root, config)
    assert len(result.inputs) == len(files)
    # "skipped": a second copy of a conversation, or a chat log.
    assert {r.status for r in result.inputs} <= {"ok", "failed", "skipped"}
    assert all(r.reason for r in result.inputs if r.status != "ok")
    assert not any(r.transcript_ids for r in result.inputs if r.status != "ok")
    ok_ids = {tid for r in result.inputs if r.status == "ok" for tid in r.transcript_ids}
    assert set(result.turns.transcript_id) == ok_ids
    assert not result.turns.text.str.strip().eq("").any()


@given(st.text() | structured_text)
def test_clean_text_leaves_no_markers_or_extra_space(text):
    cleaned = clean_text(text)
    assert cleaned == cleaned.strip() and "  " not in cleaned and "\n" not in cleaned
    assert "{vocalsound}" not in cleaned and "[inaudible 00:03:12]" not in cleaned
