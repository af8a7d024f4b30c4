"""Command line: parses arguments, calls the library, turns errors into messages and exit codes.

Nothing else lives here. Logging is configured here and only here.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .errors import EXIT_INTERNAL, EXIT_USAGE, CommonGroundError

logger = logging.getLogger("pipeline")

RUN_EXAMPLE = """example:
  commonground run data/sample --out reports/sample
  commonground run transcripts/ --out reports/june --config settings.toml --seed 7 --no-cache

exit status: 0 all inputs processed; 3 some inputs failed (see run.json);
2 bad usage or configuration (nothing written); 1 nothing usable or internal error."""


ANONYMISE_EXAMPLE = """example:
  commonground anonymise transcripts/ --out shared/anonymised --key ~/private/key.json

The key maps real names to pseudonyms: keep it private. It is never written inside DIR."""


REPORT_EXAMPLE = """example:
  commonground report reports/sample
  commonground report reports/sample --curation my-curation.toml --out reports/sample-curated

Re-renders the report files from the run folder's tables in seconds: nothing is
re-computed. Without --curation, RUN_DIR/curation.toml is applied when present.

exit status: 0 done; 2 not a run folder, or a bad curation file (nothing written);
1 internal error."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commonground",
        description="Find the common ground in conversation transcripts: shared dilemmas and "
                    "decisions, ranked by how broadly teams share them, with anonymised quotes.",
        epilog="example:\n  commonground run data/sample --out reports/sample",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="analyse a folder of transcripts and write the report",
                         description="Analyse INPUT (a folder, read recursively, or one file) and write "
                                     "themes.csv, quotes.csv, the HTML/Markdown/DOCX report and run.json to OUT.",
                         epilog=RUN_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("input", type=Path, metavar="INPUT", help="folder of transcripts, or one transcript file")
    run.add_argument("--out", type=Path, required=True, metavar="OUT", help="output folder (created or replaced)")
    run.add_argument("--config", type=Path, metavar="FILE.toml", help="settings overriding the defaults")
    run.add_argument("--seed", type=int, metavar="N", help="random seed (overrides the config)")
    run.add_argument("--roster", type=Path, metavar="FILE", help="names that must always be replaced, one per line")
    cache = run.add_mutually_exclusive_group()
    cache.add_argument("--cache", type=Path, metavar="DIR",
                       help="cache folder for embeddings and parses, no text (default: user cache)")
    cache.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler (tcp://host:8786): parse and embed on its workers (extra 'distributed')")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress, only errors")
    run.add_argument("-v", "--verbose", action="store_true", help="debug logging")

    anon = sub.add_parser("anonymise", help="write anonymised .txt copies of the transcripts",
                          description="Write an anonymised copy of every transcript under INPUT to DIR "
                                      "(same relative names, .txt): speakers become pseudonyms, names, places "
                                      "and contact details become placeholders.",
                          epilog=ANONYMISE_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    anon.add_argument("input", type=Path, metavar="INPUT", help="folder of transcripts, or one transcript file")
    anon.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the anonymised copies")
    anon.add_argument("--key", type=Path, metavar="FILE",
                      help="also write the original-to-pseudonym key here (mode 0600; refused inside DIR)")
    anon.add_argument("--config", type=Path, metavar="FILE.toml", help="settings overriding the defaults")
    anon.add_argument("--roster", type=Path, metavar="FILE", help="names that must always be replaced, one per line")
    anon.add_argument("-q", "--quiet", action="store_true", help="only errors")
    anon.add_argument("-v", "--verbose", action="store_true", help="debug logging")

    report = sub.add_parser("report", help="re-render a finished run's report, applying a curation file",
                            description="Re-render the report files of a finished run (RUN_DIR, the --out of "
                                        "`commonground run`) from its tables, applying the curation file "
                                        "(rename, merge, split, hide). Embeddings and themes are not recomputed.",
                            epilog=REPORT_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("run_dir", type=Path, metavar="RUN_DIR", help="folder of a finished run")
    report.add_argument("--curation", type=Path, metavar="FILE",
                        help="curation file to apply (default: RUN_DIR/curation.toml if present)")
    report.add_argument("--out", type=Path, metavar="DIR", help="write here instead of RUN_DIR")
    report.add_argument("-q", "--quiet", action="store_true", help="only errors")
    report.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    _configure_logging(args.quiet, args.verbose)
    try:
        if args.command == "run":
            return _cmd_run(args)
        if args.command == "anonymise":
            return _cmd_anonymise(args)
        if args.command == "report":
            return _cmd_report(args)
    except CommonGroundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("interrupted; nothing was published", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as exc:  # never a bare traceback, and never transcript text
        logger.debug("internal error", exc_info=True)
        print(f"error: internal error ({type(exc).__name__}); re-run with --verbose and report it",
              file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_USAGE


def _cmd_run(args) -> int:
    from .report.view_types import counted
    from .runner import DEFAULT_CACHE, run

    roster = _read_roster(args.roster) if args.roster else None
    cache_dir = None if args.no_cache else (args.cache or DEFAULT_CACHE)
    progress = None if args.quiet or not sys.stderr.isatty() else _Progress()
    try:
        result = run(args.input, out=args.out, config=args.config, seed=args.seed, roster=roster,
                     cache_dir=cache_dir, on_stage=progress.stage if progress else _log_stage,
                     scheduler=args.scheduler)
    finally:
        if progress:
            progress.stop()
    counts = result.summary["counts"]
    if not args.quiet:
        print(f"{counted(counts['themes'], 'theme')} from {counted(counts['quotes'], 'quote')} in "
              f"{counted(counts['transcripts'], 'transcript')} ({counted(counts['teams'], 'team')}); "
              f"report in {args.out}", file=sys.stderr)
        if counts.get("transcripts_unquoted"):
            print(f"  {counted(counts['transcripts_unquoted'], 'transcript')} gave no quote: every participant "
                  f"turn was under [segment] drop_below_words words (run.json counts)", file=sys.stderr)
        for item in result.summary["inputs"]:
            if item["status"] == "failed":
                print(f"  failed: {item['file']}: {item['reason']}", file=sys.stderr)
    return result.exit_status


def _cmd_anonymise(args) -> int:
    from .errors import EXIT_OK, EXIT_PARTIAL
    from .runner import anonymise_corpus

    roster = _read_roster(args.roster) if args.roster else None
    summary = anonymise_corpus(args.input, args.out, config=args.config, key_file=args.key, roster=roster)
    failed = [i for i in summary["inputs"] if i["status"] == "failed"]
    if not args.quiet:
        counts = ", ".join(f"{n} {kind.lower()}" for kind, n in summary["anonymisation"].items()
                           if isinstance(n, int)) or "nothing"
        print(f"{summary['files_written']} anonymised files in {args.out}; replaced {counts}", file=sys.stderr)
        for item in failed:
            print(f"  failed: {item['file']}: {item['reason']}", file=sys.stderr)
    return EXIT_PARTIAL if failed else EXIT_OK


def _cmd_report(args) -> int:
    from .errors import EXIT_OK
    from .runner import rerender

    rendered = rerender(args.run_dir, curation=args.curation, out=args.out)
    if not args.quiet:
        curation = rendered.run.summary["curation"]
        print(f"{len(rendered.run.themes)} themes; {len(curation['applied'])} curation actions applied; "
              f"report in {rendered.run.out_dir}", file=sys.stderr)
    return EXIT_OK


def _read_roster(path: Path) -> list[str]:
    from .errors import UsageError

    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the roster ({type(exc).__name__})",
                         "pass a UTF-8 text file, one name per line", path) from exc
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _log_stage(name: str) -> None:
    logger.info("stage: %s", name)


class _Progress:
    """A one-line status on a terminal: which stage is running."""

    def __init__(self):
        from rich.console import Console

        self.console = Console(stderr=True)
        self.status = self.console.status("starting")
        self.status.start()

    def stage(self, name: str) -> None:
        self.status.update(f"[bold]{name}[/bold]…")

    def stop(self) -> None:
        self.status.stop()


def _configure_logging(quiet: bool, verbose: bool) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("pipeline").setLevel(level)


def _version() -> str:
    # Not from the runner: importing it loads spaCy and PyTorch, seconds before `--help` could answer.
    from .version import package_version

    return f"commonground {package_version()}"


if __name__ == "__main__":
    sys.exit(main())
