"""Check that a change to the model's code leaves its results unchanged (up to rounding).

Usage:
    .venv/bin/python bench/same_results.py save BEFORE.parquet [--households 20000]
    .venv/bin/python bench/same_results.py check BEFORE.parquet [--households 20000] [--rtol 1e-9]

`save` runs the baseline and the 2025 Opinions (2024-2035, the scenarios' seed) and writes their
tidy results; `check` runs them again with the current code and lists every row whose value
differs by more than `rtol` (relative) from the saved one. Exit code 1 when any row differs or a
row is missing on either side. Meant for speed work: a faster step must give the same numbers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the code of this checkout, whichever environment runs it
SCENARIOS = ("baseline.yaml", "opinions_2025.yaml")
KEY = ["scenario", "year", "group", "metric"]


def run_all(households: int) -> pd.DataFrame:
    from model import load_scenario, run_scenario

    frames = [
        run_scenario(load_scenario(ROOT / "scenarios" / f), households=households).frame
        for f in SCENARIOS
    ]
    return pd.concat(frames, ignore_index=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("action", choices=["save", "check"])
    ap.add_argument("path", type=Path)
    ap.add_argument("--households", type=int, default=20_000)
    ap.add_argument(
        "--rtol",
        type=float,
        default=1e-9,
        help="largest relative difference allowed (default 1e-9)",
    )
    args = ap.parse_args()
    now = run_all(args.households)
    if args.action == "save":
        now.to_parquet(args.path)
        print(f"saved {len(now):,} rows to {args.path}")
        return 0
    before = pd.read_parquet(args.path)
    m = before.merge(now, on=KEY, how="outer", suffixes=("_before", "_now"), indicator=True)
    missing = m[m._merge != "both"]
    both = m[m._merge == "both"]
    a, b = both.value_before.to_numpy(float), both.value_now.to_numpy(float)
    identical = (a == b) | (np.isnan(a) & np.isnan(b))
    same = identical | (np.abs(a - b) <= args.rtol * np.maximum(np.abs(a), np.abs(b)))
    diff = both[~same].assign(rel=np.abs(a - b)[~same] / np.maximum(np.abs(a), np.abs(b))[~same])
    print(
        f"{len(both):,} rows compared: {int(identical.sum()):,} identical, {int(same.sum() - identical.sum()):,} within "
        f"rtol {args.rtol:g}, {len(diff):,} different; {len(missing):,} on one side only"
    )
    if len(diff):
        print(
            diff.sort_values("rel", ascending=False)[KEY + ["value_before", "value_now", "rel"]]
            .head(30)
            .to_string(index=False)
        )
    if len(missing):
        print(missing[KEY + ["_merge"]].head(30).to_string(index=False))
    return 1 if len(diff) or len(missing) else 0


if __name__ == "__main__":
    sys.exit(main())
