"""What the app shows: headline cards, the measures planners can change, groups and sections.

Everything here is a list: to show a new metric as a card, add a `Card`; to let planners change
a new parameter, add a `Measure`. Labels come from `app/i18n.py` (one line per language). Cards
and sections whose metrics a result does not have are left out, so a metric the model does not
report yet (the service providers') never shows a made-up number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from model.provinces import PROVINCES


@dataclass(frozen=True)
class Card:
    """One headline number: `metric` for `group` in the chosen year, with its change.

    kind: "level" shows the value and its difference from the reference scenario; "gain" shows
    only the difference (e.g. people newly covered = insured here minus insured in the reference).
    good: which direction the delta arrow colours as an improvement ("neutral" for costs).
    """

    key: str
    metric: str
    group: str = "all"
    kind: Literal["level", "gain"] = "level"
    good: Literal["up", "down", "neutral"] = "up"


HEADLINE_CARDS: list[Card] = [
    Card("pension_coverage", "pension_coverage"),
    Card("medical_coverage", "medical_coverage"),
    Card("newly_pension", "pension_insured", kind="gain"),
    Card("newly_medical", "medical_insured", kind="gain"),
    Card("resident_medical", "medical_insured_resident"),
    Card("dibao", "dibao_recipients", good="neutral"),
    Card("poverty", "poverty_rate", good="down"),
    Card("cost_government", "cost.all", "government", good="neutral"),
    Card("cost_central", "cost.all", "central", good="neutral"),
    Card("cost_local", "cost.all", "local", good="neutral"),
    Card("cost_individuals", "cost.all", "individuals", good="neutral"),
    # service providers: shown once the model reports these metrics
    Card("childcare_enrolment", "childcare_enrolment_rate"),
    Card("nursing_beds", "elderly_nursing_beds"),
]
CARDS_PER_ROW = 4

# The main inputs each headline card depends on (parameters of model/registry.py; a test checks
# every name), linked from the cards to the Sources page.
CARD_INPUTS: dict[str, tuple[str, ...]] = {
    "pension_coverage": (
        "pension.resident_minimum",
        "pension.resident_contributor_share",
        "employee.flexible_enrolment",
        "hukou.limit_in_force",
    ),
    "medical_coverage": (
        "medical.resident_subsidy",
        "medical.resident_contribution",
        "medical.contribution_income_link",
        "medical.enrolment_price_coefficient",
    ),
    "newly_pension": (
        "employee.flexible_enrolment",
        "subsidy.si_subsidy_share",
        "hukou.limit_in_force",
    ),
    "newly_medical": ("medical.resident_subsidy", "medical.resident_contribution"),
    "resident_medical": (
        "medical.resident_subsidy",
        "medical.resident_contribution",
        "medical.contribution_income_link",
    ),
    "dibao": ("dibao.takeup_urban", "dibao.takeup_rural", "dibao.monitoring_in_force"),
    "poverty": (
        "outputs.poverty_line_share_of_median",
        "dibao.takeup_rural",
        "pension.resident_minimum",
    ),
    "cost_government": (
        "medical.resident_subsidy",
        "pension.resident_minimum",
        "childcare.child_subsidy",
        "subsidy.si_subsidy_share",
    ),
    "cost_central": (
        "medical.resident_subsidy",
        "pension.resident_minimum",
        "childcare.child_subsidy_central_share",
    ),
    "cost_local": ("medical.resident_subsidy", "dibao.takeup_rural", "childcare.voucher"),
    "cost_individuals": ("medical.resident_contribution", "medical.contribution_income_link"),
    "childcare_enrolment": (
        "childcare.public_slots_added",
        "childcare.voucher",
        "childcare.price_private",
    ),
    "nursing_beds": (
        "elderly.new_nursing_share",
        "elderly.conversion_rate",
        "elderly.public_beds_added",
    ),
}

# Headline cards of one province (group "province" stands for the chosen province's group).
PROVINCE_CARDS: list[Card] = [
    Card("prov_population", "population", "province", good="neutral"),
    Card("prov_60_plus", "population_60_plus", "province", good="neutral"),
    Card("prov_income", "disposable_income_mean", "province"),
    Card("prov_net_benefit", "net_benefit", "province"),
    Card("dibao", "dibao_recipients", "province", good="neutral"),
    Card("prov_dibao_urban", "dibao_standard_urban", "province"),
    Card("prov_dibao_rural", "dibao_standard_rural", "province"),
    Card("prov_resident_pension", "resident_pension_average", "province"),
    Card("prov_government", "spending.government", "province", good="neutral"),
    Card("prov_central", "spending.central", "province", good="neutral"),
    Card("prov_local", "spending.local", "province", good="neutral"),
    Card("prov_individuals", "spending.individuals", "province", good="neutral"),
]


# The compare page's area selector: the nation, then the 31 provinces by their pinyin keys.
PLACES: list[str] = ["national", *(p.key for p in PROVINCES)]


def province_cards(province: str) -> list[Card]:
    """PROVINCE_CARDS for one province (its pinyin key, e.g. "sichuan")."""
    return [replace(c, group=f"province_{province}") for c in PROVINCE_CARDS]


# Person groups for the "by group" chart, in display order (deciles are for net benefit).
PERSON_GROUPS: list[str] = [
    "all",
    "urban",
    "rural",
    "urban_hukou",
    "rural_hukou",
    "migrant",
    "non_migrant",
    "flexible_worker",
    "quintile_1",
    "quintile_2",
    "quintile_3",
    "quintile_4",
    "quintile_5",
    # by sex and age: population and relative poverty
    "male",
    "female",
    "age_0_15",
    "age_16_59",
    "age_60_plus",
    "age_65_plus",
    "age_80_plus",
]
DECILES: list[str] = [f"decile_{d}" for d in range(1, 11)]
PAYERS: list[str] = ["central", "local", "government", "individuals", "insurance_fund", "employers"]

# Metrics whose name contains one of these words belong to the service supply and demand section
# (childcare slots, nursing beds, primary care, waiting lists) once the providers report them.
SERVICE_WORDS: tuple[str, ...] = (
    "childcare_",
    "elderly_",
    "primary_",
    "medcom",
    "oop_",
    "outpatient",
)

# Service metrics charted by default (supply, demand left unserved, use); planners can add any other.
SERVICE_DEFAULT: list[str] = [
    "childcare_slots",
    "childcare_unmet_demand",
    "childcare_enrolment_rate",
    "elderly_nursing_beds",
    "elderly_unmet_need",
    "primary_visit_share",
]

# Metrics offered first in the chart pickers (any other metric of the result follows).
CHART_FIRST: list[str] = [
    "medical_coverage",
    "pension_coverage",
    "medical_insured_resident",
    "cost.all",
    "dibao_recipients",
    "poverty_rate",
    "net_benefit",
]


@dataclass(frozen=True)
class Measure:
    """A parameter planners change on the Adjust page.

    kind: "number" (in the parameter's unit), "percent" (a share shown as 0-100),
    "toggle" (0 or 1; `invert` when switching on means the value 0, as in lifting a limit).
    The allowed range is the registry's (app/messages.py refuses a value outside it next to the
    box). decimals: digits shown after the point.
    """

    param: str
    area: str
    kind: Literal["number", "percent", "toggle"] = "number"
    step: float = 1.0
    invert: bool = False
    decimals: int = 0

    @property
    def key(self) -> str:
        """The widget key (tests set widgets by it)."""
        return "m_" + self.param.replace(".", "_")

    def to_widget(self, value: float) -> float | bool:
        """The parameter's value as the widget shows it."""
        if self.kind == "toggle":
            return (value >= 0.5) != self.invert
        if self.kind == "percent":
            return round(value * 100, 6)
        return float(value)

    def from_widget(self, shown: float | bool) -> float:
        """The parameter's value for what the widget shows."""
        if self.kind == "toggle":
            return float(bool(shown) != self.invert)
        if self.kind == "percent":
            return float(shown) / 100
        return float(shown)


