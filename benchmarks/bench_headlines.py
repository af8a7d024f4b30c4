"""How often a theme's headline says what its label says: the share of headlines holding a label word.

    python -m benchmarks.bench_headlines RUN_FOLDER [RUN_FOLDER ...]

Reads each finished run's `themes.csv` (`commonground run ... --out RUN_FOLDER`)
and counts the themes whose headline shares a content word with the label
(`pipeline.themes.headline.content_words`: no stop words, a plural as its
singular), and those whose headline shares one with the label or a key
phrase. A headline is picked among the theme's most central quotes; one that
says none of the label's words may still be on the matter, so read the
share as a lower bound of headlines that say what the theme is about.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from pipeline import schema
from pipeline.themes.headline import content_words


def headline_shares(themes: pd.DataFrame) -> dict[str, float]:
    """Shares of themes whose headline says a word of the label, and of the label or a key phrase."""
    label_word = key_word = 0
    for label, keywords, headline in zip(themes[schema.LABEL].astype(str), themes[schema.KEYWORDS].fillna(""),
                                         themes[schema.HEADLINE].fillna("").astype(str)):
        said = content_words(headline)
        label_words = content_words(label)
        label_word += bool(said & label_words)
        key_word += bool(said & (label_words | content_words(str(keywords).replace(schema.LIST_SEPARATOR, " "))))
    n = max(len(themes), 1)
    return {"themes": len(themes), "label word": label_word / n, "label or key phrase word": key_word / n}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", help="finished run folders (each holds themes.csv)")
    args = parser.parse_args(argv)
    print("| run | themes | headline says a label word | a label or key-phrase word |")
    print("|---|---|---|---|")
    for run in args.runs:
        shares = headline_shares(pd.read_csv(Path(run) / "themes.csv", keep_default_na=False))
        print(f"| {run} | {shares['themes']} | {shares['label word']:.0%} | {shares['label or key phrase word']:.0%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
