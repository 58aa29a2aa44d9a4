"""Benchmark: CPU and peak memory of the within-file key check (`pipelines.keys.KeyIndex`)
over N keys, fed as a load feeds it (100k-key chunks), for one or more source trees.

    python benchmarks/key_index_benchmark.py N [--tree SRC_DIR ...] [--repeat 1]

Each tree runs in its own process (peak RSS from `getrusage` of that process), trees
interleaved round by round; random 64-bit hashes stand in for the hashed key text, so the
figure is the index's own cost, not the hashing's. `--tree` defaults to this checkout;
pass an older commit's `git archive` to compare (docs/benchmarks.md, 2026-12-04).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

CHUNK = 100_000

CHILD = """
import json, resource, sys, time
import numpy as np
sys.path.insert(0, sys.argv[1])
from pipelines.keys import KeyIndex
n = int(sys.argv[2])
index, rng = KeyIndex(), np.random.default_rng(1)
started = time.process_time()
for start in range(0, n, {chunk}):
    hashes = rng.integers(0, 2**63, min({chunk}, n - start), dtype=np.int64).astype(np.uint64)
    lines = np.arange(start + 2, start + 2 + len(hashes), dtype=np.int64)
    new = index._earlier(hashes) == 0
    index._add(hashes[new], lines[new])
print(json.dumps({{"cpu_s": time.process_time() - started, "runs": len(index._runs),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run(tree: Path, keys: int) -> dict[str, float]:
    code = CHILD.format(chunk=CHUNK)
    out = subprocess.run(
        [sys.executable, "-c", code, str(tree), str(keys)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keys", type=int)
    parser.add_argument("--tree", type=Path, action="append")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    trees = args.tree or [Path(__file__).resolve().parents[1]]
    results: dict[Path, list[dict[str, float]]] = {tree: [] for tree in trees}
    for _round in range(args.repeat):
        for tree in trees:
            results[tree].append(run(tree, args.keys))
    print(f"| keys | tree | CPU s (median of {args.repeat}) | peak RSS MB | runs |")
    print("|---|---|---|---|---|")
    for tree, rows in results.items():
        cpu = statistics.median(r["cpu_s"] for r in rows)
        peak = statistics.median(r["peak_mb"] for r in rows)
        print(f"| {args.keys:,} | {tree} | {cpu:.1f} | {peak:.0f} | {rows[-1]['runs']:.0f} |")


if __name__ == "__main__":
    main()
