"""The anonymise command: anonymised copies of every transcript, and the key only when asked for."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from .. import schema
from ..anonymise import anonymise
from ..config import Config, load_config
from ..errors import NoUsableInputError, UsageError
from ..ingest import read_corpus
from ..leakcheck import secure_staged_outputs
from ..nlp import common_words, load_spacy, parse
from ..report.transcripts import write_anonymised_copies, write_key
from .log_names import HeldFileNames, input_files
from .result import _check_out

logger = logging.getLogger(__name__)


def anonymise_corpus(input_path: str | Path, out: str | Path, config: Config | str | Path | None = None, *,
                     key_file: str | Path | None = None, roster: list[str] | None = None, nlp=None) -> dict:
    """Write anonymised `.txt` copies of every transcript under INPUT to `out`.

    The key (original -> pseudonym) is written only when `key_file` is given,
    with mode 0600, and never inside `out`. Returns a summary like run.json's
    `inputs` and `anonymisation` entries.
    """
    if not isinstance(config, Config):
        config = load_config(config)
    input_path, out = Path(input_path), Path(out)
    _check_out(input_path, out)
    if key_file is not None:
        target, outp = Path(key_file).resolve(), out.resolve()
        if target == outp or outp in target.parents:
            raise UsageError("--key may not point inside --out", "write the key outside the shared folder", key_file)
    # Ingest logs each file it cannot read by its path, which may hold a name: held until it can be masked.
    with HeldFileNames(input_files(input_path)) as held:
        corpus = read_corpus(input_path, config.ingest)
        turns = corpus.turns.reset_index(drop=True)
        if turns.empty:
            raise NoUsableInputError("no transcript in the input could be read", "see the reasons per file",
                                     input_path)
        nlp = nlp or load_spacy()
        docs = parse(nlp, turns[schema.TEXT].tolist(), batch_size=config.parse.batch_size,
                     n_process=config.parse.processes, min_chars_per_process=config.parse.min_chars_per_process)
        anonymised = anonymise(turns, docs, config.anonymise, list(corpus.roster) + list(roster or []),
                               common_words=common_words(nlp), file_names=[r.file for r in corpus.inputs])
        held.release(anonymised.redact)
    copies = anonymised.turns.copy()
    copies[schema.SOURCE_FILE] = copies[schema.SOURCE_FILE].map(anonymised.redact)
    write_anonymised_copies(out, copies, check=partial(secure_staged_outputs, originals=anonymised.leak_terms,
                                                       placeholders=anonymised.leak_placeholders))
    if key_file is not None:
        write_key(key_file, anonymised.key, out_dir=out)
    return {
        "inputs": [{"file": anonymised.redact(r.file), "status": r.status, "reason": anonymised.redact(r.reason)}
                   for r in corpus.inputs],
        "anonymisation": anonymised.counts,
        "files_written": int(copies[schema.SOURCE_FILE].nunique()),
    }
