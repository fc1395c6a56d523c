"""Basic public services provided where people live (常住地), not by hukou.

`001_3ac9c84125cde09e.txt`: "这81项目前已经有62项实现了常住地提供". The share of the 81 national basic
public-service items provided by residence is the access migrants have where they live; the
medical measure and the providers use it.
"""

from __future__ import annotations

from model.state import PolicyYear, YearState

N_ITEMS = 81.0


def access_share(p: PolicyYear) -> float:
    """Share of the 81 items a migrant can use where they live."""
    return p["services.residence_items"] / N_ITEMS


def apply(s: YearState, p: PolicyYear) -> None:
    s.cols["migrant_access"] = access_share(p)
