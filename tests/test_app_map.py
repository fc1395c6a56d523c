"""The map of China by province: the committed boundaries and how values reach the map."""

from __future__ import annotations

import numpy as np
import pandas as pd

from app import map as china_map
from model.provinces import PROVINCES


def test_the_map_has_every_division_and_the_maritime_line():
    land, sea = china_map.features()
    keys = {f["properties"]["key"] for f in land}
    assert keys - {None} == {p.key for p in PROVINCES}
    codes = {f["properties"]["adcode"] for f in land}
    assert {710000, 810000, 820000} <= codes and len(land) == 34  # Taiwan, Hong Kong, Macao
    assert len(sea) == 1 and sea[0]["geometry"]["type"] == "MultiLineString"
    hainan = next(f for f in land if f["properties"]["key"] == "hainan")
    southern = min(pt[1] for poly in hainan["geometry"]["coordinates"] for pt in poly[0])
    assert southern < 5  # the South China Sea islands (Nansha, to about 4°N) are kept


def test_rings_are_wound_for_the_projection():
    """Outer rings clockwise (negative shoelace area in lon/lat), as d3-geo expects: the other
    way round a province is drawn as the whole sphere minus itself."""
    land, _ = china_map.features()
    for f in land:
        for poly in f["geometry"]["coordinates"]:
            p = np.asarray(poly[0])
            area = 0.5 * np.sum(p[:-1, 0] * p[1:, 1] - p[1:, 0] * p[:-1, 1])
            assert area <= 0, f["properties"]["name_en"]


def test_values_are_scaled_and_labelled():
    data = pd.DataFrame({"province": ["sichuan", "gansu"], "value": [5.7e9, -1.0e8]})
    v = china_map.map_values(data, "yuan/year", "zh", difference=True)
    assert list(v.key) == ["sichuan", "gansu"]
    assert list(v._value) == [57.0, -1.0]  # 亿元
    assert list(v._label) == ["+57.00亿元", "-1.00亿元"]
    share = china_map.map_values(
        pd.DataFrame({"province": ["beijing"], "value": [0.012]}), "share", "en", difference=True
    )
    assert share._value.iloc[0] == 1.2  # percentage points
    chart = china_map.province_map(data, "yuan/year", "en", difference=True).to_dict()
    assert len(chart["layer"]) == 3 and chart["projection"]["type"] == "conicEqualArea"
    outlined = china_map.province_map(data, "yuan/year", "en", True, highlight="gansu").to_dict()
    assert outlined["layer"][3]["transform"] == [{"filter": 'datum.properties.key === "gansu"'}]
