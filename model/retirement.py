"""The statutory retirement age and the minimum contribution period of the employee pension.

The 2024 decision of the NPC Standing Committee (in force 1 January 2025) and the State Council
measures it approves (国务院关于渐进式延迟法定退休年龄的办法), Article 1: "从2025年1月1日起,男职工和
原法定退休年龄为五十五周岁的女职工,法定退休年龄每四个月延迟一个月,分别逐步延迟至六十三周岁和五十八周岁;
原法定退休年龄为五十周岁的女职工,法定退休年龄每二个月延迟一个月,逐步延迟至五十五周岁。"
Article 2: "从2030年1月1日起,将职工按月领取基本养老金最低缴费年限由十五年逐步提高至二十年,每年提高六个月。"

Read as the annex tables do: a person whose original retirement date (birth month plus the
original age) falls in the k-th month from January 2025 (k = 0, 1, ...) has it delayed by
k // step + 1 months (step 4, or 2 for women whose original age is 50), up to the target age:
a man born in January-April 1965 retires at 60 years and 1 month, one born in 1976 or later at
63. Every number is a scenario parameter (`retirement.*`), so a scenario can change the law.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model import kernels

GROUPS = ("men", "women55", "women50")  # the `ret_group` codes 0, 1, 2 of model.population


@dataclass(frozen=True)
class LawParams:
    """The law's schedule: per group the original and target ages (years) and the pace.

    `months_per_step[g]`: months of original retirement dates per month of delay.
    """

    start_year: int
    original_age: tuple[float, float, float]
    target_age: tuple[float, float, float]
    months_per_step: tuple[float, float, float]

    @classmethod
    def from_values(cls, p) -> LawParams:
        """From a year's parameter values (a PolicyYear or a dict of `retirement.*` values)."""
        return cls(
            start_year=int(p["retirement.law_start_year"]),
            original_age=tuple(float(p[f"retirement.{g}_original_age"]) for g in GROUPS),
            target_age=tuple(float(p[f"retirement.{g}_target_age"]) for g in GROUPS),
            months_per_step=tuple(float(p[f"retirement.{g}_months_per_step"]) for g in GROUPS),
        )


def statutory_age_months(
    birth_year: np.ndarray, birth_month: np.ndarray, group: np.ndarray, law: LawParams
) -> np.ndarray:
    """Statutory retirement age in months, by birth year, birth month (0-11) and group (0-2)."""
    original = (np.array(law.original_age) * 12.0)[group]
    target = np.maximum(np.array(law.target_age), np.array(law.original_age))[group] * 12.0
    step = np.array(law.months_per_step)[group]
    # months from January of the law's first year to the original retirement date
    k = (birth_year - law.start_year) * 12.0 + birth_month + original
    delay = np.where(k < 0, 0.0, np.floor(k / step) + 1.0)
    return np.minimum(original + delay, target)


def retirement_month(
    birth_year: np.ndarray, birth_month: np.ndarray, group: np.ndarray, law: LawParams
) -> np.ndarray:
    """The month (counted from year 0: year * 12 + month) in which each person reaches the age."""
    return (
        birth_year.astype(np.int64) * 12
        + birth_month
        + statutory_age_months(birth_year, birth_month, group, law)
    )


def reached_statutory_age(
    birth_year: np.ndarray, birth_month: np.ndarray, group: np.ndarray, year: int, law: LawParams
) -> np.ndarray:
    """True for people who reach their statutory retirement age by the end of `year`:
    ``retirement_month(...) <= year * 12 + 11``, in one compiled pass."""
    original = np.array(law.original_age) * 12.0
    target = np.maximum(np.array(law.target_age), np.array(law.original_age)) * 12.0
    return kernels.statutory_age_reached(
        birth_year,
        birth_month,
        group,
        original,
        target,
        np.array(law.months_per_step, dtype=np.float64),
        float(law.start_year),
        year * 12 + 11,
    )
