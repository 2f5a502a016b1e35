"""Checkers for the chapter on second-line options and the case study."""

from __future__ import annotations

import math

from nec.exercises._core import (
    _near,
    _number,
    exercise,
)

# --- Chapter: second-line options and the case study ------------------------------------------

#: The patient of the interval exercise: a poorly differentiated NEC whose disease progressed
#: after platinum, everything but the platinum-free interval fixed.
INTERVAL_PATIENT = dict(ki67=50, morphology="nec", sstr_imaging="negative",
                        performance_status=0, msi="unknown", tmb="unknown",
                        liver_function="unknown")


def _evidence_row(study_id):
    from nec.second_line import read_records

    return next(r for r in read_records("evidence") if r["study_id"] == study_id)


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
    arm = _evidence_row("walter2023_folfiri")
    median, observed = float(arm["median_os_months"]), float(arm["os_6m_pct"])
    expected = 100 * exponential_survival(6, median_months=median)
    if _near(value, expected, 0.051):
        return True, (f"{expected:.1f} %, against {observed:g} % observed: near the median the "
                      "constant-hazard curve is a fair summary; far from it, it need not be.")
    if _near(value, observed, 0.5):
        return False, (f"{observed:g} % is what the trial observed; the question asks what the "
                       "exponential curve with the median gives.")
    if _near(value, expected / 100, 0.001):
        return False, "That is a proportion; give it in per cent."
    if _near(value, 100 * math.exp(-6 / median), 0.051):
        return False, ("You used exp(−t / median). The hazard is ln 2 / median, so "
                       "S(t) = exp(−ln 2 × t / median).")
    if _near(value, 100 * (1 - 0.5 * 6 / median), 0.051):
        return False, "That is a straight line through the median; the curve is exponential."
    return False, f"Not the right value: S(6) = exp(−ln 2 × 6 / {median:g})."


#: Yang 2020 (BMC Cancer 20:906), 108 resected pancreatic G3 NECs graded by WHO 2017:
#: median OS 26.8 months and 5-year OS 11.1 % (clinical_facts.md 1.2, [V]).
YANG_G3_NEC_MEDIAN_OS_MONTHS = 26.8
YANG_G3_NEC_5Y_OS_PCT = 11.1


@exercise(
    "secondline-long-survivor",
    "second_line",
    "In Yang's surgical series of 108 resected pancreatic G3 NECs the median overall survival "
    "was 26.8 months. What share would be alive at five years under the exponential curve "
    "with that median (in %, one decimal)? The series reported 11.1 %.",
)
def _secondline_long_survivor(answer):
    from nec.survival_curves import exponential_survival

    value = _number(answer)
    if value is None:
        return False, "Give the share alive at five years as a number in %."
    median = YANG_G3_NEC_MEDIAN_OS_MONTHS
    expected = 100 * exponential_survival(60, median_months=median)
    if _near(value, expected, 0.051):
        return True, (f"{expected:.1f} %, about twice the {YANG_G3_NEC_5Y_OS_PCT:g} % the "
                      "series observed: the constant-hazard curve matches the median by "
                      "construction and overstates the five-year share, because the observed "
                      "curve falls faster after the median than the constant hazard fitted "
                      "to the median allows. Drawn "
                      "from a median, a five-year figure is arithmetic, not a fact about the "
                      "cohort.")
    if _near(value, YANG_G3_NEC_5Y_OS_PCT, 0.05):
        return False, (f"{YANG_G3_NEC_5Y_OS_PCT:g} % is what the series observed; the "
                       "question asks what the exponential curve with the median gives.")
    if _near(value, 100 * math.exp(-60 / median), 0.051):
        return False, ("You used exp(−t / median), which happens to land near the observed "
                       "11.1 %. The hazard is ln 2 / median: S(t) = exp(−ln 2 × t / median).")
    if _near(value, expected / 100, 0.001):
        return False, "That is a proportion; give it in per cent."
    if _near(value, 100 * 0.5 ** (median / 60), 0.051):
        return False, "The exponent is t / median (60 / 26.8), not median / t."
    if _near(value, 100 * exponential_survival(5, median_months=median), 0.051):
        return False, "Five years is 60 months: the median is in months."
    return False, f"Not the right share: S(60) = exp(−ln 2 × 60 / {median:g})."


#: The recovery before the adjuvant course, as the case timeline draws it: the paper prints
#: no date for the start of adjuvant chemotherapy (nec.plotting.case_timeline).
ASSUMED_RECOVERY_MONTHS = 2.0


