"""Files in another language than English are marked and warned about, by position, with no text."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pipeline.ingest import read_corpus
from pipeline.ingest.language import MIN_WORDS, non_english, text_language

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
WARNING = "in another language than English"

# The same answer in five languages (written for these tests).
ANSWERS = {
    "en": "So we closed the phone lines in the afternoon. It was not popular, but the casework kept piling up and at "
          "some point we had to choose. People who cannot get online still need someone to pick up, so the line stays "
          "open in the morning. I think it was the right call.",
    "de": "Also, wir haben das Telefon am Nachmittag abgeschaltet. Das war nicht beliebt, aber die Akten sind liegen "
          "geblieben, und irgendwann mussten wir uns entscheiden. Die Leute, die nicht online gehen können, brauchen "
          "trotzdem jemanden, der abnimmt, deshalb bleibt die Leitung morgens offen. Ich glaube, das war richtig so.",
    "es": "Bueno, cerramos las líneas por la tarde. No fue popular, pero los expedientes se acumulaban y en algún "
          "momento tuvimos que decidir. La gente que no puede conectarse todavía necesita a alguien que conteste, por "
          "eso la línea sigue abierta por la mañana. Creo que fue lo correcto.",
    "nl": "Nou, we hebben de telefoon 's middags uitgezet. Dat was niet populair, maar de dossiers bleven liggen en op "
          "een gegeven moment moesten we kiezen. Mensen die niet online kunnen, hebben nog steeds iemand nodig die "
          "opneemt, daarom blijft de lijn 's ochtends open. Ik denk dat het goed was.",
    "cy": "Wel, fe wnaethon ni gau'r llinellau ffôn yn y prynhawn. Doedd hynny ddim yn boblogaidd, ond roedd y gwaith "
          "achos yn pentyrru ac roedd rhaid i ni benderfynu rywbryd. Mae pobl sy'n methu mynd ar-lein dal angen "
          "rhywun i ateb, felly mae'r llinell yn aros ar agor yn y bore. Dw i'n meddwl mai dyna oedd y peth iawn.",
}


@pytest.mark.parametrize("language", sorted(ANSWERS))
def test_the_language_of_an_answer_is_told(language):
    assert text_language(ANSWERS[language]) == language


def test_too_few_words_tell_no_language():
    short = " ".join(ANSWERS["de"].split()[:MIN_WORDS - 1])
    assert text_language(short) == ""
    assert text_language(" ".join(ANSWERS["de"].split()[:MIN_WORDS + 5])) == "de"


def test_only_files_in_another_language_are_named():
    files = [("a.txt", [ANSWERS["en"]]), ("b.txt", [ANSWERS["es"], ANSWERS["es"]]), ("c.txt", ["ok thanks"])]
    assert non_english(files) == {"b.txt": "es"}


def test_a_quoted_phrase_does_not_make_a_file_foreign():
    turns = [ANSWERS["en"], "My colleague said: 'Das war nicht beliebt.'", ANSWERS["en"]]
    assert non_english([("a.txt", turns)]) == {}


def test_a_file_in_german_is_marked_and_warned_about_by_position_not_name(tmp_path, ingest_config, caplog):
    root = tmp_path / "in"
    (root / "housing").mkdir(parents=True)
    for name, answer in (("Anna Weber.txt", ANSWERS["de"]), ("Tom Hale.txt", ANSWERS["en"])):
        (root / "housing" / name).write_text(f"Interviewer: Was hat sich geändert?\nRespondent: {answer}\n",
                                             encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        corpus = read_corpus(root, ingest_config())
    assert {record.file: record.language for record in corpus.inputs} == {"housing/Anna Weber.txt": "de",
                                                                          "housing/Tom Hale.txt": ""}
    (warning,) = [r.getMessage() for r in caplog.records if WARNING in r.getMessage()]
    assert warning.startswith("input 1 of 2 ") and "(de)" in warning
    assert "Weber" not in caplog.text and "Nachmittag" not in caplog.text


def test_the_bundled_sample_is_english(ingest_config):
    assert {record.language for record in read_corpus(SAMPLE, ingest_config()).inputs} == {""}
