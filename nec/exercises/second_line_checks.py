"""Checkers for the chapter on second-line options and the case study."""

from __future__ import annotations

import math

from nec.exercises._core import (
    _near,
    _number,
    exercise,
)

# --- Chapter: second-line options and the case study ------------------------------------------

@exercise(
    "secondline-exponential-6m",
    "second_line",
    "FOLFIRI alone in BEVANEC had a median overall survival of 8.9 months. What 6-month "
    "survival does the exponential curve with that median give (in %, one decimal)? The "
    "trial reported 60 %.",
)
def _secondline_exponential_6m(answer):
    from nec.survival_curves import exponential_survival

    value = _number(answer)
    if value is None:
        return False, "Give the 6-month survival as a number in %."
    from nec.evidence import load_evidence

    arm = load_evidence().loc["walter2023_folfiri"]
    median, observed = float(arm["median_os_months"]), float(arm["os_6m_pct"])
    expected = 100 * exponential_survival(6, median_months=median)
    if _near(value, expected, 0.051):
        return True, (f"{expected:.1f} %, against {observed:g} % observed: near the median the "
                      "constant-hazard curve is a fair summary; far from it, it need not be.")
    if _near(value, expected / 100, 0.001):
        return False, "That is a proportion; give it in per cent."
    if _near(value, 100 * math.exp(-6 / median), 0.051):
        return False, ("You used exp(−t / median). The hazard is ln 2 / median, so "
                       "S(t) = exp(−ln 2 × t / median).")
    if _near(value, 100 * (1 - 0.5 * 6 / median), 0.051):
        return False, "That is a straight line through the median; the curve is exponential."
    return False, f"Not the right value: S(6) = exp(−ln 2 × 6 / {median:g})."


@exercise(
    "secondline-long-survivor",
    "second_line",
    "In the Benini 2025 cohort the median overall survival was 15.4 months. If survival "
    "followed the exponential curve with that median, what share of patients would be alive "
    "at 48 months (in %, one decimal)?",
)
def _secondline_long_survivor(answer):
    from nec.survival_curves import exponential_survival

    value = _number(answer)
    if value is None:
        return False, "Give the share alive at 48 months as a number in %."
    from nec.evidence import load_evidence

    median = float(load_evidence().loc["benini2025", "median_os_months"])
    expected = 100 * exponential_survival(48, median_months=median)
    if _near(value, expected, 0.051):
        return True, (f"{expected:.1f} %: about one patient in {round(100 / expected)}. A "
                      "survivor beyond 48 months is unusual but expected now and then, which "
                      "is why a single long course cannot show that its treatments worked.")
    if _near(value, 100 * math.exp(-48 / median), 0.051):
        return False, "The hazard is ln 2 / median: S(t) = exp(−ln 2 × t / median)."
    if _near(value, expected / 100, 0.001):
        return False, "That is a proportion; give it in per cent."
    return False, f"Not the right share: S(48) = exp(−ln 2 × 48 / {median:g})."


@exercise(
    "secondline-rfi",
    "second_line",
    "From data/case_course.csv, how many whole months passed between the operation and the "
    "recurrence?",
)
def _secondline_rfi(answer):
    from nec.data import load
    from nec.plotting import months_between

    value = _number(answer)
    if value is None:
        return False, "Give the interval as a number of months."
    course = load("case_course")
    expected = months_between(course.loc["surgery", "start"], course.loc["recurrence", "start"])
    if value == expected:
        return True, (f"{expected} months, the recurrence-free interval the paper reports; it "
                      "is counted from the operation, not from the end of adjuvant treatment.")
    if _near(value, expected / 12, 0.05):
        return False, "That is in years; give months."
    if abs(value - expected) == 1:
        return False, ("One month off: count from February 2021 to November 2023, month by "
                       "month (the recurrence's day is not printed).")
    return False, "Not the right interval: February 2021 to November 2023."


@exercise(
    "secondline-interval-option",
    "second_line",
    "The case patient progressed 33 months after first-line treatment. Which option does "
    "nec.second_line.options show for him that it would not show had progression come "
    "3 months after first line? Give its name.",
)
def _secondline_interval_option(answer):
    from nec.second_line import options

    if not isinstance(answer, str) or not answer.strip():
        return False, "Give the option's name as text."
    base = dict(ki67=50, morphology="nec", sstr_imaging="negative", performance_status=0,
                msi="unknown", tmb="unknown")
    late = {o.option_id: o.name for o in options(months_since_first_line=33, **base).shown}
    early = {o.option_id for o in options(months_since_first_line=3, **base).shown}
    extra = [late[k] for k in late if k not in early]
    words = answer.lower()
    if any(w in words for w in ("rechallenge", "re-challenge", "platinum")):
        return True, (f"{', '.join(extra)}: the only option whose conditions involve the "
                      "interval since first line. Its support is a practice survey and case "
                      "reports, not a trial.")
    if any(w in words for w in ("folfiri", "temozolomide", "captem", "docetaxel")):
        return False, ("That option is shown at both intervals. Compare the two answers' "
                       "shown lists.")
    return False, "Not that one: run options() at 3 and at 33 months and compare what is shown."


