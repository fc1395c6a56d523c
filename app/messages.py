"""Problems with a scenario in the page's language: what is wrong, with which parameter, what to do.

The loader (`model.scenario`, `model.yaml_reader`) reports each problem as (file, key, found,
allowed) in English for the command line. Here each is recognised by its shape (an unknown
parameter, a number out of its range, a missing key, a YAML syntax error, ...) and said again
in Chinese or English, naming the parameter by its label (`app.i18n.param_label`) and saying
what to do. A problem of a shape not recognised is still shown, in words of the page's language
around what the file contained. No Streamlit here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from app import fmt, i18n
from model.registry import REGISTRY

# keys of the scenario format, as planners read them
KEY_NAMES: dict[str, tuple[str, str]] = {
    "name": ("情景名称（name）", "the scenario's name (name)"),
    "title": ("情景标题（title）", "the scenario's title (title)"),
    "unit": ("单位（unit）", "the unit (unit)"),
    "values": ("数值表（values）", "the dated values (values)"),
    "value": ("数值（value）", "the value (value)"),
    "source": ("来源（source）", "the source (source)"),
    "quote": ("引文（quote）", "the quote (quote)"),
    "document": ("文件名（document）", "the document (document)"),
    "parameters": ("参数表（parameters）", "the parameters (parameters)"),
}

_RANGE = re.compile(r"^(-?[\d.e+-]+) to (-?[\d.e+-]+)\b")
_VALUE_AT = re.compile(r"^parameters\.(?P<param>.+)\.values\.(?P<year>\d{4})(?:\.(?P<rest>.+))?$")
_LINE = re.compile(r"^line (\d+), column (\d+)$")
_RULE = re.compile(r"^parameters\.(?P<params>.+) in (?P<year>\d{4})$")


# problems of an address (app/url_state.py): `allowed` names the message
URL_CODES = frozenset(
    {"url_start", "url_year", "url_too_long", "url_item", "url_twice", "not_adjustable"}
)


@dataclass(frozen=True)
class Message:
    """One problem said for people: `text` in the page's language; `where` the key in the file."""

    file: str
    where: str
    text: str


def t(msg_key: str, lang: str, **kw: object) -> str:
    """A message template of app/i18n.py (keys "msg.*")."""
    return i18n.t(f"msg.{msg_key}", lang, **kw)


def number(param: str, value: float, lang: str) -> str:
    """A value of `param` in its unit as the page writes it (e.g. "700元/人·年")."""
    unit = REGISTRY[param].unit if param in REGISTRY else ""
    if unit in fmt.KNOWN_UNITS:
        return fmt.value(value, unit, lang)
    return f"{value:g}"


def label(param: str, lang: str) -> str:
    """A parameter's label with its name: "育儿补贴（childcare.child_subsidy）"."""
    shown = i18n.param_label(param, lang)
    if shown == param:
        return f"`{param}`"
    return f"{shown}（`{param}`）" if lang == "zh" else f"{shown} (`{param}`)"


def range_text(param: str, lang: str) -> str:
    """The registry's allowed range of `param`, e.g. "0元/人·年至50,000元/人·年"."""
    spec = REGISTRY[param]
    return t("range", lang, lo=number(param, spec.lo, lang), hi=number(param, spec.hi, lang))


def suggestions(name: str, lang: str, n: int = 3) -> str:
    """The registered names closest to a misspelt one, by label, or "" if none is close."""
    close = difflib.get_close_matches(name, list(REGISTRY), n=n, cutoff=0.6)
    if not close:
        return ""
    return t(
        "did_you_mean",
        lang,
        names=("、" if lang == "zh" else ", ").join(label(c, lang) for c in close),
    )


def key_name(key: str, lang: str) -> str:
    """A key of the format as planners read it ("title" -> "情景标题（title）")."""
    pair = KEY_NAMES.get(key)
    return (pair[0] if lang == "zh" else pair[1]) if pair else f"`{key}`"


def position(where: str, lang: str) -> str:
    """Where in the file: "第3行第5列" for a line and column, else the key path."""
    m = _LINE.match(where)
    if m:
        return t("at_line", lang, line=m.group(1), column=m.group(2))
    return f"`{where}`"


def _missing(where: str, lang: str) -> str:
    last = where.rsplit(".", 1)[-1]
    m = _VALUE_AT.match(where)
    if m:
        return t(
            "missing_in_value",
            lang,
            field=key_name(last, lang),
            param=label(m["param"], lang),
            year=m["year"],
        )
    if where.startswith("parameters.") and where.removeprefix("parameters.") in REGISTRY:
        return t("missing_param", lang, param=label(where.removeprefix("parameters."), lang))
    if where.startswith("parameters.") and where.count(".") >= 2:
        param = where.removeprefix("parameters.").rsplit(".", 1)[0]
        if param in REGISTRY:
            return t("missing_in_param", lang, field=key_name(last, lang), param=label(param, lang))
    return t("missing_key", lang, field=key_name(last, lang))


