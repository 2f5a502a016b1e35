"""Checkers for the chapter on survival analysis on the synthetic cohort.

Each checker computes the expected answer from the chapter's own data, says what is wrong,
and, for an answer in several parts, which parts are right. They run in the reader's browser
too (Pyodide), so they compute on the standard library: the cohorts are read from their
files in ``data/`` (:mod:`nec.exercises._data_files`, each tested to equal what
:mod:`nec.cohort` and :mod:`nec.immortal_time` make) and the statistics come from
:mod:`nec._survival_core` (tested against :mod:`nec.survival_stats`, lifelines and R).
"""

from __future__ import annotations

from collections.abc import Mapping

from nec import _survival_core as core
from nec.exercises._core import (
    _near,
    _number,
    exercise,
)
from nec.exercises._data_files import cohort_rows, immortal_rows

# --- Chapter: survival analysis on the synthetic cohort ----------------------------------------

#: Degrees of freedom screened in the paper's univariable step (Table 2): sex 1, age 1
#: (continuous), size 1 (continuous), resection 1, treatment 2 (three levels).
CANDIDATE_PARAMETERS = 6

#: The immortal-time exercise's landmark (its cohort: simulate(n=IMMORTAL_N,
#: seed=IMMORTAL_SEED), read from data/immortal_time_n400_seed3.csv).
IMMORTAL_LANDMARK_MONTHS = 6.0

#: Treatment groups ordered by how many of the two agent classes were received (2, 1, 0).
TREATMENT_ORDER = ("chemotherapy and targeted", "chemotherapy or targeted", "neither")


def _cohort() -> list[dict]:
    """The chapter's synthetic cohort (nec.cohort.synthetic_luo2024()), one dict per patient."""
    return cohort_rows()


def _column(rows, name):
    return [r[name] for r in rows]


def _parts(answer, names):
    """Read a multi-part answer given as a mapping (or a sequence in ``names`` order)."""
    if isinstance(answer, Mapping):
        missing = [n for n in names if n not in answer]
        if missing:
            return None, f"The answer needs every part: {', '.join(names)} (missing {missing[0]})."
        return {n: _number(answer[n]) for n in names}, None
    if isinstance(answer, list | tuple) and len(answer) == len(names):
        return dict(zip(names, (_number(a) for a in answer), strict=True)), None
    return None, ("Give the answer as a dict with the parts " + ", ".join(repr(n) for n in names)
                  + ".")


def _report(verdicts):
    """``verdicts``: [(part, right, message)] → (all right, one sentence per part)."""
    ok = all(right for _, right, _ in verdicts)
    text = " ".join(f"{part}: {'right' if right else 'not yet'} — {msg}."
                    for part, right, msg in verdicts)
    return ok, text


#: The events-per-parameter exercise adds two candidates to the paper's screening: Ki-67
#: (continuous: 1 parameter) and the primary's site (head, body or tail: 2 parameters).
EXTRA_CANDIDATE_PARAMETERS = 3


