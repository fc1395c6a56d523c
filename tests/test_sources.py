"""Every parameter value has a source, and every quoted source says what we claim."""

from __future__ import annotations

import dataclasses

import pytest

from model import load_scenario
from model.provinces import KEYS as PROVINCE_KEYS
from model.scenario import AssumptionSource, CalibratedSource, DocumentSource, ExternalSource, Value
from model.sources import normalise, unmatched_quotes
from tests.conftest import SCENARIOS, SHARED

ALL = sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "measures").glob("*.yaml"))
needs_shared = pytest.mark.skipif(
    not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not beside the checkout"
)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_value_has_a_source(path):
    sc = load_scenario(path)
    for name, series in sc.params.items():
        for v in series:
            src = v.source
            assert isinstance(
                src, (DocumentSource, ExternalSource, CalibratedSource, AssumptionSource)
            ), (name, v.year)
            text = {
                DocumentSource: "quote",
                ExternalSource: "says",
                CalibratedSource: "calibrated",
                AssumptionSource: "assumption",
            }[type(src)]
            assert len(getattr(src, text).strip()) >= 2, (name, v.year)


@needs_shared
@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_quotes_appear_in_their_documents(path):
    assert unmatched_quotes(load_scenario(path), SHARED) == []


@needs_shared
def test_a_wrong_quote_is_caught(baseline):
    bad = dataclasses.replace(baseline, params=dict(baseline.params))
    v = bad.params["medical.resident_subsidy"][0]
    bad.params["medical.resident_subsidy"] = [
        Value(
            v.year, v.value, DocumentSource(document="public-facts.md", quote="2024: at least 680")
        )
    ]
    assert unmatched_quotes(bad, SHARED) == [
        "medical.resident_subsidy 2024: '2024: at least 680' not found in public-facts.md"
    ]


def test_normalise_ignores_line_breaks_and_width():
    assert normalise("再增加30元，达到\n每人每年700元") == normalise("再增加30元,达到每人每年700元")


def test_calibrated_values_come_from_the_calibration_file(baseline):
    calibrated = {
        k
        for k, s in baseline.params.items()
        if any(isinstance(v.source, CalibratedSource) for v in s)
    }
    assert calibrated == {
        "demography.mortality_scale",
        "demography.mortality_decline",
        "demography.household_formation",
        "income.dagum_a_urban",
        "income.dagum_p_urban",
        "income.dagum_a_rural",
        "income.dagum_p_rural",
        "medical.enrolment_intercept",
        "employee.flexible_enrolment",
        "employee.medical_share",
        "dibao.takeup_urban",
        "dibao.takeup_rural",
        "pension.resident_contributor_share",
        "help.hardship_paid_share",
        "childcare.use_intercept",
        "childcare.unit_cost",
        "childcare.target_occupancy",
        "elderly.unit_cost",
        "elderly.target_occupancy",
        *(f"pension.resident_takeup.{k}" for k in PROVINCE_KEYS),
    }


def test_single_measure_files_agree_with_the_package(opinions, baseline):
    seen = set()
    for path in sorted((SCENARIOS / "measures").glob("*.yaml")):
        single = load_scenario(path)
        changed = {k for k in single.params if single.params[k] != baseline.params[k]}
        assert changed, path.name
        for k in changed:
            assert single.params[k] == opinions.params[k], (path.name, k)
        seen |= changed
    package_changes = {k for k in opinions.params if opinions.params[k] != baseline.params[k]}
    assert seen == package_changes


def test_every_assumption_is_listed_in_scope():
    scope = (SCENARIOS / "SCOPE.md").read_text(encoding="utf-8")
    missing = set()
    for path in ALL:
        for name, series in load_scenario(path).params.items():
            if (
                any(isinstance(v.source, AssumptionSource) for v in series)
                and f"`{name}`" not in scope
            ):
                missing.add(name)
    assert not missing, (
        f"assumption-sourced parameters not listed in scenarios/SCOPE.md: {sorted(missing)}"
    )


def test_a_value_whose_note_says_it_is_an_assumption_is_marked_as_one():
    """A quote or citation whose note calls the value assumed is an assumption, listed as one."""
    for path in ALL:
        for name, series in load_scenario(path).params.items():
            for v in series:
                note = getattr(v.source, "note", None) or ""
                if not isinstance(v.source, AssumptionSource):
                    assert "assum" not in note.lower(), (path, name, v.year, note)