def _value_problem(m: re.Match, found: str, allowed: str, lang: str) -> str | None:
    param, year, rest = m["param"], m["year"], m["rest"]
    if param not in REGISTRY:
        return None
    if rest is None and _RANGE.match(allowed):
        return t(
            "out_of_range",
            lang,
            param=label(param, lang),
            year=year,
            found=found,
            range=range_text(param, lang),
        )
    if rest == "value" or allowed.startswith(("a number", "a finite number")):
        return t("not_a_number", lang, param=label(param, lang), year=year, found=found)
    if rest and rest.startswith("source"):
        return t("bad_source", lang, param=label(param, lang), year=year)
    return None


def _yaml_problem(where: str, found: str, allowed: str, lang: str) -> str | None:
    if allowed.startswith("valid YAML"):
        return t("yaml_syntax", lang, at=position(where, lang))
    m = re.match(r"^duplicate key (.+) \(first at line (\d+)\)$", found)
    if m:
        return t("duplicate", lang, field=m.group(1), first=m.group(2), at=position(where, lang))
    if found.startswith("the keys ") and "which mean the same" in found:
        return t("duplicate_same", lang, at=position(where, lang))
    if found.startswith("the YAML tag "):
        return t("yaml_tag", lang, tag=found.removeprefix("the YAML tag "))
    if "not UTF-8" in found:
        return t("not_utf8", lang)
    if "bytes" in found and "at most" in allowed:
        return t("too_large", lang, found=found)
    if found.startswith("a document of more than") or "nested" in found:
        return t("too_complex", lang)
    return None


def explain(file: str, where: str, found: str, allowed: str, lang: str) -> Message:
    """One loader problem (file, key, found, allowed) said in `lang`, with what to do."""
    text = None
    if allowed in URL_CODES:
        name = where.removeprefix("parameters.")
        param = label(name, lang) if name in REGISTRY else name
        text = t(allowed, lang, found=found, param=param)
    elif found == "nothing (missing)":
        text = _missing(where, lang)
    elif found == "an unknown parameter" and where.startswith("parameters."):
        name = where.removeprefix("parameters.")
        text = t("unknown_param", lang, name=name, hint=suggestions(name, lang))
    elif found.startswith("an unknown key "):
        text = t("unknown_key", lang, field=found.removeprefix("an unknown key "))
    elif where == "extends":
        text = t("bad_extends", lang, found=found)
    elif where == "calibration":
        text = t("bad_calibration", lang, found=found)
    elif where == "name" and allowed.startswith("lower-case"):
        text = t("bad_name", lang, found=found)
    elif where == "…":
        text = t("omitted", lang, found=found)
    elif allowed.endswith("that loads (its problems follow)"):
        text = t("reached_from", lang, field=position(where, lang), found=found)
    elif where.endswith(".unit") and where.removeprefix("parameters.")[:-5] in REGISTRY:
        param = where.removeprefix("parameters.")[:-5]
        text = t("bad_unit", lang, param=label(param, lang), found=found, unit=REGISTRY[param].unit)
    elif _VALUE_AT.match(where):
        text = _value_problem(_VALUE_AT.match(where), found, allowed, lang)
    elif _RULE.match(where):
        m = _RULE.match(where)
        names = [n for n in re.split(r"[ ,/]+", m["params"]) if n in REGISTRY]
        sep = "、" if lang == "zh" else ", "
        shown = sep.join(label(n, lang) for n in names) or f"`{m['params']}`"
        text = t("inconsistent", lang, params=shown, year=m["year"])
    if text is None:
        text = _yaml_problem(where, found, allowed, lang)
    if text is None:
        text = t("other", lang, at=position(where, lang), found=found)
    return Message(file, where, text)


def explain_all(problems: list, lang: str) -> list[Message]:
    """Every problem (scenario_io.Problem or a (file, key, found, allowed) tuple) said in `lang`."""
    out = []
    for p in problems:
        parts = (p.file, p.where, p.found, p.allowed) if hasattr(p, "where") else tuple(p)
        out.append(explain(*parts, lang=lang))
    return out


def line(msg: Message, lang: str, show_where: bool = True) -> str:
    """One problem as a line of the page: the file, the sentence, and where in the file
    (`show_where=False` for problems that are not in a file, such as an address's)."""
    hidden = msg.where in ("-", "…") or _LINE.match(msg.where) or not show_where
    return t("line", lang, file=msg.file, text=msg.text) + (
        "" if hidden else t("line_where", lang, where=msg.where)
    )


def out_of_range(param: str, value: float, year: int, lang: str) -> str:
    """What an Adjust box says when its value is outside the registry's range."""
    return t(
        "out_of_range",
        lang,
        param=label(param, lang),
        year=year,
        found=number(param, value, lang),
        range=range_text(param, lang),
    )


def allowed(param: str, value: float) -> bool:
    """Whether `value` is within the registry's range for `param` (the loader's own check)."""
    spec = REGISTRY[param]
    return spec.lo <= value <= spec.hi
