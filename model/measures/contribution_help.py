"""Contribution help (代缴): government pays the minimum-tier resident pension contribution for
people in hardship. `000_14fca7413bbe244a.txt`: "上半年，我国共为 1538 万困难人员代缴城乡居民养老保险费".

Hardship people are working-age members of dibao households (and, when the measure extends to
them, of identified near-dibao households) who are eligible for the resident scheme.
"""

from __future__ import annotations

import numpy as np

from model.state import PolicyYear, YearState


def apply(s: YearState, p: PolicyYear) -> None:
    """Set `contribution_paid_by_government` and its (local) cost."""
    pop = s.pop
    hardship = s.cols["hh_dibao"] | (
        s.cols["hh_near_dibao_identified"] & (p["help.covers_near_dibao"] > 0)
    )  # per household
    paid = (
        s.cols["resident_pension_eligible"]
        & hardship[pop.hh]
        & (pop.u["u_help"] < p["help.hardship_paid_share"])
    )
    s.cols["contribution_paid_by_government"] = paid
    s.add_sparse(
        "contribution_help",
        "local",
        np.flatnonzero(paid),
        p["pension.resident_low_tier"],
        cash=False,
    )
