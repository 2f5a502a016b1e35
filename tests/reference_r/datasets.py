"""The two real data sets both sides read: lifelines' GBSG2 and R's survival::veteran.

Each comes as the frame R reads (one column per variable, the categorical one as text) and
the design matrix nec fits (0/1 dummy columns, the reference level left out), with what
the nomogram needs to know about its groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Dataset:
    name: str
    raw: pd.DataFrame  # what R reads: time, status, the continuous and the categorical one
    design: pd.DataFrame  # what nec fits: time, status, continuous, dummies
    continuous: str
    categorical: str
    levels: tuple  # reference first
    times: tuple  # survival axes, days
    ticks: tuple = (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1)

    @property
    def covariates(self) -> list[str]:
        return [c for c in self.design.columns if c not in ("time", "status")]

    @property
    def dummies(self) -> dict:
        return {level: f"{self.categorical}_{level}" for level in self.levels[1:]}

    def r_read(self) -> str:
        """R code reading ``data.csv`` with the categorical variable as a factor."""
        levels = ", ".join(f'"{v}"' for v in self.levels)
        return (f'd <- read.csv("data.csv", stringsAsFactors = FALSE)\n'
                f'd${self.categorical} <- factor(d${self.categorical}, levels = c({levels}))\n'
                f'fml <- Surv(time, status) ~ {self.continuous} + {self.categorical}\n')


def _design(raw, continuous, categorical, levels):
    design = raw[["time", "status", continuous]].copy()
    for level in levels[1:]:
        design[f"{categorical}_{level}"] = (raw[categorical] == level).astype(int)
    return design


@cache
def gbsg2() -> Dataset:
    from lifelines.datasets import load_gbsg2

    g = load_gbsg2()
    raw = pd.DataFrame({"time": g["time"].astype(float), "status": g["cens"].astype(int),
                        "tsize": g["tsize"].astype(float), "tgrade": g["tgrade"].astype(str)})
    levels = ("I", "II", "III")
    return Dataset("GBSG2", raw, _design(raw, "tsize", "tgrade", levels), "tsize", "tgrade",
                   levels, times=(365.0, 1095.0, 1825.0))


@cache
def veteran() -> Dataset:
    v = pd.read_csv(DATA / "veteran.csv")
    raw = pd.DataFrame({"time": v["time"].astype(float), "status": v["status"].astype(int),
                        "karno": v["karno"].astype(float), "celltype": v["celltype"]})
    levels = ("squamous", "smallcell", "adeno", "large")
    return Dataset("veteran", raw, _design(raw, "karno", "celltype", levels), "karno",
                   "celltype", levels, times=(30.0, 90.0, 180.0))


DATASETS = {"GBSG2": gbsg2, "veteran": veteran}
