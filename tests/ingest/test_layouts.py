"""One synthetic fixture per transcript layout found in the wild, written here by hand.

Each fixture copies the *layout* of a real export (names, words and times are
invented); the comment above it says where the layout was learned. Every
fixture is parsed, cleaned and merged as ingest does it (parser, then
`assemble`), and the expected turns are what a person reading the export
would say was said, by whom.
"""
from __future__ import annotations

import json

import pytest
from ingest.docx_fixtures import para, raw_docx_bytes

from pipeline.ingest.assemble import FileDefaults, assemble
from pipeline.ingest.corpus import PARSERS
from pipeline.ingest.records import ParseOptions

HELEN, ANNA = "Helen Marsh", "Anna Smith"
ASKED = "How did the pilot go?"
SAID = "It went well, mostly."


def turns(extension: str, data: bytes) -> list[tuple[str, str]]:
    parsed = PARSERS[extension](data, ParseOptions("team/file" + extension))
    [transcript] = assemble(parsed, FileDefaults("team/file" + extension, "t", "team"))
    return [(turn.speaker, turn.text) for turn in transcript.turns]


LAYOUTS = {
    # Microsoft Teams .vtt (2022 on): GUID/n-n cue ids, <v Name>...</v> voice spans, display
    # names with a "(Guest)" tag. Layout: W3C WebVTT spec (voice spans); Teams parsers in public
    # repositories (bristlenose, teams-transcript tools).
    "teams_vtt": (".vtt", (
        "WEBVTT\n\n"
        "0a1b2c3d-aaaa-bbbb-cccc-1234567890ab/12-0\n00:00:03.123 --> 00:00:05.456\n"
        f"<v {HELEN}>{ASKED}</v>\n\n"
        "0a1b2c3d-aaaa-bbbb-cccc-1234567890ab/13-0\n00:00:05.456 --> 00:00:07.000\n"
        f"<v {ANNA} (Guest)>It went well,</v>\n\n"
        "0a1b2c3d-aaaa-bbbb-cccc-1234567890ab/13-1\n00:00:07.000 --> 00:00:08.000\n"
        f"<v {ANNA} (Guest)>mostly.</v>\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # Teams/Stream classic .vtt: NOTE lines straight after the header, confidence NOTE
    # blocks between cues, voice spans without </v>.
    "stream_vtt": (".vtt", (
        'WEBVTT\nNOTE duration:"00:33:36.3410000"\nNOTE language:en-us\n\n'
        "NOTE Confidence: 0.80419921875\n\n"
        f"ca6b2c3e/12-0\n00:00:00.000 --> 00:00:03.520\n<v {HELEN}>{ASKED}\n\n"
        "NOTE Confidence: 0.9\n\n"
        f"ca6b2c3e/13-0\n00:00:03.520 --> 00:00:07.000\n<v {ANNA}>{SAID}\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # Zoom cloud-recording transcript (audio_transcript.vtt): numbered cues, "Name: words".
    # Layout: wwsalmon/zoom-transcript-formatter's readme (a real excerpt).
    "zoom_vtt": (".vtt", (
        "WEBVTT\n\n1\n00:02:24.720 --> 00:02:32.850\n"
        f"{HELEN}: {ASKED}\n\n2\n00:02:33.480 --> 00:02:33.990\n{ANNA}: It went well,\n\n"
        f"3\n00:02:35.130 --> 00:02:36.900\n{ANNA}: mostly.\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # Zoom labels a cue with the display name at the time: a device, a lower-case name, a
    # "(Host)" tag ("'John iPhone' and 'AirPods Pro' ... become cleanup debt in speaker
    # labels": audio-to-text.online's Zoom guide; host tags: a public Zoom parser).
    "zoom_vtt_display_names": (".vtt", (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n"
        f"helen marsh (Host): {ASKED}\n\n2\n00:00:03.000 --> 00:00:05.000\n"
        "iPhone: Housing First: it works.\n\n3\n00:00:05.000 --> 00:00:06.000\n"
        "helen marsh (Host): Why?\n\n4\n00:00:06.000 --> 00:00:08.000\n"
        "iPhone: People stay housed.\n"),
        [("helen marsh", ASKED), ("iPhone", "Housing First: it works."), ("helen marsh", "Why?"),
         ("iPhone", "People stay housed.")]),
    # Zoom's saved closed captions (meeting_saved_closed_caption.txt): "[Name] HH:MM:SS",
    # the words below. Layout: a public test-data readme describing that file.
    "zoom_closed_captions_txt": (".txt", (
        f"[{HELEN}] 10:02:33\n{ASKED}\n\n[{ANNA}] 10:02:40\nIt went well,\nmostly.\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # A caption .vtt that names speakers in brackets on their own line, with "-" lines and a
    # line holding a single space inside a cue (danyelf/parse-vtt's notes).
    "vtt_bracketed_names": (".vtt", (
        f"WEBVTT\n\n00:00:08.000 --> 00:00:12.000\n({HELEN})\n{ASKED}\n-\n \n({ANNA})\n"
        f"It went well,\n\n00:00:12.000 --> 00:00:14.000\n({ANNA})\nmostly. (laughs)\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # SubRip with broadcast-style ">>" speaker changes in capitals and an event line.
    "srt_broadcast": (".srt", (
        f"1\n00:00:01,000 --> 00:00:03,000\n>> HELEN MARSH: {ASKED}\n\n"
        f"2\n00:00:03,000 --> 00:00:05,000\n>> ANNA SMITH: {SAID}\n[MUSIC]\n"),
        [("HELEN MARSH", ASKED), ("ANNA SMITH", SAID)]),
    # SubRip "Name: words" from an editor's caption export.
    "srt_names": (".srt", (
        f"1\r\n00:00:01,000 --> 00:00:03,000\r\n{HELEN}: {ASKED}\r\n\r\n"
        f"2\r\n00:00:03,500 --> 00:00:05,000\r\n<i>{ANNA}: It went well,</i>\r\nmostly.\r\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # Otter.ai .txt: "Name  0:03" (two spaces, trailing spaces), the words below, blank lines,
    # "Unknown Speaker", the footer. Layout: Otter readers in public repositories
    # (OtterTranscriptParser; transcript-indexer's docs) and published Otter transcripts.
    "otter_txt": (".txt", (
        f"{HELEN}  0:03  \n{ASKED}\n\nUnknown Speaker  0:09  \nIt went well,\nmostly.\n\n"
        f"{HELEN}  1:02:03\nThanks.\n\nTranscribed by https://otter.ai\n"),
        [(HELEN, ASKED), ("Unknown Speaker", SAID), (HELEN, "Thanks.")]),
    # Rev: "Speaker 1 (00:00):" with the words below.
    "rev_txt": (".txt", (
        f"Speaker 1 (00:00):\n{ASKED}\n\nSpeaker 2 (00:05):\n{SAID}\n"),
        [("Speaker 1", ASKED), ("Speaker 2", SAID)]),
    # Descript / Trint style: "[00:00:03] Name: words", one turn per line.
    "timestamped_txt": (".txt", (
        f"[00:00:03] {HELEN}: {ASKED}\n[00:00:09] {ANNA}: {SAID}\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # Google Meet transcript (Docs, saved as text): title, attendees, five-minute timestamps,
    # "Name: words", the closing lines. Layout: Meet transcripts published in public repositories.
    "google_meet_txt": (".txt", (
        "Weekly sync (2024-03-12 10:00 GMT) - Transcript\nAttendees\n"
        f"{HELEN}, {ANNA}\nTranscript\n00:00:00\n\n{HELEN}: {ASKED}\n{ANNA}: It went well,\n"
        "Budget Review: we spent it all.\n00:05:00\n\n"
        f"{ANNA}: mostly.\n{HELEN}: Thanks.\n\n\nTranscription ended after 00:30:30\n\n"
        "This editable transcript was computer generated and might contain errors. People "
        "can also change the text after it was created.\n"),
        [(HELEN, ASKED), (ANNA, "It went well, Budget Review: we spent it all. mostly."),
         (HELEN, "Thanks.")]),
    # "Notes by Gemini" in Markdown: the notes' "Topic: summary" bullets come first and must
    # not become speakers. Layout: a public Gemini-notes parser (its header comment).
    "gemini_notes_md": (".md", (
        "\U0001F4DD Notes\n\nMar 12, 2024\n\n## Summary\n\nThe pilot was discussed.\n\n"
        "### Details\n\n* **Budget Review**: Anna Smith reported an overspend (00:03:12)\n"
        "* Staffing: agency cover was discussed (00:05:00)\n\n"
        "You should review Gemini's notes to make sure they're accurate.\n\n"
        "\U0001F4D6 Transcript\n\n00:00:00\n\n"
        f"**{HELEN}:** {ASKED}\n**{ANNA}:** {SAID}\n\n### Transcription ended after 00:12:01\n\n"
        "*This editable transcript was computer generated and might contain errors. People "
        "can also change the text after it was created.*\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # Market-research transcripts (CoLoop's documentation of the formats it reads):
    # "Moderator:" on its own line, M:/R:, and a timed range after the name.
    "moderator_block_txt": (".txt", (
        f"Moderator:\n{ASKED}\n\nParticipant 1:\n{SAID}\n"),
        [("Moderator", ASKED), ("Participant 1", SAID)]),
    "m_r_txt": (".txt", f"M: {ASKED}\nR: {SAID}\n", [("M", ASKED), ("R", SAID)]),
    "timed_range_txt": (".txt", (
        f"Moderator (00:00:11 - 00:00:30)\n{ASKED}\n\nAmelia (00:00:31 - 00:00:55)\n{SAID}\n"),
        [("Moderator", ASKED), ("Amelia", SAID)]),
    # Tab-separated records (InqScribe's documented layout: start, end, speaker, text).
    "tab_separated_txt": (".txt", (
        f"00:00:01\t00:00:04\t{HELEN}\t{ASKED}\n00:00:05\t00:00:09\t{ANNA}\t{SAID}\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # Q:/A: and I:/R: interview conventions, wrapped lines, a # comment header.
    "q_a_txt": (".txt", f"# housing lead\nQ: {ASKED}\nA: It went well,\n  mostly.\n",
                [("Q", ASKED), ("A", SAID)]),
    "i_r_txt": (".txt", f"I: {ASKED}\nR: {SAID}\n", [("I", ASKED), ("R", SAID)]),
    # Markdown: bold names, front matter, a pipe table with a time column.
    "bold_md": (".md", f"---\ntitle: x\n---\n# Interview\n\n**{HELEN}:** {ASKED}\n\n**{ANNA}**: {SAID}\n",
                [(HELEN, ASKED), (ANNA, SAID)]),
    "table_md": (".md", (
        "# Interview\n\n| Time | Speaker | Text |\n|---|:---:|---|\n"
        f"| 00:01 | **{HELEN}** | {ASKED} |\n| 00:05 | {ANNA} | It went well, |\n| | | mostly. |\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # Rows with the column names tools and spreadsheets use.
    "csv_aliases": (".csv", (
        f"Speaker Name,Start Time,Transcript\n{HELEN},00:00:01,{ASKED}\n{ANNA},00:00:05,\"{SAID}\"\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # Time first, the name, the words below; each name heads two turns. Trint's .txt
    # ("[00:00:03] Name") and Happy Scribe's ("00:00:03 - Name", "00:00:03 Speaker 1").
    "trint_txt": (".txt", (
        f"[00:00:03] {HELEN}\n{ASKED}\n\n[00:00:09] {ANNA}\n{SAID}\n\n"
        f"[00:00:15] {HELEN}\nWhy?\n\n[00:00:18] {ANNA}\nThe rota held.\n"),
        [(HELEN, ASKED), (ANNA, SAID), (HELEN, "Why?"), (ANNA, "The rota held.")]),
    "happy_scribe_txt": (".txt", (
        f"00:00:03 - Speaker 1\n{ASKED}\n\n00:00:09 - Speaker 2\nIt went well,\nmostly.\n\n"
        "00:00:15 - Speaker 1\nWhy?\n\n00:00:18 - Speaker 2\nThe rota held.\n"),
        [("Speaker 1", ASKED), ("Speaker 2", SAID), ("Speaker 1", "Why?"), ("Speaker 2", "The rota held.")]),
    # WhatsApp "Export chat" (Android): "date, time - Name: words"; the app's own dated lines
    # (the encryption notice, "X added Y") are not speech; a message's second line continues it.
    "whatsapp_android_txt": (".txt", (
        "12/03/2024, 09:59 - Messages and calls are end-to-end encrypted. Tap to learn more.\n"
        f"12/03/2024, 10:15 - {HELEN}: {ASKED}\n12/03/2024, 10:16 - {HELEN} added {ANNA}\n"
        f"12/03/2024, 10:17 - {ANNA}: It went well,\nmostly.\n12/03/2024, 10:18 - {HELEN}: <Media omitted>\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # WhatsApp "Export chat" (iPhone): "[date, time] Name: words", 12-hour clock in some locales.
    "whatsapp_iphone_txt": (".txt", (
        f"[3/12/24, 10:15:02 AM] {HELEN}: {ASKED}\n[3/12/24, 10:17:40 AM] {ANNA}: {SAID}\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # WhatsApp (iPhone) writes its system messages as messages of the chat itself, in the other person's
    # name, the words after an invisible left-to-right mark; nobody said them.
    "whatsapp_iphone_system_txt": (".txt", (
        f"[12/03/2024, 09:58:03] {ANNA}: \u200eMessages and calls are end-to-end encrypted. No one outside of "
        "this chat, not even WhatsApp, can read or listen to them.\n"
        f"[12/03/2024, 10:15:02] {HELEN}: {ASKED}\n\u200e[12/03/2024, 10:16:40] {ANNA}: \u200eimage omitted\n"
        f"[12/03/2024, 10:17:40] {ANNA}: {SAID}\n[12/03/2024, 10:18:02] {ANNA}: \u200eMissed voice call\n"),
        [(HELEN, ASKED), (ANNA, SAID)]),
    # Slack, messages selected and copied from the desktop app: "Name  10:32 AM" above the words, a
    # later message of the same sender under its time alone, "(edited)" after a changed message, an
    # emoji reaction and its count (slack-thread-clean-paste and Slack paste parsers in public repositories).
    "slack_copy_txt": (".txt", (
        f"{HELEN}  10:32 AM\n{ASKED}\n{ANNA}  10:35 AM\nIt went well, (edited)\n10:36 AM\nmostly.\n:+1:\n1\n"
        f"{HELEN}  10:37 AM\nWhy?\n{ANNA}  10:38 AM\nThe rota held.\n"),
        [(HELEN, ASKED), (ANNA, SAID), (HELEN, "Why?"), (ANNA, "The rota held.")]),
    # Slack's newer copies put the name and the time on lines of their own.
    "slack_copy_two_lines_txt": (".txt", (
        f"{HELEN}\n  10:32 AM\n{ASKED}\n{ANNA}\n  10:35 AM\n{SAID}\n"
        f"{HELEN}\n  10:37 AM\nWhy?\n{ANNA}\n  10:38 AM\nThe rota held.\n"),
        [(HELEN, ASKED), (ANNA, SAID), (HELEN, "Why?"), (ANNA, "The rota held.")]),
    # Google Chat, copied: "Name, 10:32 AM" above the words.
    "google_chat_txt": (".txt", (
        f"{HELEN}, 10:32 AM\n{ASKED}\n\n{ANNA}, 10:35 AM\n{SAID}\n\n"
        f"{HELEN}, 10:37 AM\nWhy?\n\n{ANNA}, 10:38 AM\nThe rota held.\n"),
        [(HELEN, ASKED), (ANNA, SAID), (HELEN, "Why?"), (ANNA, "The rota held.")]),
    # Microsoft Teams chat, copied: "Name, 10:32" or "[12/03/2024 10:32] Name" above the words.
    "teams_chat_comma_txt": (".txt", (
        f"{HELEN}, 10:32\n{ASKED}\n{ANNA}, 10:35\n{SAID}\n{HELEN}, 10:37\nWhy?\n{ANNA}, 10:38\nThe rota held.\n"),
        [(HELEN, ASKED), (ANNA, SAID), (HELEN, "Why?"), (ANNA, "The rota held.")]),
    "teams_chat_dated_txt": (".txt", (
        f"[12/03/2024 10:32] {HELEN}\n{ASKED}\n[12/03/2024 10:35] {ANNA}\n{SAID}\n"
        f"[12/03/2024 10:37] {HELEN}\nWhy?\n[12/03/2024 10:38] {ANNA}\nThe rota held.\n"),
        [(HELEN, ASKED), (ANNA, SAID), (HELEN, "Why?"), (ANNA, "The rota held.")]),
    # Telegram Desktop, messages copied: "Name, [12.03.24 10:15]" above the words, "[In reply to ...]" and
    # "[Forwarded from ...]" above a reply's or a forward's words.
    "telegram_copy_txt": (".txt", (
        f"{HELEN}, [12.03.24 10:15]\n{ASKED}\n\n{ANNA}, [12.03.24 10:17]\n[In reply to {HELEN}]\n{SAID}\n\n"
        f"{HELEN}, [12.03.24 10:18]\nWhy?\n\n{ANNA}, [12.03.24 10:19]\n[Forwarded from {HELEN}]\nThe rota held.\n"),
        [(HELEN, ASKED), (ANNA, SAID), (HELEN, "Why?"), (ANNA, "The rota held.")]),
    # Discord, copied: "Name — 12/03/2024 10:32" or "Name — Today at 10:32 AM"; the date is not the name's.
    "discord_copy_txt": (".txt", (
        f"{HELEN} — 11/03/2024 10:32\n{ASKED}\n{ANNA} — Yesterday at 9:35 PM\n{SAID}\n"
        f"{HELEN} — Today at 8:02 AM\nWhy?\n{ANNA} — Today at 8:05 AM\nThe rota held.\n"),
        [(HELEN, ASKED), (ANNA, SAID), (HELEN, "Why?"), (ANNA, "The rota held.")]),
    # iMessage, exported by imessage-exporter (txt): the date and time alone (a read receipt after it), the
    # sender ("Me" for the one who exported) alone, the words; reactions under "Reactions:".
    "imessage_exporter_txt": (".txt", (
        f"Mar 12, 2024  10:32:11 AM\nMe\n{ASKED}\n\n"
        f"Mar 12, 2024  10:35:40 AM (Read by you after 1 minute)\n{ANNA}\n{SAID}\nReactions:\n    Loved by Me\n\n"
        f"Mar 12, 2024  10:37:02 AM\nMe\nWhy?\nThis message responded to an earlier message.\n\n"
        f"Mar 12, 2024  10:38:15 AM\n{ANNA}\nThe rota held.\n\n"),
        [("Me", ASKED), (ANNA, SAID), ("Me", "Why?"), (ANNA, "The rota held.")]),
    # IRC logs: "[10:32] <nick> words" (mIRC, HexChat), irssi's "10:32 <@nick> words"; joins, quits and
    # actions are the client's lines.
    "irc_log_txt": (".txt", (
        "[10:30] * anna has joined #pilot\n[10:32] <helen> How did the pilot go?\n[10:35] <anna> It went well,\n"
        "[10:35] * anna nods\n[10:36] <anna> mostly.\n[10:37] <helen> Why?\n[10:38] <anna> The rota held.\n"
        "[10:40] * anna has quit (Quit: bye)\n"),
        [("helen", ASKED), ("anna", SAID), ("helen", "Why?"), ("anna", "The rota held.")]),
    "irssi_log_txt": (".txt", (
        "--- Log opened Tue Mar 12 10:30:00 2024\n10:30 -!- anna [~anna@host.example] has joined #pilot\n"
        "10:32 <@helen> How did the pilot go?\n10:35 < anna> It went well, mostly.\n10:37 <@helen> Why?\n"
        "10:38 < anna> The rota held.\n"),
        [("helen", ASKED), ("anna", SAID), ("helen", "Why?"), ("anna", "The rota held.")]),
    # An interview typed as a play script: "NAME. words", a direction in brackets before a colon.
    "play_script_txt": (".txt", (
        f"HELEN. {ASKED}\n\nANNA (laughing): {SAID}\n\nHELEN. Why?\n\nANNA. The rota held.\n\n"
        "HELEN. And then?\n\nANNA. We kept it.\n"),
        [("HELEN", ASKED), ("ANNA", SAID), ("HELEN", "Why?"), ("ANNA", "The rota held."), ("HELEN", "And then?"),
         ("ANNA", "We kept it.")]),
    # A screenplay's layout: the name in capitals centred above the words, a direction in brackets below it.
    "screenplay_txt": (".txt", (
        f"                    HELEN\n          {ASKED}\n\n                    ANNA\n              (pausing)\n"
        f"          It went well,\n          mostly.\n\n                    HELEN\n          Why?\n\n"
        "                    ANNA\n          The rota held.\n"),
        [("HELEN", ASKED), ("ANNA", SAID), ("HELEN", "Why?"), ("ANNA", "The rota held.")]),
    # A speaker described once, at her first turn, and named alone after it: one speaker.
    "described_first_turn_txt": (".txt", (
        f"Helen: {ASKED}\nAnna (Housing officer): {SAID}\nHelen: Why?\nAnna: The rota held.\n"),
        [("Helen", ASKED), ("Anna", SAID), ("Helen", "Why?"), ("Anna", "The rota held.")]),
    # WhisperX's .json (whisperx.utils' JSON writer): diarised segments, each with its words, a
    # speaker's sentence cut over several segments, a leading space; the segments of one speaker are one turn.
    "whisperx_json": (".json", json.dumps({"segments": [
        {"start": 0.0, "end": 2.0, "speaker": "SPEAKER_00", "text": f" {ASKED}", "words": [{"word": "How"}]},
        {"start": 2.1, "end": 3.0, "speaker": "SPEAKER_01", "text": " It went well"},
        {"start": 3.0, "end": 4.0, "speaker": "SPEAKER_01", "text": ", mostly."}], "word_segments": []})
        .encode(), [("SPEAKER_00", ASKED), ("SPEAKER_01", SAID)]),
    # AssemblyAI's transcript JSON: "utterances" in milliseconds, speakers "A", "B"
    # (AssemblyAI's speaker-diarization docs); an utterance may end mid-sentence when the speaker pauses.
    "assemblyai_json": (".json", json.dumps({"id": "x", "text": "...", "utterances": [
        {"speaker": "A", "start": 250, "end": 2100, "text": ASKED, "confidence": 0.9, "words": []},
        {"speaker": "B", "start": 2300, "end": 3100, "text": "It went well,", "words": []},
        {"speaker": "B", "start": 3900, "end": 4500, "text": "mostly.", "words": []}]}).encode(),
        [("A", ASKED), ("B", SAID)]),
    # Deepgram's pre-recorded response with utterances=true: results.utterances, numbered speakers.
    "deepgram_json": (".json", json.dumps({"metadata": {"duration": 5.0}, "results": {"utterances": [
        {"start": 0.1, "end": 2.0, "speaker": 0, "transcript": ASKED, "channel": 0},
        {"start": 2.2, "end": 3.0, "speaker": 1, "transcript": "It went well,", "channel": 0},
        {"start": 3.4, "end": 4.0, "speaker": 1, "transcript": "mostly.", "channel": 0}]}}).encode(),
        [("0", ASKED), ("1", SAID)]),
    "jsonl": (".jsonl", (
        f'{{"speaker": "{HELEN}", "text": "{ASKED}"}}\n{{"Speaker": "{ANNA}", "Utterance": "{SAID}"}}\n'),
        [(HELEN, ASKED), (ANNA, SAID)]),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_text_layouts(layout):
    extension, content, expected = LAYOUTS[layout]
    data = content.encode("utf-8") if isinstance(content, str) else content
    assert turns(extension, data) == expected


DOCX_LAYOUTS = {
    # Teams .docx (2023 on): title, date and duration lines, "X started transcription", one
    # paragraph per turn holding "Name   0:03", a line break and the words, and "X stopped
    # transcription" at the end. Layout: a Teams transcript published in a public repository;
    # teams_converter.py and transcript2chatview.py (public Teams .docx parsers).
    "teams_docx": "".join([
        para("Pilot check-in-20240312_100000-Meeting Recording"), para("March 12, 2024, 10:00AM"),
        para("31m 5s"), para(f"{HELEN} started transcription"),
        para(f"{HELEN}   0:03", "<br/>", ASKED), para(f"{ANNA}   0:21", "<br/>", "It went well,"),
        para(f"{ANNA}   0:25", "<br/>", "mostly."), para(f"{HELEN} stopped transcription")]),
    # Older Teams .docx (2021-22): a cue range, the name alone, the words (transcript2chatview.py).
    "teams_docx_2021": "".join([
        para("0:0:0.0 --> 0:0:3.520"), para("Marsh, Helen"), para(ASKED),
        para("0:0:3.520 --> 0:0:9.0"), para("Smith, Anna"), para(SAID)]),
    # A .vtt saved into Word: cue ranges and <v Name> lines as paragraphs (transcript2chatview.py).
    "vtt_in_docx": "".join([
        para("WEBVTT"), para("00:00:00.000 --> 00:00:03.000"), para(f"&lt;v {HELEN}&gt;{ASKED}&lt;/v&gt;"),
        para("00:00:03.000 --> 00:00:09.000"), para(f"&lt;v {ANNA}&gt;{SAID}&lt;/v&gt;")]),
    # Otter .docx: "Name  0:03" and the words as separate paragraphs, the footer.
    "otter_docx": "".join([
        para(f"{HELEN}  0:03"), para(ASKED), para(f"{ANNA}  0:09"), para("It went well,"),
        para("mostly."), para("Transcribed by https://otter.ai")]),
    # Word's Transcribe, "Add all to document": "00:00:03 Speaker 1" above each turn's words.
    "word_transcribe_docx": "".join([
        para("00:00:03 Speaker 1"), para(ASKED), para("00:00:09 Speaker 2"), para(SAID),
        para("00:00:15 Speaker 1"), para("Why?"), para("00:00:18 Speaker 2"), para("The rota held.")]),
    # Typed transcripts: "Name: words" paragraphs under a heading.
    "paragraphs_docx": para("Interview 3", style="Heading1") + para(f"{HELEN}: {ASKED}")
    + para(f"{ANNA}: It went well,") + para("mostly."),
    # A two-column table without a header row (label | words).
    "headerless_table_docx": (
        "<w:tbl>" + "".join(
            f"<w:tr><w:tc>{para(who)}</w:tc><w:tc>{para(words)}</w:tc></w:tr>"
            for who, words in ((HELEN, ASKED), (ANNA, "It went well,"), (ANNA, "mostly."))) + "</w:tbl>"),
    # Moderator in bold, nobody named (CoLoop: "Some transcript providers will highlight
    # moderator text by marking it in bold").
    "bold_moderator_docx": (
        f'<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{ASKED}</w:t></w:r></w:p>{para(SAID)}'
        f'<w:p><w:pPr><w:pStyle w:val="ModeratorText"/></w:pPr><w:r><w:t>And then?</w:t></w:r></w:p>'
        f'{para("We carried on.")}'),
}
DOCX_EXPECTED = {
    "teams_docx": [(HELEN, ASKED), (ANNA, SAID)],
    "teams_docx_2021": [("Marsh, Helen", ASKED), ("Smith, Anna", SAID)],
    "vtt_in_docx": [(HELEN, ASKED), (ANNA, SAID)],
    "otter_docx": [(HELEN, ASKED), (ANNA, SAID)],
    "paragraphs_docx": [(HELEN, ASKED), (ANNA, SAID)],
    "headerless_table_docx": [(HELEN, ASKED), (ANNA, SAID)],
    "word_transcribe_docx": [("Speaker 1", ASKED), ("Speaker 2", SAID), ("Speaker 1", "Why?"),
                             ("Speaker 2", "The rota held.")],
    "bold_moderator_docx": [("Moderator", ASKED), ("Respondent", SAID), ("Moderator", "And then?"),
                            ("Respondent", "We carried on.")],
}


@pytest.mark.parametrize("layout", sorted(DOCX_LAYOUTS))
def test_docx_layouts(layout):
    assert turns(".docx", raw_docx_bytes(DOCX_LAYOUTS[layout])) == DOCX_EXPECTED[layout]
