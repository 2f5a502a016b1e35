"""A SYNTHETIC cohort in the image of Luo, Chen & Zhang 2024 (45 pNEC patients with liver
metastasis).

The paper's patients are not public. This module makes up 45 patients whose Table 1
*counts* and tumour-size median and IQR match the paper (the printed median age cannot be
matched: see :data:`TABLE1_CONFLICT`) and whose survival follows the paper's multivariable
Cox model (Table 3), so the book can show every step of the analysis on data of the same
shape. **Every number it produces is synthetic**; results computed from it illustrate
methods and say nothing about real patients.

How it is made (all deterministic from ``seed``):

- Sex, age group, resection and treatment have exactly the counts of Table 1, assigned to
  patients by independent random permutations (the paper gives no cross-tabulations, so
  none is assumed). The covariates are therefore **independent by construction**: in the
  synthetic cohort a large tumour is no less likely to be resected, and no treatment group
  is sicker, whereas in a real cohort these go together (confounding by indication). A
  chance imbalance in one draw (e.g. which patients with large tumours were resected) can
  hide or exaggerate a univariable difference.
- Tumour sizes are placed on a piecewise-linear quantile curve through the published median
  (4.4 cm) and interquartile range (1.8 cm) with exactly 10 of 45 above 5 cm, inside the
  nomogram's 1–10 cm axis.
- Ages honour the group counts (14 ≤ 60, 31 > 60). Table 1 also prints a median age of 53,
  which cannot be true when 31 of 45 patients are over 60; the counts are kept because they
  are what the analyses use, and the contradiction is reported in :data:`TABLE1_CONFLICT`.
- Survival: hazard ratios of Table 3 (size 1.457 per cm, no resection 5.666, chemotherapy
  or targeted 2.361, neither 7.804) on a Weibull baseline fitted to the 1-, 3- and 5-year
  survival of the nomogram's 0-point patient (:func:`nec.nomogram.luo2024`). So the
  synthetic patients follow the published model, baseline included.
- Censoring: independent, uniform between ``censor_min_months`` and ``censor_max_months``
  (stated assumption; the paper reports no censoring pattern).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nec import _validate

#: Fewest and most synthetic patients: below 20 the smallest Table 1 group (8 of 45 had
#: neither treatment) shrinks to 3 patients or fewer; a million is beyond any real cohort of
#: this rare tumour and only slows the book (an extra zero typed, not a wish).
MIN_PATIENTS = 20
MAX_PATIENTS = 1_000_000

#: The counts printed in Table 1 (n = 45).
TABLE1 = {
    "sex": {"female": 23, "male": 22},
    "age_group": {"<=60": 14, ">60": 31},
    "size_group": {"<=5": 35, ">5": 10},
    "resection": {"yes": 30, "no": 15},
    "treatment": {"chemotherapy and targeted": 12, "chemotherapy or targeted": 25,
                  "neither": 8},
}
TABLE1_SIZE_MEDIAN_CM = 4.4
TABLE1_SIZE_IQR_CM = 1.8
TABLE1_AGE_MEDIAN = 53

TABLE1_CONFLICT = (
    "Table 1 prints a median age of 53 years, yet 31 of the 45 patients (69 %) are in the "
    "'> 60' group: with more than half over 60, the median must exceed 60. At least one of "
    "the two figures is wrong; the synthetic cohort keeps the group counts."
)

#: Multivariable hazard ratios of Table 3 (size per cm from the Results text).
HAZARD_RATIOS = {"size_cm": 1.457, "resection_no": 5.666,
                 "treatment_either": 2.361, "treatment_neither": 7.804}

# Size quantile curve: (fraction of patients below, size in cm). Q1 3.2 and Q3 5.0 give the
# published IQR of 1.8 around the median 4.4; the 35th of 45 patients is the last <= 5 cm.
_SIZE_CURVE = ((0.0, 1.6), (0.25, 3.2), (0.5, 4.4), (0.75, 5.0), (35 / 45, 5.0),
               (35.5 / 45, 5.2), (1.0, 9.6))


@dataclass(frozen=True)
class SyntheticCohort:
    """The synthetic patients and how they were made."""

    data: object  # pandas.DataFrame, one row per synthetic patient
    seed: int
    baseline_weibull: tuple[float, float]  # (shape, scale in months) of the 0-point patient
    label: str = "SYNTHETIC cohort shaped like Luo 2024 Table 1 — not real patients"

    def table1(self):
        """The cohort's summaries laid out like the paper's Table 1, beside the printed ones.

        Columns ``variable``, ``level``, ``printed``, ``synthetic``. Every count matches;
        the size median and IQR match; the age median does not (the printed 53 contradicts
        the printed age groups, see :data:`TABLE1_CONFLICT`).
        """
        import pandas as pd

        d = self.data
        rows = []
        for variable, counts in TABLE1.items():
            column = {"size_group": "size_group", "age_group": "age_group"}.get(variable, variable)
            for level, printed in counts.items():
                rows.append({"variable": variable, "level": level, "printed": printed,
                             "synthetic": int((d[column] == level).sum())})
        q1, q3 = d["size_cm"].quantile([0.25, 0.75])
        rows.append({"variable": "size_cm", "level": "median", "printed": TABLE1_SIZE_MEDIAN_CM,
                     "synthetic": float(d["size_cm"].median())})
        rows.append({"variable": "size_cm", "level": "IQR", "printed": TABLE1_SIZE_IQR_CM,
                     "synthetic": round(float(q3 - q1), 2)})
        rows.append({"variable": "age", "level": "median", "printed": TABLE1_AGE_MEDIAN,
                     "synthetic": float(d["age_years"].median())})
        return pd.DataFrame(rows)


def _counts(table: dict[str, int], n: int) -> dict[str, int]:
    """Scale Table 1 counts to ``n`` patients, keeping them whole and summing to ``n``."""
    total = sum(table.values())
    raw = {k: v * n / total for k, v in table.items()}
    out = {k: math.floor(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: n - sum(out.values())]:
        out[k] += 1
    return out


def baseline_weibull() -> tuple[float, float]:
    """Weibull (shape, scale in months) through the nomogram's 0-point baseline survival.

    H₀(t) = (t / scale)^shape is fitted by least squares on log H₀ at 12, 36 and 60 months.
    """
    import numpy as np

    from nec.nomogram import luo2024

    s0 = luo2024().baseline_survival()
    t = np.array([12.0, 36.0, 60.0])
    log_h = np.log([-math.log(s0[1]), -math.log(s0[3]), -math.log(s0[5])])
    shape, intercept = np.polyfit(np.log(t), log_h, 1)
    scale = math.exp(-intercept / shape)
    return float(shape), float(scale)


@_validate.refuses_bad_arguments
def synthetic_luo2024(*, n=45, seed=2024, censor_min_months=6.0,
                      censor_max_months=150.0) -> SyntheticCohort:
    """Make the synthetic cohort (see the module docstring for every assumption).

    Parameters
    ----------
    n
        Number of patients (45 as in the paper; larger n keeps Table 1's proportions, for
        checking that a Cox fit recovers the coefficients).
    seed
        Seed of the random generator: the same seed always gives the same cohort.
    censor_min_months, censor_max_months
        Bounds of the uniform independent censoring time.

    Examples
    --------
    >>> cohort = synthetic_luo2024()
    >>> len(cohort.data), int((cohort.data["resection"] == "no").sum())
    (45, 15)
    """
    import numpy as np
    import pandas as pd

    n = _validate.count(n, name="The number of patients", low=MIN_PATIENTS, high=MAX_PATIENTS,
                        why="Fewer than 20 cannot hold Table 1's groups (8 patients had "
                            "neither treatment among 45); more is beyond any cohort of "
                            "this rare tumour.")
    seed = _validate.count(seed, name="The seed", low=0)
    lo = _validate.number(censor_min_months, name="The earliest censoring time",
                          unit=" months", low=0)
    hi = _validate.number(censor_max_months, name="The latest censoring time",
                          unit=" months", low=0)
    if hi <= lo:
        raise ValueError("The latest censoring time must be after the earliest.")
    rng = np.random.default_rng(seed)

    def column(variable):
        values = [level for level, k in _counts(TABLE1[variable], n).items() for _ in range(k)]
        return rng.permutation(np.array(values, dtype=object))

    sex, age_group = column("sex"), column("age_group")
    resection, treatment = column("resection"), column("treatment")
    fractions = (np.arange(n) + 0.5) / n
    xs, ys = zip(*_SIZE_CURVE, strict=True)
    sizes = np.round(np.interp(fractions, xs, ys), 1)
    n_large = _counts(TABLE1["size_group"], n)[">5"]
    sizes[n - n_large:] = np.maximum(sizes[n - n_large:], 5.1)
    sizes[: n - n_large] = np.minimum(sizes[: n - n_large], 5.0)
    sizes = rng.permutation(sizes)
    ages = np.where(age_group == "<=60", rng.integers(38, 61, n), rng.integers(61, 83, n))

    beta = {k: math.log(v) for k, v in HAZARD_RATIOS.items()}
    lp = ((sizes - 1.0) * beta["size_cm"]
          + (resection == "no") * beta["resection_no"]
          + (treatment == "chemotherapy or targeted") * beta["treatment_either"]
          + (treatment == "neither") * beta["treatment_neither"]).astype(float)
    shape, scale = baseline_weibull()
    # Inversion: S(t | x) = exp(-(t / scale)^shape * exp(lp)) = U.
    u = rng.uniform(size=n)
    event_time = scale * (-np.log(u) / np.exp(lp)) ** (1.0 / shape)
    censor_time = rng.uniform(lo, hi, size=n)
    months = np.minimum(event_time, censor_time)
    data = pd.DataFrame({
        "patient": [f"S{i + 1:03d}" for i in range(n)],
        "sex": sex, "age_years": ages, "age_group": age_group,
        "size_cm": sizes, "size_group": np.where(sizes > 5, ">5", "<=5"),
        "resection": resection, "treatment": treatment,
        "months": np.round(months, 2), "died": (event_time <= censor_time).astype(int),
    }).set_index("patient")
    return SyntheticCohort(data=data, seed=seed, baseline_weibull=(shape, scale))


#: The columns :func:`design_matrix` reads.
DESIGN_COLUMNS = ("size_cm", "resection", "treatment", "months", "died")


@_validate.refuses_bad_arguments
def design_matrix(data):
    """Numeric columns for a Cox fit: size, and 0/1 dummies against the lowest-risk levels.

    Reference levels: resection yes; chemotherapy and targeted therapy (as in Table 3).
    ``data`` is a cohort with the columns of :func:`synthetic_luo2024` (size_cm, resection,
    treatment, months, died); sizes must be positive numbers of cm, resection 'yes'/'no',
    treatment one of Table 1's three groups, and the outcome valid survival data.
    """
    import pandas as pd

    if isinstance(data, SyntheticCohort):  # the cohort itself is accepted as its data
        data = data.data
    _validate.dataframe(data, name="The cohort", columns=DESIGN_COLUMNS)
    _validate.survival_data(data, duration_col="months", event_col="died", name="The cohort")
    for value in data["size_cm"]:
        _validate.number(value, name="Tumour size", unit=" cm", low=0, low_inclusive=False)
    for column in ("resection", "treatment"):
        unknown = sorted(set(map(str, data[column])) - set(TABLE1[column]))
        if unknown:
            raise ValueError(f"The {column} column holds {', '.join(map(repr, unknown))}: "
                             f"the levels are {', '.join(map(repr, TABLE1[column]))}.")

    return pd.DataFrame({
        "size_cm": data["size_cm"].astype(float),
        "resection_no": (data["resection"] == "no").astype(int),
        "treatment_either": (data["treatment"] == "chemotherapy or targeted").astype(int),
        "treatment_neither": (data["treatment"] == "neither").astype(int),
        "months": data["months"].astype(float),
        "died": data["died"].astype(int),
    }, index=data.index)


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