def _drawn_platinum_free_months():
    from nec.second_line import DAYS_PER_MONTH, case_clocks, read_records, treatment_months

    adjuvant = next(r for r in read_records("case_course")
                    if r["event_id"] == "adjuvant_chemotherapy")
    course_months = treatment_months(adjuvant)
    return (case_clocks().recurrence - ASSUMED_RECOVERY_MONTHS - course_months,
            course_months, adjuvant["cycle_days"] / DAYS_PER_MONTH)


@exercise(
    "secondline-rfi",
    "second_line",
    "The case-report patient recurred 33 months after his operation. His adjuvant "
    "carboplatin–etoposide started, as the timeline draws it, 2 months after the operation "
    "and ran the cycles of the case-course table, each of its cycle length. What platinum-free "
    "interval at the recurrence does that drawing give (months, one decimal)?",
)
def _secondline_rfi(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the interval as a number of months."
    expected, course, last_cycle_months = _drawn_platinum_free_months()
    if _near(value, expected, 0.15):
        return True, (f"33 − 2 − {course:.1f} = {expected:.1f} months from the end of the "
                      "last cycle, as the timeline draws it (counted from the last carboplatin "
                      "dose, on that cycle's first day, it is about three weeks longer). The "
                      "paper prints only the 33-month "
                      "recurrence-free interval, counted from the operation; the platinum-free "
                      "interval is shorter, and rests on a recovery time it does not print (and "
                      "the paper gives the radiotherapy both before and after the chemotherapy). "
                      f"No choice of those changes the reading: {expected:.0f} months or so is "
                      "far beyond the survey's 6-month threshold, and still he progressed on the "
                      "rechallenge.")
    last_dose = expected + last_cycle_months  # counted from day 1 of the last cycle
    if _near(value, last_dose, 0.15):
        return True, (f"{value:g} months counts from the last carboplatin dose, on day 1 of the "
                      f"last cycle; the timeline ends the course with that cycle, which gives "
                      f"{expected:.1f} months. Either way the paper prints only the 33-month "
                      "recurrence-free interval, counted from the operation; the recovery time "
                      "before the course is an assumption, and the reading does not change: "
                      "far beyond the survey's 6-month threshold, and still he progressed on "
                      "the rechallenge.")
    if _near(value, 33, 0.5):
        return False, ("33 months is the recurrence-free interval, counted from the "
                       "operation; the platinum-free interval starts when the last platinum "
                       "course ends.")
    if _near(value, 33 - course, 0.15):
        return False, "The course starts 2 months after the operation: take those off too."
    if _near(value, 33 - ASSUMED_RECOVERY_MONTHS, 0.15):
        return False, ("That ends the interval's clock at the start of the adjuvant course; "
                       "the platinum-free interval starts at its end: take off the cycles too.")
    if _near(value, 33 - ASSUMED_RECOVERY_MONTHS - 6 * 21 / 28, 0.15) \
            or _near(value, 33 - ASSUMED_RECOVERY_MONTHS - 6 * 21 / 30, 0.15):
        return False, ("Close: convert the days to months with the average month, "
                       "30.4375 days.")
    if _near(value, expected / 12, 0.05):
        return False, "That is in years; give months."
    return False, ("Not the right interval: 33 months, less the 2 months of recovery, less "
                   "the course (cycles × cycle length, in months of 30.4375 days).")


@exercise(
    "secondline-interval-option",
    "second_line",
    "A patient with a poorly differentiated NEC (Ki-67 50 %, receptor-negative imaging, "
    "ECOG 0; MSI, TMB and liver function unknown) progresses after platinum. Which option "
    "does nec.second_line.options show when progression comes 12 months after the end of the "
    "last platinum course that it does not show at 3 months? Give its name.",
)
def _secondline_interval_option(answer):
    from nec.second_line import options

    if not isinstance(answer, str) or not answer.strip():
        return False, "Give the option's name as text."
    late = {o.option_id: o.name for o in options(platinum_free_months=12,
                                                 **INTERVAL_PATIENT).shown}
    early = {o.option_id for o in options(platinum_free_months=3, **INTERVAL_PATIENT).shown}
    extra = [late[k] for k in late if k not in early]
    words = " ".join(answer.lower().replace("–", " ").replace("-", " ").split())
    others = [w for w in _OTHER_OPTION_WORDS if w in words]
    if any(w in words for w in ("prrt", "radionuclide", "lutetium")):
        return False, ("PRRT is not shown for a NEC at any interval: its evidence is mostly "
                       "in well-differentiated tumours, and Thomas et al. 2019 do not "
                       "recommend it for GEP-NEC.")
    if others:
        return False, ("That option is shown at both intervals (or the answer names more "
                       "than one). Compare the two answers' shown lists.")
    if "rechallenge" in words or "re challenge" in words or words in _RECHALLENGE_NAMES:
        return True, (f"{', '.join(extra)}: the only option whose conditions involve the "
                      "platinum-free interval (more than 6 months). Its support is one "
                      "practice survey, not a trial, and the book's own case progressed on "
                      "it.")
    return False, ("Not that one: set the explorer's platinum-free months to 3 and then 12 (or "
                   "run options() at both) and compare what is shown.")


#: Words that name an option shown at both intervals: an answer containing one of them is
#: not the rechallenge, even if it also says "platinum" ("FOLFIRI after platinum").
_OTHER_OPTION_WORDS = ("folfiri", "temozolomide", "captem", "docetaxel", "cabozantinib",
                       "supportive", "trial", "topotecan", "folfox", "irinotecan", "nal iri",
                       "pembrolizumab", "nivolumab", "ipilimumab", "antibody", "dll3")
_RECHALLENGE_NAMES = {"platinum etoposide", "platinum and etoposide", "platinum + etoposide",
                      "carboplatin etoposide", "carboplatin + etoposide", "cisplatin etoposide",
                      "platinum again", "platinum", "ep", "ec"}


_YES, _NO = {"yes", "y", "true", "shown"}, {"no", "n", "false", "not shown"}


_LISTS = {"shown": "shown", "covering": "shown", "yes": "shown",
          "not stated": "not_stated", "not_stated": "not_stated",
          "not shown": "not_shown", "not_shown": "not_shown", "no": "not_shown"}


@exercise(
    "secondline-prrt",
    "second_line",
    "A poorly differentiated NEC shows uptake on somatostatin-receptor imaging. (a) Does "
    "nec.second_line.options show PRRT for it: 'yes' or 'no'? (b) For a well-differentiated "
    "NET G3 with the same imaging, in which list does it put PRRT: 'shown', 'not stated' or "
    "'not shown'? Give both, e.g. ('yes', 'shown').",
)
def _secondline_prrt(answer):
    from nec.second_line import options

    if isinstance(answer, dict):
        answer = (answer.get("a"), answer.get("b"))
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        return False, "Give two answers, (a) and (b), e.g. ('yes', 'shown')."
    shown_a, list_b = answer
    base = dict(platinum_free_months=2, ki67=40, sstr_imaging="positive", performance_status=1,
                msi="unknown", tmb="unknown", liver_function="unknown")
    as_nec = {o.option_id for o in options(morphology="nec", ki67=80,
                                            **{k: v for k, v in base.items()
                                               if k != "ki67"}).shown}
    net = options(morphology="net_g3", **base)
    net_list = next(name for name, group in (("shown", net.shown),
                                             ("not_stated", net.not_stated),
                                             ("not_shown", net.not_shown))
                    if "prrt" in {o.option_id for o in group})
    expected_a = "prrt" in as_nec  # False with the curated data
    a_text = str(shown_a).strip().lower() if shown_a is not None else ""
    if a_text not in _YES | _NO:
        part_a = (False, "(a) answer 'yes' or 'no'")
    else:
        right = (a_text in _YES) == expected_a
        part_a = (right, "(a) is right: PRRT is not shown for a NEC, whatever the imaging"
                  if right else "(a) is not right: look at the 'Not shown' list for a NEC "
                  "with positive imaging, and read PRRT's reason")
    b_text = " ".join(str(list_b).strip().lower().replace("_", " ").split()) if list_b else ""
    b_list = _LISTS.get(b_text)
    if b_list is None:
        part_b = (False, "(b) answer 'shown', 'not stated' or 'not shown'")
    elif b_list == net_list:
        part_b = (True, "(b) is right: for a NET G3 PRRT is listed as not stated, because "
                  "NET G3 treatment (which has PRRT trial evidence of its own) is outside this "
                  "book's scope and the data here hold no NET G3 PRRT trial")
    else:
        part_b = (False, "(b) is not right: set the explorer's morphology to "
                  "well-differentiated NET G3 (or run options() with morphology='net_g3') and "
                  "look for PRRT in each of the three lists")
    correct = part_a[0] and part_b[0]
    message = f"{part_a[1]}; {part_b[1]}."
    if correct:
        message += (" Thomas et al. 2019 do not recommend PRRT for GEP-NEC, because no "
                    "prospective study has tested it there. The evidence they cite is one "
                    "7-patient subgroup with Ki-67 above 20 % (NEC and NET G3 not separated), "
                    "in which 71.4 % progressed despite adequate uptake, and two case reports, "
                    "one of them a NEC that responded.")
    return correct, message[0].upper() + message[1:]