@exercise(
    "survival-epv",
    "survival",
    "Had the paper also screened Ki-67 (as a continuous value) and the primary's site in the "
    "pancreas (head, body or tail), how many events per candidate parameter would its "
    "modelling have had on the synthetic cohort?",
)
def _survival_epv(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the events per candidate parameter as a number."
    events = sum(_column(_cohort(), "died"))
    total = CANDIDATE_PARAMETERS + EXTRA_CANDIDATE_PARAMETERS
    if _near(value, events / total, 0.05):
        return True, (f"{events} events / {total} candidate parameters = {events / total:g} "
                      f"(the paper's {CANDIDATE_PARAMETERS}, Ki-67 1, site 2): every "
                      "candidate screened spends degrees of freedom, kept or not.")
    if _near(value, events / CANDIDATE_PARAMETERS, 0.05):
        return False, (f"That is the paper's own {CANDIDATE_PARAMETERS} candidate parameters; "
                       "add the two new candidates' parameters.")
    if _near(value, events / (total - 1), 0.05):
        return False, ("That counts the site as one parameter; three levels take two "
                       "parameters: count parameters, not variables.")
    if _near(value, events / (total + 1), 0.05):
        return False, ("That gives the site three parameters; with one level as the "
                       "reference, three levels take two.")
    if _near(value, events / 4, 0.05) or _near(value, events / 7, 0.05):
        return False, ("Count every parameter screened: the paper's six (sex, age, size, "
                       "resection, two for treatment), plus Ki-67 and the site.")
    if _near(value, 45 / total, 0.05):
        return False, "That divides the patients, not the events: censored patients add little."
    return False, "Not the right ratio: deaths divided by every parameter screened."


#: How far a χ² answer may sit from the statistic: it accepts the value rounded to one or two
#: decimals, and the candidate statistics each question can be confused with (the chapter's
#: 2-df and trend tests, the same tests in another set of patients) are at least 0.8 apart.
CHI2_TOLERANCE = 0.05

#: The two treatment groups of the pairwise log-rank exercise (both agents, neither).
PAIR = ("chemotherapy and targeted", "neither")


def _treatment_statistics(rows=None):
    """(2-df log-rank, 1-df trend, both-vs-neither pair) results on ``rows`` (default: the
    chapter's cohort)."""
    rows = _cohort() if rows is None else rows
    months, died, treatment = (_column(rows, c) for c in ("months", "died", "treatment"))
    overall = core.logrank(months, died, treatment)
    trend = core.logrank_trend(months, died, treatment, order=TREATMENT_ORDER)
    pair_rows = [r for r in rows if r["treatment"] in PAIR]
    pair = core.logrank(_column(pair_rows, "months"), _column(pair_rows, "died"),
                        _column(pair_rows, "treatment"))
    return overall, trend, pair


def _looks_like_p(value):
    # Every χ² the questions can mean is far above 1; a number in (0, 1] is a p value.
    return 0 < value <= 1


@exercise(
    "survival-logrank",
    "survival",
    "Give the χ² statistic (two decimals) of the log-rank test comparing only the patients "
    "given both agents with those given neither, in the synthetic cohort.",
)
def _survival_logrank(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the χ² statistic as a number."
    overall, trend, pair = _treatment_statistics()
    if _looks_like_p(value):
        return False, ("That looks like a p value; give the χ² statistic (the test_statistic "
                       "of logrank_test or multivariate_logrank_test).")
    if _near(value, pair.chi2, CHI2_TOLERANCE):
        return True, (f"χ² = {pair.chi2:.2f} on 1 degree of freedom, p = {pair.p:.1e}: one "
                      "question about two curves. Testing every pair this way is three "
                      "tests, and their p values need a correction.")
    if _near(value, overall.chi2, CHI2_TOLERANCE):
        return False, ("That is the chapter's test of all three groups (2 degrees of "
                       "freedom); keep only the patients given both agents or neither.")
    if _near(value, trend.chi2, CHI2_TOLERANCE):
        return False, ("That is the trend test over the three groups; the question compares "
                       "two groups, with the 'either' patients left out.")
    return False, ("Not the right χ²: keep the rows whose treatment is 'chemotherapy and "
                   "targeted' or 'neither', and run the log-rank test on them.")


def _women():
    return [r for r in _cohort() if r["sex"] == "female"]


@exercise(
    "survival-follow-up",
    "survival",
    "Give the median follow-up of the women in the synthetic cohort by the reverse "
    "Kaplan–Meier method, and their median observed time, in months: "
    "{'reverse_km': ..., 'observed': ...}.",
)
def _survival_follow_up(answer):
    parts, problem = _parts(answer, ("reverse_km", "observed"))
    if problem:
        return False, problem
    women, everyone = _women(), _cohort()
    fu = core.median_follow_up(_column(women, "months"), _column(women, "died"))
    fu_all = core.median_follow_up(_column(everyone, "months"), _column(everyone, "died"))
    # The median *survival* as lifelines' KaplanMeierFitter reads it (the chapter's tool).
    ordinary = core.median_lifelines(core.kaplan_meier(_column(women, "months"),
                                                       _column(women, "died")))
    verdicts = []
    rk = parts["reverse_km"]
    if rk is None:
        verdicts.append(("reverse_km", False, "give a number of months"))
    elif _near(rk, fu.median_months, 0.05):
        verdicts.append(("reverse_km", True, f"{fu.median_months:.2f} months"))
    elif _near(rk, fu_all.median_months, 0.05):
        verdicts.append(("reverse_km", False, "that is the whole cohort's, printed in the "
                         "chapter; keep the rows with sex == 'female'"))
    elif _near(rk, ordinary, 0.05):
        verdicts.append(("reverse_km", False, "that is the median *survival*: reverse the "
                         "event indicator (1 - died) so that censoring is the event"))
    elif _near(rk, fu.median_observed_months, 0.05):
        verdicts.append(("reverse_km", False, "that is the median observed time; the reverse "
                         "Kaplan–Meier median is a Kaplan–Meier fit of 1 - died"))
    else:
        verdicts.append(("reverse_km", False, "fit a Kaplan–Meier curve to the women's "
                         "months with 1 - died as the event and read its median"))
    ob = parts["observed"]
    if ob is None:
        verdicts.append(("observed", False, "give a number of months"))
    elif _near(ob, fu.median_observed_months, 0.05):
        verdicts.append(("observed", True, f"{fu.median_observed_months:.2f} months, shorter "
                         "because deaths end the observed time early"))
    elif _near(ob, fu_all.median_observed_months, 0.05):
        verdicts.append(("observed", False, "that is the whole cohort's, printed in the "
                         "chapter; take the median of the women's months"))
    else:
        verdicts.append(("observed", False, "take the plain median of the women's months, "
                         "deaths and censored alike"))
    return _report(verdicts)


def _resected():
    return [r for r in _cohort() if r["resection"] == "yes"]


@exercise(
    "survival-trend",
    "survival",
    "Among the resected patients of the synthetic cohort only, give the χ² statistic (two "
    "decimals) of the log-rank test for trend over the treatment groups ordered "
    "both < either < neither (scores 0, 1, 2).",
)
def _survival_trend(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the χ² statistic as a number."
    overall, trend, _ = _treatment_statistics(_resected())
    overall_all, trend_all, _ = _treatment_statistics()
    if _looks_like_p(value):
        return False, "That looks like a p value; give the χ² statistic of the trend test."
    if _near(value, trend.chi2, CHI2_TOLERANCE):
        way = "rises" if trend.statistic > 0 else "falls"
        return True, (f"χ² = {trend.chi2:.2f} on 1 degree of freedom, p = {trend.p:.1e}, in "
                      f"{len(_resected())} resected patients; the hazard {way} as fewer agents "
                      "are received — an association, not the effect of the drugs.")
    if _near(value, trend_all.chi2, CHI2_TOLERANCE):
        return False, ("That is the whole cohort's trend test, printed in the chapter; keep "
                       "the rows with resection == 'yes' first.")
    if _near(value, overall.chi2, CHI2_TOLERANCE):
        return False, ("Right patients, but that is the 2-degree-of-freedom test of equal "
                       "curves; the trend test puts the scores into one contrast: "
                       "Σ score × (observed − expected).")
    if _near(value, overall_all.chi2, CHI2_TOLERANCE):
        return False, ("That is the whole cohort's 2-degree-of-freedom test; keep the "
                       "resected patients and test for trend.")
    return False, ("Not the right χ²: on the resected patients, use "
                   "nec.survival_stats.logrank_trend with order=both, either, neither.")


@exercise(
    "survival-immortal",
    "survival",
    "On nec.immortal_time.simulate(n=400, seed=3), give the naive hazard ratio for the "
    "combination and the hazard ratio of a landmark analysis at 6 months: "
    "{'naive': ..., 'landmark': ...}.",
)
def _survival_immortal(answer):
    parts, problem = _parts(answer, ("naive", "landmark"))
    if problem:
        return False, problem
    naive, landmark, ever = _immortal_hazard_ratios()
    verdicts = []
    n_value = parts["naive"]
    if n_value is None:
        verdicts.append(("naive", False, "give a hazard ratio"))
    elif _near(n_value, naive, 0.01):
        verdicts.append(("naive", True, f"HR {naive:.2f}: the combination looks protective "
                         "although the simulation gave it no effect"))
    elif _near(n_value, 1 / naive, 0.02):
        verdicts.append(("naive", False, "that is the inverse: the hazard ratio is for the "
                         "combination (1) against single agent (0)"))
    else:
        verdicts.append(("naive", False, "fit a Cox model of months and died on the "
                         "combination column of the whole cohort"))
    l_value = parts["landmark"]
    if l_value is None:
        verdicts.append(("landmark", False, "give a hazard ratio"))
    elif _near(l_value, landmark, 0.01):
        verdicts.append(("landmark", True, f"HR {landmark:.2f}: near 1 once the immortal "
                         "months are gone"))
    elif _near(l_value, ever, 0.01):
        verdicts.append(("landmark", False, "you kept the patients alive at 6 months but "
                         "grouped them by what they received at any time, so those who started "
                         "later still carry immortal time: group by second_agent_months ≤ 6"))
    elif _near(l_value, naive, 0.01):
        verdicts.append(("landmark", False, "that is the naive ratio: keep only patients alive "
                         "after 6 months and group them by what they had received by then"))
    else:
        verdicts.append(("landmark", False, "keep patients with months > 6, group by "
                         "second_agent_months ≤ 6, and count time from the landmark"))
    return _report(verdicts)


def _immortal_hazard_ratios():
    """(naive, landmark, ever-received-among-the-alive) hazard ratios of the combination on the
    exercise's cohort, as nec.immortal_time's naive_hazard_ratio and landmark_hazard_ratio and
    a Cox fit of the ever-received column on the patients alive at the landmark give them."""
    rows = immortal_rows()
    naive = core.cox_one_covariate(_column(rows, "months"), _column(rows, "died"),
                                   _column(rows, "combination")).hazard_ratio
    alive = [r for r in rows if r["months"] > IMMORTAL_LANDMARK_MONTHS]
    # Grouped by what was received by the landmark (a missing start, nan, is never <= 6),
    # time counted from the landmark.
    landmark = core.cox_one_covariate(
        [r["months"] - IMMORTAL_LANDMARK_MONTHS for r in alive], _column(alive, "died"),
        [int(r["second_agent_months"] <= IMMORTAL_LANDMARK_MONTHS) for r in alive],
    ).hazard_ratio
    ever = core.cox_one_covariate(_column(alive, "months"), _column(alive, "died"),
                                  _column(alive, "combination")).hazard_ratio
    return naive, landmark, ever
