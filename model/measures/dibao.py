"""Low-income support: dibao (最低生活保障), targeting errors, dynamic monitoring, near-dibao.

A household qualifies when its per-capita income (other income plus pensions) is below its
province's standard (`003_37f00649db5601d2.txt`: "合理确定并调整最低生活保障标准,与城乡居民人均消费支出挂钩").
Households belong to the urban programme (urban hukou, living in towns) or the rural one, each
with its standard and its take-up (fitted to the recipients of end 2024); households living away
from their hukou place apply there and take it up less often. Take-up is below one (exclusion
error); households a little above the standard are sometimes included (inclusion error). Dynamic monitoring ("加强动态监测预警,及时纳入社会救助范围") brings in
a share of the excluded. The benefit fills the gap to the standard, with a floor. Households
between the standard and the near-dibao line (低保边缘家庭) may be identified; the same
household draw decides take-up and inclusion, so a higher standard never lowers recipients.
"""

from __future__ import annotations

import numpy as np

from model.kernels import dibao_households
from model.state import PolicyYear, YearState


def standards(s: YearState, p: PolicyYear) -> tuple[np.ndarray, np.ndarray]:
    """Each province's urban and rural dibao standards in force, yuan/person/year (31 each).

    The provinces' standards (`dibao.standard_urban.<province>`, uprated each year); with the
    consumption link, at least the linked share of the province's consumption (its mean income
    in the area times the national consumption ratio).
    """
    scale = 12.0 * p["dibao.standard_scale"]  # a year, and any change applied to every province
    urban = scale * p.provincial("dibao.standard_urban")
    rural = scale * p.provincial("dibao.standard_rural")
    level = s.income_level  # (provinces, 2): rural, urban income relative to the nation
    link_u, link_r = p["dibao.consumption_link_urban"], p["dibao.consumption_link_rural"]
    if link_u > 0:
        consumption = s.mean_income_urban * level[:, 1] * p["income.consumption_ratio_urban"]
        urban = np.maximum(urban, link_u * consumption)
    if link_r > 0:
        consumption = s.mean_income_rural * level[:, 0] * p["income.consumption_ratio_rural"]
        rural = np.maximum(rural, link_r * consumption)
    return urban, rural


def urban_programme_households(pop) -> np.ndarray:
    """Households of the urban dibao programme: an urban hukou and living in a town.

    The Ministry of Civil Affairs runs urban and rural dibao by hukou and place of registration
    (public-facts.md), so everyone else (rural residents, rural-hukou migrants in towns) falls
    under the rural programme and its standard.
    """
    return pop.hh_urban & pop.hh_urban_hukou


def apply(s: YearState, p: PolicyYear) -> None:
    """Set household dibao and near-dibao status and the dibao flows."""
    pop = s.pop
    std_u, std_r = standards(s, p)
    s.cols["_dibao_standard"] = (std_u, std_r)
    urban_programme = urban_programme_households(pop)
    s.cols["hh_dibao_urban_programme"] = urban_programme
    pensions_pc = s.cols["hh_pension_income"] / np.maximum(s.hh_size, 1)
    s.cols["hh_means_income_pc"] = s.other_pc + pensions_pc
    # households a little above the standard are included in error at a share of the base take-up
    eligible, recipient, near, identified, benefit = dibao_households(
        s.cols["hh_means_income_pc"],
        urban_programme,
        pop.hh_province,
        std_u,
        std_r,
        pop.hh_migrant,
        s.hh_size,
        pop.hh_u_dibao,
        pop.hh_u_near,
        p["dibao.takeup_urban"],
        p["dibao.takeup_rural"],
        p["dibao.monitoring_in_force"] * p["dibao.monitoring_takeup_gain"],
        p["dibao.migrant_takeup_factor"],
        p["dibao.inclusion_error"],
        p["near_dibao.line_multiple"],
        p["dibao.minimum_benefit_share"],
        p["near_dibao.identified_share"],
    )
    s.cols["hh_dibao_eligible"] = eligible
    s.cols["hh_dibao"] = recipient
    s.cols["hh_near_dibao_identified"] = identified
    s.cols["hh_near_dibao"] = near
    s.cols["hh_dibao_benefit"] = benefit
    central = p["dibao.central_share"]
    s.add_household("dibao", benefit, {"central": central, "local": 1 - central})
