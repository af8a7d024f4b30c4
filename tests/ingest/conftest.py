"""Shared fixtures for the ingest tests: a default config and a .docx builder.

Every fixture file is synthetic and written into pytest's tmp_path; no real
transcript is ever committed.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from ingest.docx_fixtures import raw_docx_bytes

from pipeline.config import IngestConfig, load_config
from pipeline.ingest.records import ParseOptions


@pytest.fixture
def ingest_config() -> Callable[..., IngestConfig]:
    """`ingest_config(interviewers=[...])`: the default [ingest] settings, overridden."""
    def make(**overrides) -> IngestConfig:
        return dataclasses.replace(load_config().ingest, **overrides)
    return make


@pytest.fixture
def options() -> ParseOptions:
    return ParseOptions("fixture")


@pytest.fixture
def make_docx() -> Callable[..., Path]:
    """`make_docx(path, paragraphs, tables=[], headings=[])` writes a .docx with python-docx.

    `paragraphs` is a list of strings ("\\n" inside one becomes a soft line
    break); `tables` a list of row lists, placed after the paragraphs;
    `headings` are added first, as Heading 1 paragraphs.
    """
    import docx

    def make(path: Path, paragraphs: Sequence[str], tables: Sequence[Sequence[Sequence[str]]] = (),
             headings: Sequence[str] = ()) -> Path:
        document = docx.Document()
        for heading in headings:
            document.add_heading(heading, level=1)
        for text in paragraphs:
            paragraph = document.add_paragraph()
            for index, part in enumerate(text.split("\n")):
                run = paragraph.add_run(part)
                if index < len(text.split("\n")) - 1:
                    run.add_break()
        for rows in tables:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        path.parent.mkdir(parents=True, exist_ok=True)
        document.save(path)
        return path
    return make


@pytest.fixture
def raw_docx() -> Callable[..., bytes]:
    """`raw_docx(body_xml)`: a .docx written by hand (see `docx_fixtures.raw_docx_bytes`)."""
    return raw_docx_bytes
