"""Numbers as planners read them, by unit and language (万/亿 in Chinese, million/billion in English).

The Chinese forms reuse the command line's formatters (`minsheng.report`), so the app and the
printed table show the same figures.
"""

from __future__ import annotations

import math

from minsheng.report import NUM, PCT, WAN, YI

KNOWN_UNITS = frozenset(
    {
        "share",
        "persons",
        "households",
        "yuan/year",
        "yuan/person/year",
        "yuan/person/month",
        "yuan/month",
        "items",
        "multiple",
        "slots",
        "beds",
        "places",
        "institutions",
        "counties",
        "visits",
        "agents",
        "years",
        "slots/1000 persons",
        "persons/1000 persons",
        "slots/year",
        "beds/year",
        "places/year",
        "yuan/slot",
        "yuan/bed",
        "yuan/slot/year",
        "yuan/bed/year",
        "yuan/visit",
        "visits/person/year",
    }
)
# Counted things: the Chinese measure word and the English noun.
COUNT_NOUNS = {
    "persons": ("人", ""),
    "households": ("户", " households"),
    "slots": ("个托位", " slots"),
    "beds": ("张床位", " beds"),
    "places": ("张床位", " places"),
    "institutions": ("家", " institutions"),
    "counties": ("个县", " counties"),
    "visits": ("人次", " visits"),
    "agents": ("个", " agents"),
}


def _missing(v: float) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _zh_count(v: float, signed: bool) -> str:
    if abs(v) >= 1e8:
        return (YI[1] if signed else YI[0])(v)
    if abs(v) >= 1e4:
        return (WAN[1] if signed else WAN[0])(v)
    return f"{v:+,.0f}" if signed else f"{v:,.0f}"


def _en_count(v: float, signed: bool) -> str:
    sign = "+" if signed else ""
    if abs(v) >= 1e9:
        return f"{v / 1e9:{sign},.2f} bn"
    if abs(v) >= 1e6:
        return f"{v / 1e6:{sign},.1f} m"
    return f"{v:{sign},.0f}"


def _format(v: float, unit: str, lang: str, signed: bool) -> str:
    if _missing(v):
        return "—"
    sign = "+" if signed else ""
    if unit == "share":
        if signed:
            return PCT[1](v).replace("pt", "个百分点" if lang == "zh" else " pt")
        return PCT[0](v)
    if (
        unit.endswith("/year") and unit[: -len("/year")] in COUNT_NOUNS
    ):  # slots, beds or places added a year
        noun = COUNT_NOUNS[unit[: -len("/year")]]
        return (
            _zh_count(v, signed) + noun[0] + "/年"
            if lang == "zh"
            else _en_count(v, signed) + noun[1] + " a year"
        )
    if unit == "visits/person/year":
        return f"{v:{sign},.1f}" + ("次/人·年" if lang == "zh" else " visits per person a year")
    if unit in COUNT_NOUNS:
        noun = COUNT_NOUNS[unit]
        return _zh_count(v, signed) + noun[0] if lang == "zh" else _en_count(v, signed) + noun[1]
    if unit == "slots/1000 persons":
        return f"{v:{sign},.2f}" + ("个/千人" if lang == "zh" else " per 1,000 people")
    if unit == "persons/1000 persons":
        return f"{v:{sign},.1f}" + ("人/千人" if lang == "zh" else " per 1,000 people")
    if unit == "years":
        return f"{v:{sign},.1f}" + ("岁" if lang == "zh" else " years")
    if unit == "yuan/year":
        if lang == "zh":
            if abs(v) >= 1e11:  # 1,000亿 and more: whole 亿 are precise enough
                return f"{v / 1e8:{sign},.0f}亿元"
            if abs(v) < 1e8:
                return f"{v / 1e4:{sign},.0f}万元"
            return (YI[1] if signed else YI[0])(v) + "元"
        if abs(v) < 1e9:
            return ("+" if signed and v >= 0 else "-" if v < 0 else "") + f"¥{abs(v) / 1e6:,.1f} m"
        digits = 0 if abs(v) >= 1e12 else 1 if abs(v) >= 1e10 else 2
        return (
            "+" if signed and v >= 0 else "-" if v < 0 else ""
        ) + f"¥{abs(v) / 1e9:,.{digits}f} bn"
    if unit.startswith("yuan/"):
        per = {
            "yuan/person/year": ("元/人·年", " per person per year"),
            "yuan/person/month": ("元/人·月", " per person per month"),
            "yuan/month": ("元/月", " per month"),
            "yuan/slot": ("元/托位", " per slot"),
            "yuan/bed": ("元/床", " per bed"),
            "yuan/slot/year": ("元/托位·年", " per slot per year"),
            "yuan/bed/year": ("元/床·年", " per bed per year"),
            "yuan/visit": ("元/人次", " per visit"),
        }.get(unit, ("元", ""))
        digits = 0 if abs(v) >= 1000 or float(v).is_integer() else 1 if abs(v) >= 100 else 2
        if lang == "zh":
            return f"{v:{sign},.{digits}f}{per[0]}"
        return (
            "+" if signed and v >= 0 else "-" if v < 0 else ""
        ) + f"¥{abs(v):,.{digits}f}{per[1]}"
    if unit == "coefficient":
        return (NUM[1] if signed else NUM[0])(v)
    if unit == "items":
        return f"{v:{sign},.0f}" + ("项" if lang == "zh" else " items")
    if unit == "multiple":
        return f"{v:{sign},.2f}" + ("倍" if lang == "zh" else "x")
    return f"{v:{sign},.4g}"


def value(v: float, unit: str, lang: str) -> str:
    """A level, e.g. value(0.9565, "share", "zh") == "95.65%"; value(1.07e9, "persons", "zh") == "10.70亿人"."""
    return _format(v, unit, lang, signed=False)


def delta(v: float, unit: str, lang: str) -> str:
    """A difference, e.g. delta(0.0022, "share", "en") == "+0.22 pt"."""
    return _format(v, unit, lang, signed=True)


_SCALES: dict[str, dict[str, tuple[float, str]]] = {
    "share": {"zh": (100, "%"), "en": (100, "%")},
    "persons": {"zh": (1e-4, "万人"), "en": (1e-6, "million people")},
    "households": {"zh": (1e-4, "万户"), "en": (1e-6, "million households")},
    "yuan/year": {"zh": (1e-8, "亿元/年"), "en": (1e-9, "billion yuan/year")},
    "yuan/person/year": {"zh": (1, "元/人·年"), "en": (1, "yuan/person/year")},
    "yuan/person/month": {"zh": (1, "元/人·月"), "en": (1, "yuan/person/month")},
    "yuan/month": {"zh": (1, "元/月"), "en": (1, "yuan per month")},
    "coefficient": {"zh": (1, ""), "en": (1, "")},
    "slots": {"zh": (1e-4, "万个托位"), "en": (1e-6, "million slots")},
    "beds": {"zh": (1e-4, "万张床位"), "en": (1e-6, "million beds")},
    "places": {"zh": (1e-4, "万张床位"), "en": (1e-6, "million places")},
    "visits": {"zh": (1e-8, "亿人次"), "en": (1e-9, "billion visits")},
    "slots/1000 persons": {"zh": (1, "个/千人"), "en": (1, "per 1,000 people")},
    "persons/1000 persons": {"zh": (1, "人/千人"), "en": (1, "per 1,000 people")},
}


def scale(unit: str, lang: str) -> tuple[float, str]:
    """The factor and unit label for a chart axis, e.g. scale("yuan/year", "zh") == (1e-8, "亿元/年")."""
    return _SCALES.get(unit, {}).get(lang, (1, unit))
