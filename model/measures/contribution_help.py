"""Contribution help (代缴): government pays the minimum-tier resident pension contribution for
people in hardship. `000_14fca7413bbe244a.txt`: "上半年，我国共为 1538 万困难人员代缴城乡居民养老保险费".

Hardship people are working-age members of dibao households (and, when the measure extends to
them, of identified near-dibao households) who are eligible for the resident scheme.
"""

from __future__ import annotations

import numpy as np

from model.state import PolicyYear, YearState


def hardship_households(s: YearState, p: PolicyYear) -> np.ndarray:
    """The households whose eligible working-age members may have their contribution paid: dibao
    households, and identified near-dibao households when the measure covers them (bool, one
    per household). Who is paid for, and its cost to local government, is booked with the other
    resident contributions in one compiled pass (`pension.contributions`)."""
    return s.cols["hh_dibao"] | (
        s.cols["hh_near_dibao_identified"] & (p["help.covers_near_dibao"] > 0)
    )
