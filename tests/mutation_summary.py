"""The table of `make mutation`: mutants per module, killed, survived, from `mutmut results --all true` on stdin.

Not a test: a report of the mutation run (see TESTING.md). Run as
`mutmut results --all true | python tests/mutation_summary.py`.
"""
from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict

# "pipeline.ground.x_common_ground_scores__mutmut_3: killed"; a method reads "...xǁClassǁname__mutmut_3".
RESULT = re.compile(r"^\s*(?P<module>[\w.]+?)\.x(?:_|ǁ)(?P<function>\S+?)__mutmut_\d+: (?P<status>.+?)\s*$")
KILLED = {"killed", "timeout", "caught by type check", "segfault"}  # a timeout is an infinite loop caught


def main(lines) -> int:
    by_module: dict[str, Counter] = defaultdict(Counter)
    survivors = []
    for line in lines:
        match = RESULT.match(line)
        if not match or match["status"] == "not checked":
            continue
        status = "killed" if match["status"] in KILLED else match["status"]
        by_module[match["module"]][status] += 1
        if status != "killed":
            survivors.append(line.strip())
    print("| module | mutants | killed | survived | no tests |")
    print("|---|---:|---:|---:|---:|")
    total: Counter = Counter()
    for module, counts in sorted(by_module.items()):
        total.update(counts)
        print(f"| `{module}` | {sum(counts.values())} | {counts['killed']} | {counts['survived']} | {counts['no tests']} |")
    print(f"| all | {sum(total.values())} | {total['killed']} | {total['survived']} | {total['no tests']} |")
    print()
    print("\n".join(survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.stdin))