AREAS: list[str] = ["pension", "medical", "assistance", "services", "oneold"]

MEASURES: list[Measure] = [
    Measure("pension.resident_minimum", "pension", step=5),
    Measure("pension.match_high_tier", "pension", step=10),
    Measure("hukou.limit_in_force", "pension", kind="toggle", invert=True),
    Measure("subsidy.si_subsidy_share", "pension", kind="percent", step=1, decimals=1),
    Measure("help.covers_near_dibao", "pension", kind="toggle"),
    Measure("medical.resident_subsidy", "medical", step=10),
    Measure("medical.resident_contribution", "medical", step=10),
    Measure("near_dibao.medical_assistance", "medical", step=10),
    Measure("dibao.standard_scale", "assistance", kind="percent", step=5),
    Measure("dibao.monitoring_in_force", "assistance", kind="toggle"),
    Measure("near_dibao.identified_share", "assistance", kind="percent", step=5),
    Measure("services.residence_items", "services", step=1),
    Measure("childcare.public_slots_added", "oneold", step=10_000),
    Measure("childcare.voucher", "oneold", step=100),
    Measure("childcare.child_subsidy", "oneold", step=100),
    Measure("childcare.embedded_share", "oneold", kind="percent", step=5),
    Measure("elderly.new_nursing_share", "oneold", kind="percent", step=5, decimals=1),
    Measure("elderly.conversion_rate", "oneold", kind="percent", step=1),
    Measure("elderly.home_beds", "oneold", step=10_000),
    Measure("primary.medcom_counties", "oneold", step=10),
]

# Sizes offered for runs in the app: small enough to answer in seconds.
HOUSEHOLD_CHOICES: list[int] = [5_000, 10_000, 20_000, 50_000]
DEFAULT_HOUSEHOLDS = 20_000
MAX_REPLICATIONS = 5
# replications by default on the Compare page: enough for a t interval (sampling uncertainty)
DEFAULT_REPLICATIONS = 3
