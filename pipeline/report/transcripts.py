"""Anonymised copies of transcripts, and the pseudonym key (written only on request)."""
from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath

import pandas as pd

from .. import schema
from ..errors import OutputError
from .writer import staging_folder


def write_anonymised_copies(out_dir: str | Path, turns: pd.DataFrame, check=None) -> list[Path]:
    """One `.txt` per source file (same relative name), `Speaker: text` per turn; `check` as in `staging_folder`."""
    out_dir = Path(out_dir)
    written = []
    with staging_folder(out_dir, check=check) as staging:
        for source, group in turns.groupby(schema.SOURCE_FILE, sort=True):
            relative = PurePosixPath(source).with_suffix(".txt")
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            lines = []
            for transcript_id, turns_of in group.groupby(schema.TRANSCRIPT_ID, sort=True):
                if group[schema.TRANSCRIPT_ID].nunique() > 1:
                    lines.append(f"# transcript: {transcript_id}")
                lines += [f"{row.speaker}: {row.text}" for row in turns_of.sort_values(schema.TURN).itertuples()]
            target.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
            written.append(out_dir / relative)
    return written


def write_key(path: str | Path, key: dict[str, str], out_dir: str | Path | None = None) -> Path:
    """The original-to-pseudonym key as JSON, mode 0600, never inside the output folder."""
    path = Path(path)
    if out_dir is not None:
        out, target = Path(out_dir).resolve(), path.resolve()
        if out == target or out in target.parents:
            raise OutputError("the key may not be written inside the output folder",
                              "write it somewhere only you can read, outside --out", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as fh:
        json.dump(dict(sorted(key.items())), fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return path
