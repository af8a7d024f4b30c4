"""The .docx handout: one card per theme, quote ids included, byte-identical writes."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx

from pipeline import schema
from pipeline.report.cards import write_theme_cards
from pipeline.report.view import build_report_view
from pipeline.report.data import ReportData


def _all_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _cards_starting_a_page(document: docx.document.Document) -> int:
    return sum(1 for p in document.paragraphs if p.paragraph_format.page_break_before)


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
    titles = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert titles == list(report_data.themes[schema.LABEL])
    assert _cards_starting_a_page(document) == len(report_data.themes) - 1
    assert len(document.tables) == len(report_data.themes)


def test_cards_follow_the_report_order_shared_first(report_data: ReportData,
                                                    tmp_path: Path) -> None:
    data = report_data
    # A team-specific theme listed first must still come after the shared ones.
    data.themes = data.themes.iloc[[2, 0, 1]].reset_index(drop=True)
    path = tmp_path / "theme_cards.docx"
    write_theme_cards(data, path)
    titles = [p.text for p in docx.Document(str(path)).paragraphs
              if p.style.name == "Heading 1"]
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
