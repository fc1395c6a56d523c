"""Print the baseline's per-province parameter blocks (YAML), derived from the provinces table.

Usage:  .venv/bin/python scripts/provincial_parameters.py            # print the blocks
        .venv/bin/python scripts/provincial_parameters.py --write    # replace them in the baseline

`model.province_data.baseline_parameters` says how each value is derived; the blocks live in
scenarios/baseline.yaml (tests/test_provinces.py checks that they agree with the table).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml  # noqa: E402

from model.province_data import baseline_parameters  # noqa: E402
from model.registry import REGISTRY  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def blocks(baseline_text: str) -> dict[str, list[str]]:
    """The YAML lines of each per-province parameter block, from the baseline's national values."""
    raw = yaml.safe_load(baseline_text)
    year = 2024  # the base year: the national values the derivation reads are those of 2024
    p = {
        name: block["values"][year]["value"]
        for name, block in raw["parameters"].items()
        if year in block["values"]
    }
    out = {}
    for name, (value, source) in baseline_parameters(p).items():
        block = json.dumps({"value": value, "source": source}, ensure_ascii=False)
        out[name] = [
            f"  {name}:",
            f"    unit: {REGISTRY[name].unit}",
            "    values:",
            f"      {year}: {block}",
        ]
    return out


def replace_blocks(text: str, new: dict[str, list[str]]) -> str:
    """`text` with each named top-level parameter block replaced by its new lines."""
    out, skipping = [], False
    for line in text.split("\n"):
        m = re.match(r"^  ([a-z_][\w.]*):\s*$", line)
        if m:
            skipping = m.group(1) in new
            if skipping:
                out.extend(new[m.group(1)])
        if not skipping:
            out.append(line)
    return "\n".join(out)


def main() -> int:
    path = ROOT / "scenarios" / "baseline.yaml"
    text = path.read_text(encoding="utf-8")
    new = blocks(text)
    if "--write" in sys.argv[1:]:
        missing = [n for n in new if f"\n  {n}:\n" not in text]
        if missing:
            print(f"not in {path}: {', '.join(missing)}", file=sys.stderr)
            return 2
        path.write_text(replace_blocks(text, new), encoding="utf-8")
        print(f"rewrote {len(new)} blocks in {path}")
    else:
        print("\n".join(line for lines in new.values() for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
