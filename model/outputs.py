"""The year's results as tidy rows: (group, metric, value, unit), national weighted totals.

Groups: ``all``; ``urban`` / ``rural`` (residence); ``urban_hukou`` / ``rural_hukou``;
``migrant`` / ``non_migrant``; ``flexible_worker``; ``quintile_1..5`` and ``decile_1..10`` of
household per-capita income other than the modelled transfers (policy-independent, so the same
people are in the same group in every scenario of a run); ``age_0_15``, ``age_16_59``,
``age_60_plus``, ``age_65_plus``, ``age_80_plus``, ``male`` and ``female`` for the population.
Dibao recipients, eligibility and benefits are by programme: ``urban`` is the urban programme
(urban hukou living in towns), ``rural`` the rural one (everyone else), as the Ministry of Civil
Affairs counts them. Costs are ``cost.<measure>`` with the payer as group (central, local,
individuals, insurance_fund, employers), in yuan/year; ``cost.all`` is also given by kind
(``government``: the fiscal cost; ``insurance_fund``: benefits the funds pay; ``contributions``:
what people and employers pay into the funds; ``employers_spending``).
"""

from __future__ import annotations

import numpy as np

from model import kernels
from model.age_structure import MAX_AGE
from model.kernels import bincount
from model.population import EMP_CHILD, EMP_FLEXIBLE, EMP_FORMAL, EMP_STUDENT
from model.provinces import KEYS as PROVINCE_KEYS
from model.provinces import N_PROVINCES
from model.state import KINDS, PAYERS, PolicyYear, YearState, cost_kind

Row = tuple[str, str, float, str]


def weighted_quantile_groups(
    values: np.ndarray, weights: np.ndarray, n: int, order: np.ndarray | None = None
) -> np.ndarray:
    """Group index 0..n-1 of each element: equal weighted shares after sorting by value.

    An element belongs to the group its cumulative-weight midpoint falls in. `order` (the
    argsort of `values`) may be passed when it is already known.
    """
    order = np.argsort(values, kind="stable") if order is None else order
    return kernels.quantile_groups(np.ascontiguousarray(weights, dtype=np.float64), order, n)


def value_order(values: np.ndarray) -> np.ndarray:
    """Indices that sort float `values` ascending, to a relative precision of about 2**-(43 - log2 n).

    One radix sort of integer keys instead of an argsort (about 4x faster at a million values):
    each key is the value's IEEE-754 bit pattern made order-preserving (negative values
    included), with its lowest bits replaced by the element's index. Values closer than the
    precision (2e-10 relative at a million values) count as ties and keep their index order;
    every statistic computed from the order differs from an exact sort by that much at most.
    """
    n = len(values)
    bits = max(1, (n - 1).bit_length())
    if bits > 30:
        return np.argsort(values)
    return kernels.value_order(values, bits)


class SortedDistribution:
    """A weighted distribution sorted once, for its mean, Gini, median, group means and poverty.

    Args:
        values: e.g. per-capita disposable income of each household.
        weights: e.g. persons each household represents (zero weights are allowed and count for
            nothing).
        order: the argsort of `values`, when already known.
    """

    def __init__(self, values: np.ndarray, weights: np.ndarray, order: np.ndarray | None = None):
        order = value_order(values) if order is None else order
        self.order = order
        self.x, self.w, self.cw, self.cxw = kernels.sorted_sums(
            np.ascontiguousarray(values, dtype=np.float64),
            np.ascontiguousarray(weights, dtype=np.float64),
            order,
        )
        self.total = float(self.cw[-1])

    def mean(self) -> float:
        return float(self.cxw[-1] / self.total)

    def gini(self) -> float:
        """Gini coefficient (0 = equal, 1 = one takes all): one minus twice the area under the
        Lorenz curve, by trapezoids."""
        lorenz = self.cxw / self.cxw[-1]
        area = (lorenz @ self.w + lorenz[:-1] @ self.w[1:]) / (2 * self.total)
        return float(1 - 2 * area)

    def median(self) -> float:
        return float(self.x[np.searchsorted(self.cw, self.total / 2)])

    def sides(self, side: np.ndarray) -> list[tuple[float, float]]:
        """Mean and median of the elements where `side` (a boolean array in the values' own
        order) is False, then where it is True; NaN for a side without weight."""
        total, xw, median = kernels.sides_mean_median(self.x, self.w, self.order, side)
        return [
            (float(xw[k] / total[k]), float(median[k])) if total[k] > 0 else (np.nan, np.nan)
            for k in (0, 1)
        ]

    def _sum_to(self, cum: np.ndarray, k: np.ndarray) -> np.ndarray:
        """cum summed over the first k elements (0 for k = 0)."""
        return np.where(k > 0, cum[np.maximum(k - 1, 0)], 0.0)

    def group_means(self, n: int) -> np.ndarray:
        """Weighted mean of each of `n` equal-weight groups (lowest first), by the midpoint rule
        of `weighted_quantile_groups`."""
        mid = (self.cw - 0.5 * self.w) / self.total * n  # non-decreasing
        bounds = np.r_[0, np.searchsorted(mid, np.arange(1, n), side="left"), len(mid)]
        wsum = np.diff(self._sum_to(self.cw, bounds))
        xwsum = np.diff(self._sum_to(self.cxw, bounds))
        return np.divide(xwsum, wsum, out=np.full(n, np.nan), where=wsum > 0)

    def below(self, line: float) -> tuple[float, float]:
        """Weight of the values below `line`, and their summed shortfall sum(w * (line - max(x, 0))).

        Values below zero (contributions above income) count as zero income, so no one's
        shortfall exceeds the line and the poverty gap is a share.
        """
        k = np.searchsorted(self.x, [line, 0.0], side="left")
        k[1] = min(k[1], k[0])
        weight = float(self._sum_to(self.cw, k[:1])[0])
        below_line, below_zero = self._sum_to(self.cxw, k)
        return weight, line * weight - float(below_line - below_zero)


