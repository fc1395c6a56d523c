"""Low-income support: dibao (最低生活保障), targeting errors, dynamic monitoring, near-dibao.

A household qualifies when its per-capita income (other income plus pensions) is below the
standard (`003_37f00649db5601d2.txt`: "合理确定并调整最低生活保障标准,与城乡居民人均消费支出挂钩").
Take-up is below one (exclusion error); households a little above the standard are sometimes
included (inclusion error). Dynamic monitoring ("加强动态监测预警,及时纳入社会救助范围") brings in
a share of the excluded. The benefit fills the gap to the standard, with a floor. Households
between the standard and the near-dibao line (低保边缘家庭) may be identified; the same
household draw decides take-up and inclusion, so a higher standard never lowers recipients.
"""

from __future__ import annotations

import numpy as np

from model.state import PolicyYear, YearState


def standards(s: YearState, p: PolicyYear) -> tuple[float, float]:
    """Urban and rural dibao standards in force, yuan/person/year."""
    urban = 12.0 * p["dibao.standard_urban"]
    rural = 12.0 * p["dibao.standard_rural"]
    link_u, link_r = p["dibao.consumption_link_urban"], p["dibao.consumption_link_rural"]
    if link_u > 0:
        urban = max(urban, link_u * s.mean_income_urban * p["income.consumption_ratio_urban"])
    if link_r > 0:
        rural = max(rural, link_r * s.mean_income_rural * p["income.consumption_ratio_rural"])
    return urban, rural


def apply(s: YearState, p: PolicyYear) -> None:
    """Set household dibao and near-dibao status and the dibao flows."""
    pop = s.pop
    std_u, std_r = standards(s, p)
    s.cols["_dibao_standard"] = (std_u, std_r)
    hh_std = np.where(pop.hh_urban, std_u, std_r)
    pensions_pc = s.cols["hh_pension_income"] / np.maximum(s.hh_size, 1)
    means = s.other_pc + pensions_pc
    s.cols["hh_means_income_pc"] = means
    eligible = means < hh_std
    line = p["near_dibao.line_multiple"] * hh_std
    band = ~eligible & (means < line)
    takeup = p["dibao.takeup"]
    takeup = takeup + p["dibao.monitoring_in_force"] * p["dibao.monitoring_takeup_gain"] * (
        1 - takeup
    )
    u = pop.hh_u_dibao
    recipient = (eligible & (u < takeup)) | (band & (u < p["dibao.inclusion_error"]))
    s.cols["hh_dibao_eligible"] = eligible
    s.cols["hh_dibao"] = recipient
    near = band & ~recipient
    s.cols["hh_near_dibao_identified"] = near & (pop.hh_u_near < p["near_dibao.identified_share"])
    s.cols["hh_near_dibao"] = near

    gap_pc = np.maximum(hh_std - means, p["dibao.minimum_benefit_share"] * hh_std)
    central = p["dibao.central_share"]
    s.add_household(
        "dibao",
        np.where(recipient, gap_pc * s.hh_size, 0.0),
        {"central": central, "local": 1 - central},
    )
