"""Hand-made mutants of `report.writer.staging_folder`, which mutmut does not mutate (it skips decorated functions).

Not a test: the second half of `make mutation` (see TESTING.md). Each mutant is applied to a
temporary copy of the project, never to the files in the working tree, and
tests/report/test_writer.py must fail on it. Prints one line per mutant; exits 1 if any survives.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path("pipeline/report/writer.py")
TESTS = "tests/report/test_writer.py"
_PUBLISH = ("        if check is not None:\n            check(staging)\n        out_dir.mkdir(exist_ok=True)\n"
            "        for item in sorted(staging.iterdir()):\n            os.replace(item, out_dir / item.name)\n")
# (what the mutant breaks, the original text, its replacement)
MUTANTS = [
    ("the check is never called", "            check(staging)\n", "            pass\n"),
    ("the check runs only when there is none", "        if check is not None:\n", "        if check is None:\n"),
    ("the staging folder is left behind", "        shutil.rmtree(staging, ignore_errors=True)\n", "        pass\n"),
    ("OUT's parent is not created", "        out_dir.parent.mkdir(parents=True, exist_ok=True)\n", "        pass\n"),
    ("staging in the system's temporary folder", "dir=out_dir.parent))", "dir=None))"),
    ("staging not named after OUT", 'prefix=f".{out_dir.name}.tmp-"', 'prefix="tmp-"'),
    ("published before the check", _PUBLISH,
     "        out_dir.mkdir(exist_ok=True)\n        for item in sorted(staging.iterdir()):\n"
     "            os.replace(item, out_dir / item.name)\n        if check is not None:\n            check(staging)\n"),
    ("OUT made before anything is staged", "    out_dir = Path(out_dir)\n",
     "    out_dir = Path(out_dir)\n    out_dir.mkdir(parents=True, exist_ok=True)\n"),
    ("files copied instead of renamed", "            os.replace(item, out_dir / item.name)\n",
     "            (shutil.copytree if item.is_dir() else shutil.copy2)(item, out_dir / item.name)\n"),
    ("the OS error escapes unexplained", "    except OSError as exc:\n", "    except ValueError as exc:\n"),
    ("no hint at the fix", '"choose an --out folder you can write to"', '""'),
    ("only the first file published", "        for item in sorted(staging.iterdir()):\n",
     "        for item in sorted(staging.iterdir())[:1]:\n"),
]


def main() -> int:
    survivors = 0
    with tempfile.TemporaryDirectory(prefix="mutation-by-hand-") as scratch:
        copy = Path(scratch)
        for name in ("pipeline", "tests", "models", "data"):
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy2(ROOT / "pyproject.toml", copy / "pyproject.toml")
        original = (copy / TARGET).read_text(encoding="utf-8")
        for what, old, new in MUTANTS:
            if original.count(old) != 1:
                print(f"stale\t{what}: the original text is no longer in {TARGET}; update {Path(__file__).name}")
                survivors += 1
                continue
            (copy / TARGET).write_text(original.replace(old, new), encoding="utf-8")
            result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", TESTS],
                                    cwd=copy, capture_output=True, text=True,
                                    env={**os.environ, "PYTHONPATH": str(copy)})
            failed = [line.split(" - ")[0].removeprefix("FAILED ") for line in result.stdout.splitlines()
                      if line.startswith("FAILED")]
            survivors += result.returncode == 0
            print(f"{'killed' if result.returncode else 'SURVIVED'}\t{what}\t{failed[0] if failed else ''}", flush=True)
    print(f"{len(MUTANTS) - survivors} of {len(MUTANTS)} hand-made mutants of staging_folder killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