# Person groups reported for coverage: each is a set of cells of the partition
# residence (2) x hukou (2) x migrant (2) x flexible worker (2) x income quintile (5).
_CELLS = np.arange(80)
_RES, _HUK, _MIG, _FLEX, _QUINT = (
    _CELLS % 2,
    (_CELLS // 2) % 2,
    (_CELLS // 4) % 2,
    (_CELLS // 8) % 2,
    _CELLS // 16,
)
GROUP_CELLS: dict[str, np.ndarray] = {
    "all": np.ones(80, bool),
    "urban": _RES == 1,
    "rural": _RES == 0,
    "urban_hukou": _HUK == 1,
    "rural_hukou": _HUK == 0,
    "migrant": _MIG == 1,
    "non_migrant": _MIG == 0,
    "flexible_worker": _FLEX == 1,
    **{f"quintile_{q + 1}": _QUINT == q for q in range(5)},
}


def person_cells(s: YearState) -> np.ndarray:
    """Each person's cell of the group partition (see GROUP_CELLS)."""
    pop = s.pop
    household_part = (
        pop.hh_urban + 4 * pop.hh_migrant.astype(np.int16) + 16 * s.cols["_hh_quintile"]
    )
    return kernels.person_codes(
        pop.hh, household_part, (pop.urban_hukou, pop.emp == EMP_FLEXIBLE), (2, 8)
    )


REPORT_GROUPS = (
    "all",
    "urban",
    "rural",
    "migrant",
    "non_migrant",
    *(f"quintile_{q}" for q in range(1, 6)),
)


def group_ratios(
    cell: np.ndarray, num: np.ndarray, den: np.ndarray, groups=REPORT_GROUPS
) -> list[tuple[str, float]]:
    """sum(num) / sum(den) within each group, for persons given by their cells (one pass each)."""
    n = bincount(cell, weights=num, minlength=80)
    d = bincount(cell, weights=den, minlength=80)
    out = []
    for g in groups:
        dd = d[GROUP_CELLS[g]].sum()
        out.append((g, float(n[GROUP_CELLS[g]].sum() / dd) if dd > 0 else float("nan")))
    return out


AGE_GROUPS = {
    "age_0_15": (0, 15),
    "age_16_59": (16, 59),
    "age_60_plus": (60, None),
    "age_65_plus": (65, None),
    "age_80_plus": (80, None),
}


def age_sex_rows(tallies: kernels.PersonTallies) -> list[Row]:
    """Population by age group and by sex (the tallies' weighted count by age and sex)."""
    by = tallies.by_age_sex.reshape(-1, 2)
    rows = [
        (g, "population", float(by[lo : None if hi is None else hi + 1].sum()), "persons")
        for g, (lo, hi) in AGE_GROUPS.items()
    ]
    rows += [
        ("male", "population", float(by[:, 0].sum()), "persons"),
        ("female", "population", float(by[:, 1].sum()), "persons"),
    ]
    return rows


# the flags of the year's tallies whose totals are reported: a tuple stands for the persons in
# any of its flags (see `year_tallies` for the flags)
COUNTED = {
    "pension_insured_employee": ("in_employee_working", "pension_employee_recipient"),
    "pension_insured_resident": ("pension_resident_contributor", "pension_resident_recipient"),
    "medical_insured_employee": ("medical_employee",),
    "medical_insured_resident": ("medical_resident",),
    "pension_recipients_employee": ("pension_employee_recipient",),
    "pension_recipients_resident": ("pension_resident_recipient",),
    "pension_recipients": ("pension_employee_recipient", "pension_resident_recipient"),
    "resident_pension_contributors": ("pension_resident_contributor",),
    "resident_pension_high_tier": ("pension_high_tier",),
    "contributions_paid_by_government": ("contribution_paid_by_government",),
    "si_subsidised_workers": ("si_subsidised",),
    "migrant_workers_in_towns": ("migrant_worker_in_town",),
}
PENSION_INSURED = (
    "in_employee_working",
    "pension_employee_recipient",
    "pension_resident_recipient",
    "pension_resident_contributor",
)


def year_tallies(s: YearState, poor_household: np.ndarray) -> kernels.PersonTallies:
    """The year's weighted person counts, in one pass over the persons: by group cell (adults,
    the pension- and medical-insured, the flexible workers enrolled), by province (people 60+,
    resident and employee pension recipients), by age and sex, by age band and sex with those
    in `poor_household`s, and every total of `COUNTED`."""
    pop, c = s.pop, s.cols
    flags = {
        name: c[name]
        for name in (
            *PENSION_INSURED,
            "medical_employee",
            "medical_resident",
            "flexible_enrolled",
            "pension_high_tier",
            "contribution_paid_by_government",
            "si_subsidised",
        )
    }
    flags["adult"] = (pop.age >= 16) & (pop.emp != EMP_STUDENT) & (pop.emp != EMP_CHILD)
    flags["aged_60_plus"] = pop.age >= 60
    # 进城农民工: rural-hukou people with non-farm jobs living in towns
    flags["migrant_worker_in_town"] = (
        s.urban & ~pop.urban_hukou & ((pop.emp == EMP_FORMAL) | (pop.emp == EMP_FLEXIBLE))
    )
    return kernels.person_tallies(
        s.w,
        flags,
        s.cols["_cell"],
        ~8,
        [
            ("adult",),
            PENSION_INSURED,
            ("medical_employee", "medical_resident"),
            ("flexible_enrolled",),
        ],
        80,
        s.person_province,
        [("aged_60_plus",), ("pension_resident_recipient",), ("pension_employee_recipient",)],
        N_PROVINCES,
        pop.age,
        pop.sex,
        _BAND_OF_AGE,
        pop.hh,
        poor_household,
    )


def collect(s: YearState, p: PolicyYear) -> list[Row]:
    """All metrics of one year, after every measure has run."""
    pop = s.pop
    c = s.cols
    rows: list[Row] = []
    hh_pw = s.hh_persons

    # households (empty ones weigh nothing) by per-capita disposable income, sorted once; its
    # poverty line tells which households are poor, which the persons' tallies count
    cash_hh, in_kind_hh = s.household_flows()
    disp_values = s.other_pc + cash_hh / np.maximum(s.hh_size, 1)
    disp = SortedDistribution(disp_values, hh_pw)
    line = p["outputs.poverty_line_share_of_median"] * disp.median()
    poor_household = disp_values < line
    tallies = year_tallies(s, poor_household)

    # groups: one cell code per person, then one weighted count per cell and metric: everyone,
    # everyone by the cells' policy-independent parts (all but the flexible-worker bit, which
    # follows retirement and so membership: every scenario adds the same numbers in the same
    # order, so populations are equal to the last bit across scenarios), and the adults, the
    # insured and the flexible workers enrolled. Every pension-insured person is an adult
    # (workers, pensioners and contributors are 16+ and neither children nor students;
    # tests/test_model.py checks it), so they are also the numerator of adult coverage.
    hh_dec = s.cols["_hh_decile"]
    n_all, n_static = tallies.everyone, tallies.static
    n_adult, n_pens, n_med, n_flex_enrolled = tallies.by_cell
    n_pens_adult = n_pens

    def population_of(group: str, cells: np.ndarray) -> float:
        return float((n_all if group == "flexible_worker" else n_static)[cells].sum())

    def ratio(num: float, den: float) -> float:
        return num / den if den > 0 else float("nan")

    for g, cells in GROUP_CELLS.items():
        rows.append((g, "population", population_of(g, cells), "persons"))
        rows.append(
            (g, "pension_coverage", ratio(n_pens_adult[cells].sum(), n_adult[cells].sum()), "share")
        )
        rows.append((g, "medical_coverage", ratio(n_med[cells].sum(), n_all[cells].sum()), "share"))
        rows.append((g, "pension_insured", n_pens[cells].sum(), "persons"))
        rows.append((g, "medical_insured", n_med[cells].sum(), "persons"))
    flex_cells = GROUP_CELLS["flexible_worker"]
    for g in ("all", "migrant", "non_migrant"):
        cells = flex_cells & GROUP_CELLS[g]
        rows.append(
            (
                g,
                "flexible_in_employee_scheme",
                ratio(n_flex_enrolled[cells].sum(), n_all[cells].sum()),
                "share",
            )
        )

    rows += age_sex_rows(tallies)
    occupied = s.hh_size > 0  # households whose members have all died or left count no more
    n_households = float(pop.hh_weight @ occupied)
    rows += [
        ("all", "households", n_households, "households"),
        ("all", "household_size_mean", float(hh_pw.sum()) / n_households, "persons"),
    ]
    # weighted persons with any of these flags (the tallies' pattern sums)
    rows += [("all", name, tallies.total(*flags), "persons") for name, flags in COUNTED.items()]
    rows += [
        ("all", "near_dibao_identified", float(hh_pw @ c["hh_near_dibao_identified"]), "persons"),
        (
            "all",
            "resident_medical_contribution",
            float(c["medical_resident_contribution"]),
            "yuan/person/year",
        ),
        ("all", "migrant_service_access", float(c["migrant_access"]), "share"),
    ]
    # national average standards: the provinces' standards weighted by the programmes' persons
    prog = c["hh_dibao_urban_programme"]
    code = prog.view(np.uint8)  # 1: urban programme, 0: rural
    dibao_persons = hh_pw * c["hh_dibao"]
    # persons and recipients by province and programme (row: province; column: programme)
    by_province, recipients_by = (
        sums.reshape(-1, 2)
        for sums in kernels.group_sums(
            pop.hh_province.astype(np.intp) * 2 + code, [hh_pw, dibao_persons], 2 * N_PROVINCES
        )
    )
    std = {}
    for a, area in ((1, "urban"), (0, "rural")):
        persons = by_province[:, a]
        std[area] = float(c["_dibao_standard"][1 - a] @ persons / max(persons.sum(), 1e-9))
        rows.append((area, "dibao_standard", std[area] / 12, "yuan/person/month"))
    # dibao by programme (urban: urban hukou living in towns; rural: everyone else), as the
    # Ministry of Civil Affairs counts its recipients
    eligible_persons = hh_pw * c["hh_dibao_eligible"]
    benefit = c["hh_dibao_benefit"]
    for g, v in (
        ("all", float(dibao_persons.sum())),
        ("urban", float(dibao_persons @ prog)),
        ("rural", float(dibao_persons.sum() - dibao_persons @ prog)),
    ):
        rows.append((g, "dibao_recipients", v, "persons"))
    rows.append(
        ("all", "dibao_households", float(np.sum(pop.hh_weight[c["hh_dibao"]])), "households")
    )
    for g, v in (
        ("all", float(eligible_persons.sum())),
        ("urban", float(eligible_persons @ prog)),
        ("rural", float(eligible_persons.sum() - eligible_persons @ prog)),
    ):
        rows.append((g, "dibao_eligible", v, "persons"))
    paid_by, persons_by = kernels.group_sums(code, [(pop.hh_weight, benefit), dibao_persons], 2)
    # the standard the recipients face: their provinces' standards, weighted by recipients
    for a, g, paid, persons in (
        (1, "urban", paid_by[1], persons_by[1]),
        (0, "rural", paid_by[0], persons_by[0]),
    ):
        per_month = paid / persons / 12 if persons > 0 else float("nan")
        rows.append((g, "dibao_benefit_mean", per_month, "yuan/person/month"))
        faced = c["_dibao_standard"][1 - a] @ recipients_by[:, a] / persons if persons > 0 else 0.0
        to_standard = per_month * 12 / faced if faced > 0 else float("nan")  # no standard
        rows.append((g, "dibao_benefit_to_standard", to_standard, "share"))
    rows.append(
        (
            "all",
            "dibao_eligible_not_receiving",
            float(np.sum(hh_pw[c["hh_dibao_eligible"] & ~c["hh_dibao"]])),
            "persons",
        )
    )

    # money: costs by measure and payer; net benefit and disposable income
    totals = s.costs
    measures = sorted({m for m, _ in totals})
    for m in measures:
        for payer in PAYERS:
            if (m, payer) in totals:
                rows.append((payer, f"cost.{m}", totals[(m, payer)], "yuan/year"))
    for payer in PAYERS:
        rows.append(
            (payer, "cost.all", sum(v for (m, pp), v in totals.items() if pp == payer), "yuan/year")
        )
    # by kind: government spending (the fiscal cost), insurance-fund spending, contributions the
    # funds receive from people and employers, employers' own spending
    for kind in (k for k in KINDS if k not in PAYERS):  # insurance_fund is a payer already
        rows.append(
            (
                kind,
                "cost.all",
                sum(v for (m, pp), v in totals.items() if cost_kind(m, pp) == kind),
                "yuan/year",
            )
        )

    net_hh = cash_hh + in_kind_hh
    rows.append(("all", "disposable_income_mean", disp.mean(), "yuan/person/year"))
    rows.append(("all", "disposable_income_median", disp.median(), "yuan/person/year"))
    rural, urban = disp.sides(pop.hh_urban)
    for g, (mean, median) in (("urban", urban), ("rural", rural)):
        rows.append((g, "disposable_income_mean", mean, "yuan/person/year"))
        rows.append((g, "disposable_income_median", median, "yuan/person/year"))
    rows.append(("all", "gini_disposable_income", disp.gini(), "coefficient"))
    # NBS-style quintile means: households ranked by per-capita disposable income
    for q, mean in enumerate(disp.group_means(5)):
        rows.append((f"quintile_{q + 1}", "income_quintile_mean", float(mean), "yuan/person/year"))
    poor, shortfall = disp.below(line)
    rows.append(("all", "poverty_line", line, "yuan/person/year"))
    rows.append(("all", "poverty_headcount", poor, "persons"))
    rows.append(("all", "poverty_rate", poor / disp.total, "share"))
    gap = shortfall / (line * disp.total) if line > 0 else 0.0  # a line of 0: nobody below it
    rows.append(("all", "poverty_gap", gap, "share"))
    rows += poverty_by_group(s, tallies, poor_household)
    dec_net = bincount(hh_dec, weights=pop.hh_weight * net_hh, minlength=10)
    dec_persons = bincount(hh_dec, weights=hh_pw, minlength=10)
    for d in range(10):
        rows.append(
            (
                f"decile_{d + 1}",
                "net_benefit",
                float(dec_net[d] / dec_persons[d]) if dec_persons[d] else 0.0,
                "yuan/person/year",
            )
        )
    rows += province_rows(s, disp_values, net_hh, tallies)
    return rows


# the persons' bands for poverty by age: 0-15, 16-59, 60-64, 65-79, 80+
_AGE_BANDS = np.array([0, 16, 60, 65, 80])
_BAND_OF_AGE = (np.searchsorted(_AGE_BANDS, np.arange(MAX_AGE + 2), side="right") - 1).astype(
    np.int8
)
_AGE_GROUP_BANDS = {
    "age_0_15": [0],
    "age_16_59": [1],
    "age_60_plus": [2, 3, 4],
    "age_65_plus": [3, 4],
    "age_80_plus": [4],
}


def poverty_by_group(
    s: YearState, tallies: kernels.PersonTallies, poor_household: np.ndarray
) -> list[Row]:
    """Relative poverty rate (persons in households below the line, share) by residence, sex and
    age group: every member of a poor household is poor (the tallies of `poor_household`)."""
    pop = s.pop
    everyone, poor_by = tallies.band_all, tallies.band_poor
    rows = []
    for g, bands in _AGE_GROUP_BANDS.items():
        rows.append((g, "poverty_rate", poor_by[bands].sum() / everyone[bands].sum(), "share"))
    for sex, g in ((0, "male"), (1, "female")):
        rows.append((g, "poverty_rate", poor_by[:, sex].sum() / everyone[:, sex].sum(), "share"))
    persons, poor = kernels.group_sums(
        kernels.as_bytes(pop.hh_urban), [s.hh_persons, (s.hh_persons, poor_household)], 2
    )
    for area, g in ((1, "urban"), (0, "rural")):
        rows.append((g, "poverty_rate", poor[area] / persons[area], "share"))
    return rows


def household_table(s: YearState) -> dict[str, np.ndarray]:
    """One row per household of the year, after every measure: what `model.gains` compares.

    Columns: ``weight`` (households it stands for), ``persons`` (members; 0 for a household
    whose members have all died or left), ``urban``, ``province`` (index into
    model.provinces.PROVINCES), ``decile`` (0-9, of per-capita income other than the modelled
    transfers: the same in every scenario), ``disposable_income_pc`` (yuan/person/year) and
    ``net_benefit`` (the household's cash and in-kind net receipts, yuan/year).
    """
    cash, in_kind = s.household_flows()
    return {
        "weight": s.pop.hh_weight.copy(),
        "persons": s.hh_size.copy(),
        "urban": s.pop.hh_urban.copy(),
        "province": s.pop.hh_province.copy(),
        "decile": s.cols["_hh_decile"].copy(),
        "disposable_income_pc": s.other_pc + cash / np.maximum(s.hh_size, 1),
        "net_benefit": cash + in_kind,
    }


def province_rows(
    s: YearState, disposable_pc: np.ndarray, net_hh: np.ndarray, tallies: kernels.PersonTallies
) -> list[Row]:
    """The headline metrics of each province (group ``province_<pinyin>``), one weighted count
    per metric and province.

    Money: ``spending.<payer>`` (yuan/year) is what each payer spends in the province on the
    modelled measures (``spending.individuals``: the contributions people there pay), and
    ``spending.government`` the central and local governments' together; ``spending.central`` is
    what the centre pays to (or for) the province. Lumps not paid to persons count where the
    measure says where they are spent (provider subsidies and construction where the slots and
    beds are); ``spending.unallocated`` in group ``all`` is what no province was given (zero
    for every measure modelled now; without contributions).
    """
    pop, c = s.pop, s.cols
    n = N_PROVINCES
    hh_pw = s.hh_persons
    persons, dibao, disposable, net = kernels.group_sums(
        pop.hh_province,
        [hh_pw, (hh_pw, c["hh_dibao"]), (hh_pw, disposable_pc), (pop.hh_weight, net_hh)],
        n,
    )
    resident_paid = c["_resident_pension_paid"]  # weighted yuan/month by province
    # persons 60+, resident and employee pension recipients by province (the year's tallies)
    aged_60_plus, recipients_resident, recipients_employee = tallies.by_province
    metrics: list[tuple[str, np.ndarray, str]] = [
        ("population", persons, "persons"),
        ("population_60_plus", aged_60_plus, "persons"),
        ("dibao_recipients", dibao, "persons"),
        ("dibao_standard_urban", c["_dibao_standard"][0] / 12, "yuan/person/month"),
        ("dibao_standard_rural", c["_dibao_standard"][1] / 12, "yuan/person/month"),
        ("pension_recipients_resident", recipients_resident, "persons"),
        ("pension_recipients_employee", recipients_employee, "persons"),
        (
            "resident_pension_average",
            np.divide(
                resident_paid, recipients_resident, out=np.zeros(n), where=recipients_resident > 0
            ),
            "yuan/person/month",
        ),
        (
            "disposable_income_mean",
            np.divide(disposable, persons, out=np.zeros(n), where=persons > 0),
            "yuan/person/year",
        ),
        (
            "net_benefit",
            np.divide(net, persons, out=np.zeros(n), where=persons > 0),
            "yuan/person/year",
        ),
    ]
    paid = {payer: np.zeros(n) for payer in PAYERS}
    for (_, payer), amounts in s.costs_by_province.items():
        paid[payer] += amounts
    metrics += [(f"spending.{payer}", paid[payer], "yuan/year") for payer in PAYERS]
    metrics.append(("spending.government", paid["central"] + paid["local"], "yuan/year"))
    rows = [
        (f"province_{key}", metric, float(values[i]), unit)
        for metric, values, unit in metrics
        for i, key in enumerate(PROVINCE_KEYS)
    ]
    unallocated = sum(
        v
        for key, v in s.costs.items()
        if key not in s.costs_by_province and key[1] != "individuals"
    )
    rows.append(("all", "spending.unallocated", float(unallocated), "yuan/year"))
    return rows
