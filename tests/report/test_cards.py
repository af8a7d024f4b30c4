"""The .docx handout: the dilemmas and common ground first, one card per theme, quote ids included, byte-identical."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx

from pipeline import schema
from pipeline.report.cards import write_theme_cards
from pipeline.report.data import ReportData
from pipeline.report.view import GROUND_HEADING, NOT_SAID, ONE_TEAM_HEADING, build_report_view

from .conftest import DILEMMA_TITLES, GROUND_STATEMENT, without_dilemmas


def _all_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _cards_starting_a_page(document: docx.document.Document) -> int:
    return sum(1 for p in document.paragraphs if p.paragraph_format.page_break_before)


def _headings(document: docx.document.Document, level: int = 1) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _theme_titles(document: docx.document.Document) -> list[str]:
    """The Heading 1 titles after the common ground's page: the theme cards'."""
    titles = _headings(document)
    return titles[titles.index(GROUND_HEADING) + 1:]


def test_docx_has_every_label_and_quote_id(report_data: ReportData, tmp_path: Path) -> None:
    path = tmp_path / "theme_cards.docx"
    write_theme_cards(report_data, path)
    text = _all_text(docx.Document(str(path)))
    for label in report_data.themes[schema.LABEL]:
        assert label in text
    for ids in report_data.themes[schema.REPRESENTATIVE_QUOTES]:
        for quote_id in ids:
            assert quote_id in text
    for quote_id in ("Q002", "Q003", "Q006", "Q010", "Q018"):  # decisions and reasons
        assert quote_id in text
    assert "<script>alert(1)</script>" in text  # plain text in Word, not markup


def test_one_card_per_theme(report_data: ReportData, tmp_path: Path) -> None:
    path = tmp_path / "theme_cards.docx"
    write_theme_cards(report_data, path)
    document = docx.Document(str(path))
    assert _theme_titles(document) == list(report_data.themes[schema.LABEL])
    # A page per shared dilemma (the first opens the document), one for those one team raised,
    # one for the common ground, one per theme.
    assert _cards_starting_a_page(document) == 2 - 1 + 1 + 1 + len(report_data.themes)
    assert len(document.tables) == 2 + 1 + len(report_data.themes)


def test_cards_follow_the_report_order_shared_first(report_data: ReportData,
                                                    tmp_path: Path) -> None:
    data = report_data
    # A team-specific theme listed first must still come after the shared ones.
    data.themes = data.themes.iloc[[2, 0, 1]].reset_index(drop=True)
    path = tmp_path / "theme_cards.docx"
    write_theme_cards(data, path)
    titles = _theme_titles(docx.Document(str(path)))
    assert titles == [c.label for c in build_report_view(data).cards]
    assert titles[-1] == "Budget sign_off *approvals*"


def test_core_properties_are_fixed(report_data: ReportData, tmp_path: Path) -> None:
    path = tmp_path / "theme_cards.docx"
    write_theme_cards(report_data, path)
    core = docx.Document(str(path)).core_properties
    assert core.author == "Common Ground"
    assert core.created.year == core.modified.year == core.last_printed.year == 2000


def test_two_writes_give_identical_bytes(report_data: ReportData, tmp_path: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    write_theme_cards(report_data, first)
    write_theme_cards(report_data, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_overwrites_atomically_and_leaves_no_temp_file(report_data: ReportData,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "theme_cards.docx"
    path.write_bytes(b"old")
    write_theme_cards(report_data, path)
    assert zipfile.is_zipfile(path)
    assert [p.name for p in tmp_path.iterdir()] == ["theme_cards.docx"]


def test_no_themes_gives_a_one_page_note(report_data: ReportData, tmp_path: Path) -> None:
    data = report_data
    data.themes = data.themes.iloc[0:0]
    data.decisions = data.decisions.iloc[0:0]
    path = tmp_path / "theme_cards.docx"
    write_theme_cards(data, path)
    assert "This run found no themes." in _all_text(docx.Document(str(path)))


def test_control_characters_in_text_do_not_break_the_handout(report_data: ReportData,
                                                            tmp_path: Path) -> None:
    data = report_data
    data.quotes.loc[0, schema.TEXT] = "Form feed\x0c and escape\x1b in a quote."
    path = tmp_path / "theme_cards.docx"
    write_theme_cards(data, path)
    assert "Form feed and escape in a quote." in _all_text(docx.Document(str(path)))


def test_the_shared_dilemmas_open_the_handout_then_those_of_one_team_then_the_common_ground(
        report_data: ReportData, tmp_path: Path) -> None:
    path = tmp_path / "theme_cards.docx"
    write_theme_cards(report_data, path)
    document = docx.Document(str(path))
    titles = _headings(document)
    assert titles[:4] == DILEMMA_TITLES[:2] + [ONE_TEAM_HEADING, GROUND_HEADING]
    assert _headings(document, level=2)[0] == f"“{GROUND_STATEMENT}”"
    first_table = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert first_table[1][0] == "Contact centre" and first_table[1][3] == NOT_SAID
    assert [cell.endswith(f"[{qid}]") for cell, qid in zip(first_table[2][1:], ("Q001", "Q002", "Q003"))] == [True] * 3
    one_team = [[cell.text for cell in row.cells] for row in document.tables[2].rows]
    assert one_team[1][0].startswith(DILEMMA_TITLES[2]) and one_team[1][3].endswith("[Q018]")
    text = _all_text(document)
    assert "Housing, Q003" in text and "— Finance, Q012" in text  # the statement's source, a supporting quote


def test_without_dilemmas_the_handout_says_so_first(report_data: ReportData, tmp_path: Path) -> None:
    path = tmp_path / "theme_cards.docx"
    write_theme_cards(without_dilemmas(report_data), path)
    document = docx.Document(str(path))
    assert _headings(document)[:2] == ["Shared dilemmas", GROUND_HEADING]
    assert document.paragraphs[1].text == "No shared dilemma was found in these conversations."
    assert _theme_titles(document) == list(report_data.themes[schema.LABEL])


def test_a_card_shows_its_headline_with_its_quote_id_and_how_well_it_holds(report_data: ReportData,
                                                                           tmp_path: Path) -> None:
    report_data.themes[schema.HEADLINE] = ["We stopped promising dates on the phone.", "", ""]
    report_data.themes[schema.HEADLINE_QUOTE_ID] = ["Q006", "", ""]
    report_data.themes[schema.STABILITY] = [0.4, 0.9, 0.8]
    report_data.themes[schema.COHESION] = [0.61, 0.7, 0.5]
    report_data.themes[schema.LOOSE] = [1, 0, 0]
    path = tmp_path / "theme_cards.docx"
    write_theme_cards(report_data, path)
    document = docx.Document(str(path))
    text = _all_text(document)
    assert "\u201cWe stopped promising dates on the phone.\u201d  Q006" in text
    assert "Loose theme: comes back 40% whole when re-clustered, cohesion 0.61" in text
    titles = _theme_titles(document)  # shared themes, the loose one after the firm one, then the team's
    assert titles == ["Forms & <b>phone</b> scripts", "Waiting lists versus urgent repairs", "Budget sign_off *approvals*"]


def test_each_style_is_looked_up_once_and_the_handout_is_the_same(report_data: ReportData, tmp_path: Path,
                                                                   monkeypatch) -> None:
    from docx.styles.styles import Styles

    import pipeline.report.cards as cards

    lookups: list[str] = []
    by_name = Styles._get_style_id_from_name
    monkeypatch.setattr(Styles, "_get_style_id_from_name",
                        lambda self, name, kind: (lookups.append(name), by_name(self, name, kind))[1])
    remembered = tmp_path / "remembered.docx"
    write_theme_cards(report_data, remembered)
    assert lookups and len(lookups) == len(set(lookups))  # once per style name
    monkeypatch.setattr(cards, "_remember_style_ids", lambda document: None)
    each_time = tmp_path / "each_time.docx"
    write_theme_cards(report_data, each_time)
    assert len(lookups) > 2 * len(set(lookups))
    assert remembered.read_bytes() == each_time.read_bytes()


def test_runs_and_rows_built_directly_are_the_xml_python_docx_writes() -> None:
    """`_add_run` and `_add_row_cells` skip python-docx's searches, not its XML."""
    from docx.shared import Pt, RGBColor
    from lxml import etree

    from pipeline.report.cards import _add_row_cells, _add_run

    def xml(element) -> bytes:
        return etree.tostring(element)

    formats = [{}, {"bold": True}, {"italic": True}, {"italic": False, "size": 10}, {"size": 9},
               {"size": 10, "grey": True}]
    texts = ["plain", " leading and trailing ", "", "tab\there", "line\nbreak", "“quoted” — [a-1-0]"]
    fast, slow = docx.Document(), docx.Document()
    for text in texts:
        for options in formats:
            _add_run(fast.add_paragraph(), text, **options)
            run = slow.add_paragraph().add_run(text)
            if "bold" in options:
                run.bold = options["bold"]
            if "italic" in options:
                run.italic = options["italic"]
            if "size" in options:
                run.font.size = Pt(options["size"])
            if options.get("grey"):
                run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    for document in (fast, slow):
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for n in range(3):
            cells = _add_row_cells(table) if document is fast else table.add_row().cells
            cells[0].text = f"team {n}"
            cells[1].paragraphs[0].add_run("a quote")
    assert xml(fast.element.body) == xml(slow.element.body)
    assert len(fast.tables[0].rows) == 4 and fast.tables[0].rows[3].cells[0].text == "team 2"
