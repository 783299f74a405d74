"""Every speed target of issue 9, measured in one run and printed side by side.

Runs, one after the other, each in its own process so that none warms another's caches:

- ``engine_speed.py --no-grid``: the vectorised engine against backtrader on the catalyst
  strategies (at least 500x);
- ``sweep_speed.py``: 10,000 combinations x 6 tickers x 20 years screened by the sweep's own
  path (under 60 s, under 2 GB, cost linear in combinations x bars), 1 against 2 workers (at
  least 1.8x) and throughput against vectorbt (at least 1x);
- ``flagship_speed.py --repeats 5``: the flagship run against the hand-wired baseline (wall
  time at most 0.5, CPU time at most 0.6, its headline verdict within 0.2 of the baseline's
  wall time; medians of five alternating runs of each) and against its unchanged re-run (at
  least 10x).

Each prints its own report as it goes; the table at the end lists every target with what was
measured and whether it was met, with the machine and its load average before and after.
The machine should be otherwise idle: ratios of wall times measured under other load favour
whichever side won more of the cores.

Run from the repository's root: ``python benchmarks/targets.py [--data-dir ../shared/data]
[--vectorbt-python /tmp/vbtenv/bin/python]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flagship_speed import machine

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--vectorbt-python", type=Path, help="a Python with vectorbt installed")
    args = parser.parse_args()
    data = ["--data-dir", str(args.data_dir)]
    vectorbt = ["--vectorbt-python", str(args.vectorbt_python)] if args.vectorbt_python else []
    runs = [
        ["engine_speed.py", *data, "--no-grid"],
        ["sweep_speed.py", *data, *vectorbt],
        ["flagship_speed.py", "--repeats", "5"],
    ]
    before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        targets = Path(scratch) / "targets.json"
        for script, *options in runs:
            print(f"\n===== {script} {' '.join(options)}", flush=True)
            command = [sys.executable, str(HERE / script), *options, "--targets", str(targets)]
            subprocess.run(command, cwd=ROOT, check=True)
        rows = json.loads(targets.read_text())
    minutes = (time.perf_counter() - began) / 60
    print(f"\n===== Issue 9 targets ({minutes:.0f} min in all)")
    print(f"machine: {machine()} (load average before: {before})")
    width = max(len(row["target"]) for row in rows)
    for row in rows:
        sign = ">=" if row["at_least"] else "<="
        verdict = "met" if row["met"] else "NOT MET"
        print(
            f"{row['target']:<{width}}  {row['measured']:9.2f}  (target {sign} "
            f"{row['goal']:g})  {verdict}"
        )
    return 0 if all(row["met"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
