"""Checkers for the book's exercises.

``check(exercise_id, answer)`` returns a :class:`Feedback` that says whether the answer
is right and, when it is not, *what* is wrong: which rule was missed, which unit was
confused. Expected answers are computed by the package itself (the same functions the
chapters teach), so a checker cannot drift from the science.

>>> from nec.exercises import check
>>> check("grading-discordant", "NET G2").correct
False
>>> print(check("grading-discordant", "NET G2").message)  # doctest: +ELLIPSIS
You graded by Ki-67 alone...
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from nec import grading


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer. Displays as a short paragraph in a notebook."""

    exercise: str
    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return f"{'Correct' if self.correct else 'Not yet'}: {self.message}"

    def _repr_html_(self) -> str:
        import html

        colour, word = ("#009E73", "Correct.") if self.correct else ("#D55E00", "Not yet.")
        return (
            f'<div class="nec-feedback" style="border-left:4px solid {colour};'
            f'padding:0.3em 0.8em"><b>{word}</b> {html.escape(self.message)}</div>'
        )


@dataclass(frozen=True)
class Exercise:
    """One checkable exercise: a short statement and the function that marks it."""

    id: str
    chapter: str
    statement: str
    marker: Callable[[object], tuple[bool, str]]


EXERCISES: dict[str, Exercise] = {}


def exercise(id: str, chapter: str, statement: str):
    def register(marker):
        EXERCISES[id] = Exercise(id, chapter, statement, marker)
        return marker

    return register


def check(exercise_id: str, answer) -> Feedback:
    """Mark ``answer`` to exercise ``exercise_id`` and explain what is wrong, if anything."""
    if exercise_id not in EXERCISES:
        known = ", ".join(sorted(EXERCISES))
        raise ValueError(f"There is no exercise {exercise_id!r}; the exercises are: {known}.")
    correct, message = EXERCISES[exercise_id].marker(answer)
    return Feedback(exercise_id, correct, message)


# --- Reading category names -------------------------------------------------------------

_SYNONYMS = [
    (r"neuroendocrine carcinoma", "nec"),
    (r"neuroendocrine tumou?r", "net"),
    (r"\bgrade\s*([123])\b", r"g\1"),
    (r"\bg\s+([123])\b", r"g\1"),
    (r"\bsmall\s*cell\b", "small-cell"),
    (r"\blarge\s*cell\b", "large-cell"),
    (r"\bmanec\b", "minen"),
]


@dataclass(frozen=True)
class _Category:
    kind: str | None  # "net", "nec", "minen" or None
    grade: int | None
    subtype: str | None


def _parse_category(text: str) -> _Category:
    t = text.lower().replace(",", " ").replace("(", " ").replace(")", " ")
    for pattern, repl in _SYNONYMS:
        t = re.sub(pattern, repl, t)
    words = set(t.replace("-", "- ").replace("- ", "-").split())
    kind = next((k for k in ("minen", "nec", "net") if k in words), None)
    grade = next((int(w[1]) for w in words if re.fullmatch(r"g[123]", w)), None)
    subtype = next((s for s in ("small-cell", "large-cell") if s in words), None)
    if kind == "nec" and grade is None:
        grade = 3  # a carcinoma is high grade by definition
    return _Category(kind, grade, subtype)


def _compare_categories(answer, expected: str, context: str) -> tuple[bool, str]:
    if not isinstance(answer, str) or not answer.strip():
        return False, f"Give the category as text, e.g. 'NET G2' or 'NEC, large-cell' ({context})."
    got, want = _parse_category(answer), _parse_category(expected)
    if got.kind is None:
        return False, (
            f"'{answer}' does not name a category: use NET with a grade (G1–G3) or NEC "
            f"with its subtype ({context})."
        )
    problems = []
    if got.kind != want.kind:
        problems.append(_kind_problem(got.kind, want.kind))
    elif got.grade != want.grade:
        if got.grade is None:
            problems.append("the grade is missing (G1, G2 or G3)")
        else:
            way = "low" if got.grade < want.grade else "high"
            problems.append(
                f"G{got.grade} is too {way}: work out the grade each index gives alone, "
                "then take the higher"
            )
    if not problems and want.subtype and got.subtype != want.subtype:
        problems.append(f"the carcinoma's subtype is {want.subtype} (from the morphology)")
    if problems:
        text = "; ".join(problems)
        return False, f"{text[0].upper()}{text[1:]} ({context})."
    return True, f"{expected} ({context})."


def _kind_problem(got: str, want: str) -> str:
    if want == "nec" and got == "net":
        return (
            "the morphology is poorly differentiated, which makes the tumour a carcinoma "
            "(NEC) whatever its indices"
        )
    if want == "net" and got == "nec":
        return (
            "a well-differentiated tumour is a NET even with grade-3 indices from WHO 2017 "
            "on; only poorly differentiated morphology makes a carcinoma"
        )
    if want == "minen":
        return "both components reach 30 %, which makes a mixed neoplasm (MiNEN)"
    return f"this is not a {got.upper()}"


def _number(answer) -> float | None:
    if isinstance(answer, bool):
        return None
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


# --- Chapter: WHO grading -----------------------------------------------------------------

DISCORDANT = dict(ki67=12, mitoses_per_2mm2=25, differentiation="well", edition=2019)


@exercise(
    "grading-discordant",
    "grading",
    "A well-differentiated pancreatic tumour has Ki-67 12 % and 25 mitoses per 2 mm². "
    "Name its WHO 2019 category.",
)
def _grading_discordant(answer):
    expected = grading.classify(**DISCORDANT).category
    if isinstance(answer, str) and _parse_category(answer) == _Category("net", 2, None):
        return False, (
            "You graded by Ki-67 alone (12 % is G2). The mitotic count, 25 per 2 mm², is "
            "above 20 and gives G3; the higher of the two indices sets the grade."
        )
    return _compare_categories(answer, expected, "Ki-67 12 %, 25 mitoses, well differentiated")


HPF = dict(mitoses=17, fields=50, field_diameter_mm=0.55)


@exercise(
    "grading-hpf",
    "grading",
    "A pathologist counts 17 mitoses in 50 high-power fields on a microscope whose field "
    "is 0.55 mm across. Give the count per 2 mm² (one decimal).",
)
def _grading_hpf(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the count per 2 mm² as a number, e.g. 4.2."
    expected = grading.mitotic_count_per_2mm2(**HPF)
    area_one_field = math.pi * (HPF["field_diameter_mm"] / 2) ** 2
    grade = grading.get_edition(2019).mitotic_grade(expected)
    if abs(value - expected) <= 0.051:
        return True, (
            f"{expected:.1f} per 2 mm²: 50 fields of {area_one_field:.3f} mm² cover "
            f"{50 * area_one_field:.2f} mm², so the count is scaled by 2 / "
            f"{50 * area_one_field:.2f}. That is mitotic grade G{grade}."
        )
    slips = {
        HPF["mitoses"] / 5: (
            "You divided by 5, as if each field were 0.2 mm² (the WHO reference field). "
            f"A 0.55 mm field is larger: π × 0.275² = {area_one_field:.3f} mm²."
        ),
        HPF["mitoses"] / (50 * area_one_field): (
            "That is the count per 1 mm²; the grade uses mitoses per 2 mm², so double it."
        ),
        HPF["mitoses"] * 2 / (50 * math.pi * HPF["field_diameter_mm"] ** 2): (
            "You used the diameter as the radius: a field's area is π × (d / 2)²."
        ),
    }
    for wrong, why in slips.items():
        if abs(value - wrong) <= 0.051:
            return False, why
    return False, (
        "Not the right count. Area examined = fields × π × (diameter / 2)²; "
        "mitoses per 2 mm² = count × 2 / area."
    )


EDITIONS_CASE = dict(ki67=35, mitoses_per_2mm2=8, differentiation="well")


@exercise(
    "grading-editions",
    "grading",
    "A well-differentiated tumour has Ki-67 35 % and 8 mitoses per 2 mm². Name its "
    "category under WHO 2010 and under WHO 2019, as a dict {'2010': ..., '2019': ...}.",
)
def _grading_editions(answer):
    if not isinstance(answer, dict) or set(map(str, answer)) != {"2010", "2019"}:
        return False, (
            "Answer with a dict with the keys '2010' and '2019', "
            "e.g. {'2010': 'NET G2', '2019': 'NET G2'}."
        )
    answer = {str(k): v for k, v in answer.items()}
    expected = {e: grading.classify(**EDITIONS_CASE, edition=e).category for e in ("2010", "2019")}
    messages, ok = [], True
    got_2010 = _parse_category(str(answer["2010"]))
    if got_2010.kind == "net" and got_2010.grade == 3:
        ok = False
        messages.append(
            "2010: there was no NET G3 in WHO 2010 — every grade-3 neoplasm was called "
            "a neuroendocrine carcinoma (NEC G3)."
        )
    else:
        good, msg = _compare_categories(answer["2010"], expected["2010"], "WHO 2010")
        ok &= good
        messages.append(msg)
    good, msg = _compare_categories(answer["2019"], expected["2019"], "WHO 2019")
    ok &= good
    messages.append(msg)
    if ok:
        messages.append(
            "The same tumour changed name between editions: trials that enrolled by WHO "
            "2010 'NEC G3' included tumours now called NET G3."
        )
    return ok, " ".join(messages)


CASE_FNA = dict(ki67=55, mitoses_per_2mm2=None, differentiation="well", edition=2017)
CASE_RESECTION = dict(ki67=55, mitoses_per_2mm2=None, differentiation="poorly",
                      nec_subtype="large-cell", edition=2017)


@exercise(
    "grading-case",
    "grading",
    "The case-report patient: the aspirate suggested a well-differentiated tumour; the "
    "resection showed a poorly differentiated large-cell carcinoma; Ki-67 55 %; WHO 2017. "
    "Give both categories as {'fna': ..., 'resection': ...}.",
)
def _grading_case(answer):
    if not isinstance(answer, dict) or set(answer) != {"fna", "resection"}:
        return False, "Answer with a dict with the keys 'fna' and 'resection'."
    ok_fna, msg_fna = _compare_categories(
        answer["fna"], grading.classify(**CASE_FNA).category,
        "aspirate read as well differentiated, Ki-67 55 %")
    resection = str(answer["resection"])
    if "intermediate" in resection.lower() or _parse_category(resection).grade == 2:
        return False, (
            "The report called the tumour 'intermediate grade', but WHO 2017 has no "
            "intermediate-grade carcinoma: poorly differentiated morphology makes it an "
            "NEC, high grade by definition, and Ki-67 55 % is in the G3 range anyway."
        )
    ok_res, msg_res = _compare_categories(
        answer["resection"], grading.classify(**CASE_RESECTION).category,
        "resection: poorly differentiated, large-cell")
    message = f"Aspirate: {msg_fna} Resection: {msg_res}"
    if ok_fna and ok_res:
        message += (
            " The revision moved the tumour from a NET G3 (treated as a well-differentiated "
            "tumour) to a carcinoma (treated like small-cell lung cancer, with platinum)."
        )
    return ok_fna and ok_res, message


KI67_NEAR_CUTOFF = dict(ki67=22, cells_counted=500)


@exercise(
    "grading-ki67-interval",
    "grading",
    "Ki-67 is 22 % counted on 500 cells. Give the lower end of its 95 % Wilson interval "
    "(in %, one decimal).",
)
def _grading_ki67_interval(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the lower bound as a number in %, e.g. 18.0."
    lo, hi = grading.ki67_interval(KI67_NEAR_CUTOFF["ki67"],
                                   cells_counted=KI67_NEAR_CUTOFF["cells_counted"])
    p, n = KI67_NEAR_CUTOFF["ki67"] / 100, KI67_NEAR_CUTOFF["cells_counted"]
    wald_lo = 100 * (p - 1.959964 * math.sqrt(p * (1 - p) / n))
    if abs(value - lo) <= 0.051:
        return True, (
            f"{lo:.1f} % (interval {lo:.1f}–{hi:.1f} %). The interval crosses 20 %, so "
            "a count of 500 cells cannot tell G2 from G3 for this tumour."
        )
    if abs(value - wald_lo) <= 0.051:
        return False, (
            "That is the Wald interval (p ± 1.96 × SE). Use Wilson's, which behaves "
            "better near 0 and 100 % — nec.grading.ki67_interval computes it."
        )
    if abs(value - (100 - hi)) <= 0.051 or abs(value - hi) <= 0.051:
        return False, "That is the upper end of the interval (or its mirror); give the lower."
    return False, (
        "Not the right bound. A Ki-67 index is a proportion of counted cells: use "
        "proportion_confint(count, n, method='wilson') or nec.grading.ki67_interval."
    )


# --- Chapter: first-line platinum regimens ------------------------------------------------

def _near(value, target, tol):
    return value is not None and abs(value - target) <= tol


@exercise(
    "firstline-wilson",
    "first_line",
    "Patta 2011 saw 5 responses among 8 patients. Give the lower end of the 95 % Wilson "
    "interval for the response rate (in %, one decimal).",
)
def _firstline_wilson(answer):
    from nec.evidence import wilson_interval

    value = _number(answer)
    if value is None:
        return False, "Give the lower bound as a number in %, e.g. 30.5."
    lo, hi = (100 * x for x in wilson_interval(5, 8))
    p = 5 / 8
    wald = 100 * (p - 1.959964 * math.sqrt(p * (1 - p) / 8))
    if _near(value, lo, 0.051):
        return True, (f"{lo:.1f} % (interval {lo:.1f}–{hi:.1f} %). With 8 patients the "
                      "interval spans more than half the scale: this series cannot say much "
                      "on its own.")
    if _near(value, wald, 0.051):
        return False, ("That is the Wald interval, which is unreliable with 8 patients; use "
                       "Wilson's (nec.evidence.wilson_interval).")
    if _near(value, lo / 100, 0.001):
        return False, "That is a proportion; give it in per cent."
    if _near(value, hi, 0.051):
        return False, "That is the upper end; give the lower."
    return False, "Not the right bound: the Wilson interval for 5 responders out of 8."


CAP_CASE = dict(age=50, weight_kg=80, creatinine=0.6, sex="male")


@exercise(
    "firstline-carboplatin-cap",
    "first_line",
    "A 50-year-old man weighing 80 kg has a serum creatinine of 0.6 mg/dL. Estimate his "
    "GFR by Cockcroft–Gault (actual weight) and give the carboplatin dose for AUC 5 in mg.",
)
def _firstline_carboplatin_cap(answer):
    from nec.dosing import carboplatin_dose, creatinine_clearance

    value = _number(answer)
    if value is None:
        return False, "Give the dose in mg as a number."
    crcl = creatinine_clearance(**CAP_CASE).ml_min
    dose = carboplatin_dose(auc=5, gfr_ml_min=crcl)
    if _near(value, dose.dose_mg, 1):
        return True, (f"{dose.dose_mg:.0f} mg. The clearance, {crcl:.0f} mL/min, is above "
                      "the 125 mL/min cap, so the dose stops at AUC × 150.")
    if _near(value, 5 * (crcl + 25), 2):
        return False, (f"That uses the full clearance ({crcl:.0f} mL/min). The GFR in the "
                       "Calvert formula is capped at 125 mL/min, so the dose can never exceed "
                       "AUC × 150 mg.")
    if _near(value, 5 * min(crcl, 125), 2) or _near(value, 5 * crcl, 2):
        return False, "Calvert adds 25 mL/min (non-renal clearance): dose = AUC × (GFR + 25)."
    return False, ("Not the right dose. Work it in two steps: Cockcroft–Gault "
                   "(140 − age) × weight / (72 × creatinine), then AUC × (min(GFR, 125) + 25).")


OBESE_CASE = dict(age=66, weight_kg=115, creatinine=1.0, sex="male", height_cm=175)


@exercise(
    "firstline-crcl-weight",
    "first_line",
    "Illustrative measures for the case-report patient: man, 66 years, 175 cm, 115 kg, "
    "creatinine 1.0 mg/dL. Give his Cockcroft–Gault clearance with the adjusted body weight "
    "(mL/min, one decimal).",
)
def _firstline_crcl_weight(answer):
    from nec.dosing import creatinine_clearance

    value = _number(answer)
    if value is None:
        return False, "Give the clearance in mL/min as a number."
    by = {w: creatinine_clearance(**OBESE_CASE, weight=w).ml_min
          for w in ("actual", "ideal", "adjusted")}
    if _near(value, by["adjusted"], 0.15):
        ratio = (by["actual"] + 25) / (by["ideal"] + 25)
        return True, (f"{by['adjusted']:.1f} mL/min, against {by['actual']:.1f} with actual "
                      f"and {by['ideal']:.1f} with ideal weight: at AUC 5 the carboplatin dose "
                      f"with actual weight is {ratio - 1:.0%} higher than with ideal weight.")
    if _near(value, by["actual"], 0.15):
        return False, "That uses the actual weight (115 kg); the question asks for the adjusted."
    if _near(value, by["ideal"], 0.15):
        return False, ("That uses the ideal weight; the adjusted weight adds 0.4 × (actual − "
                       "ideal) to it.")
    if _near(value, by["adjusted"] * 0.85, 0.15):
        return False, "The 0.85 factor applies to women only."
    return False, ("Not the right clearance. Ideal weight (Devine) = 50 + 2.3 × (inches over "
                   "60); adjusted = ideal + 0.4 × (actual − ideal); then Cockcroft–Gault.")


@exercise(
    "firstline-etoposide-cycle",
    "first_line",
    "In the EC regimen, how much etoposide (mg, whole number) does one cycle contain for a "
    "patient of 170 cm and 70 kg (Mosteller BSA)?",
)
def _firstline_etoposide_cycle(answer):
    from nec.dosing import bsa, regimen_sheet

    value = _number(answer)
    if value is None:
        return False, "Give the total in mg as a number."
    sheet = regimen_sheet("ec", height_cm=170, weight_kg=70, gfr_ml_min=90)
    row = next(r for r in sheet.rows if r["drug"] == "etoposide")
    if _near(value, row["total_per_cycle_mg"], 1.5):
        return True, (f"{row['total_per_cycle_mg']:.0f} mg: {row['dose_per_day_mg']:.0f} mg on "
                      "each of days 1, 2 and 3.")
    if _near(value, row["dose_per_day_mg"], 1.5):
        return False, "That is one day's dose; etoposide is given on days 1 to 3."
    if _near(value, 300, 0.5):
        return False, "100 mg/m² is per square metre of body surface: multiply by the BSA."
    dubois = 100 * bsa(height_cm=170, weight_kg=70, method="dubois") * 3
    if _near(value, dubois, 1.5):
        return False, "That uses the DuBois formula; the question asks for Mosteller."
    return False, "Not the right total: 100 mg/m² × BSA × 3 days."


@exercise(
    "firstline-pooled-randomised",
    "first_line",
    "Pool the response rates of the NEC-only platinum–etoposide arms that come from "
    "randomised trials (nec.evidence.select and pooled_response). Give the pooled response "
    "in % (one decimal).",
)
def _firstline_pooled_randomised(answer):
    from nec.evidence import PLATINUM_ETOPOSIDE, load_evidence, pooled_response, select

    value = _number(answer)
    if value is None:
        return False, "Give the pooled response as a number in %."
    arms = select(load_evidence(), family=PLATINUM_ETOPOSIDE, nec_only=True, line="first")
    randomised = pooled_response(select(arms, design="randomised"))
    everything = pooled_response(arms)
    if _near(value, 100 * randomised.proportion, 0.051):
        return True, (f"{100 * randomised.proportion:.1f} % from {randomised.k} randomised arms "
                      f"({randomised.n_patients} patients), against "
                      f"{100 * everything.proportion:.1f} % from all {everything.k} arms.")
    if _near(value, 100 * everything.proportion, 0.051):
        return False, ("That pools every design; keep only the randomised arms "
                       "(design='randomised').")
    return False, ("Not the pooled value. Select family=PLATINUM_ETOPOSIDE, nec_only=True and "
                   "design='randomised', then pooled_response().")


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


# --- Chapter: survival analysis on the synthetic cohort ----------------------------------------

def _synthetic_fit():
    from lifelines import CoxPHFitter

    from nec.cohort import design_matrix, synthetic_luo2024

    data = synthetic_luo2024().data
    return data, CoxPHFitter().fit(design_matrix(data), "months", "died")


@exercise(
    "survival-epv",
    "survival",
    "How many events per estimated coefficient does the multivariable Cox model on the "
    "synthetic cohort have?",
)
def _survival_epv(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the events per coefficient as a number."
    data, fit = _synthetic_fit()
    events, k = int(data["died"].sum()), len(fit.params_)
    if _near(value, events / k, 0.05):
        return True, (f"{events} events / {k} coefficients = {events / k:g}: below the usual "
                      "minimum of about 10, so the estimates are unstable and optimistic.")
    if _near(value, events / 3, 0.05):
        return False, ("That divides by 3 predictors; treatment has three levels and so two "
                       "coefficients: count coefficients.")
    if _near(value, len(data) / k, 0.05):
        return False, "That divides the patients, not the events: censored patients add little."
    return False, "Not the right ratio: deaths divided by the number of Cox coefficients."


@exercise(
    "survival-logrank",
    "survival",
    "Give the p value of the log-rank test comparing the three treatment groups of the "
    "synthetic cohort.",
)
def _survival_logrank(answer):
    from lifelines.statistics import logrank_test, multivariate_logrank_test

    value = _number(answer)
    if value is None:
        return False, "Give the p value as a number."
    data, _ = _synthetic_fit()
    expected = multivariate_logrank_test(data["months"], data["treatment"], data["died"]).p_value
    if _near(value, expected, max(0.00005, 0.01 * expected)):
        return True, (f"p = {expected:.4f} on 2 degrees of freedom: the three curves are not "
                      "all the same, which says nothing about which pairs differ.")
    both = data["treatment"] == "chemotherapy and targeted"
    neither = data["treatment"] == "neither"
    pair = logrank_test(data.loc[both, "months"], data.loc[neither, "months"],
                        data.loc[both, "died"], data.loc[neither, "died"]).p_value
    if _near(value, pair, max(0.00005, 0.01 * pair)):
        return False, ("That compares two of the groups; the question asks for one test of all "
                       "three (multivariate_logrank_test, 2 degrees of freedom).")
    return False, "Not the right p value: use multivariate_logrank_test with the treatment column."


# --- Chapter: nomograms -------------------------------------------------------------------------

@exercise(
    "nomogram-points",
    "nomogram",
    "With the reconstructed Luo 2024 nomogram, how many total points does a patient with a "
    "7 cm tumour, no resection and neither chemotherapy nor targeted therapy score?",
)
def _nomogram_points(answer):
    from nec.nomogram import luo2024

    value = _number(answer)
    if value is None:
        return False, "Give the total points as a number."
    model = luo2024()
    p = model.points(size_cm=7, resection="no", treatment="neither")
    if _near(value, p.total, 0.6):  # the printed table rounds the size points (67)
        return True, (f"{p.total:.1f} points: size {p.size:.1f} + resection {p.resection:g} + "
                      f"treatment {p.treatment:g}.")
    if _near(value, p.total - p.resection, 0.6):
        return False, "The resection line is missing: 'no' adds its points."
    if _near(value, 7 * model.size_points_per_cm + p.resection + p.treatment, 0.6):
        return False, "The size axis starts at 1 cm with 0 points: use (size − 1) × 100 / 9."
    return False, "Not the right total: add the points of the three predictors."


@exercise(
    "nomogram-hr-from-points",
    "nomogram",
    "Table 4 gives 'no resection' 51 points at 29.528 points per unit of linear predictor. "
    "What hazard ratio does that imply (two decimals)?",
)
def _nomogram_hr_from_points(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the hazard ratio as a number."
    expected = math.exp(51 / 29.528)
    if _near(value, expected, 0.006):
        return True, (f"exp(51 / 29.528) = {expected:.2f}; the paper prints 5.666, whose "
                      "log × 29.528 = 51.2 rounds to the 51 points printed.")
    if _near(value, 51 / 29.528, 0.006):
        return False, "That is the coefficient (log hazard ratio); exponentiate it."
    if _near(value, math.exp(51 * 0.034), 0.01):
        return False, ("Close, but the printed 0.034 is rounded; divide by 29.528 instead "
                       "for two correct decimals.")
    return False, "Not the right value: HR = exp(points / points per unit of linear predictor)."


GBSG2_SPEC = dict(covariates=("tsize", "pnodes", "horTh_yes"), resamples=50, seed=2024)


@functools.lru_cache(maxsize=1)
def gbsg2_validation():
    """The optimism-corrected C of the exercise's GBSG2 model (cached: it takes seconds)."""
    from lifelines.datasets import load_gbsg2

    from nec.validation import validate_c_index

    data = load_gbsg2()
    frame = data.assign(horTh_yes=(data["horTh"] == "yes").astype(int),
                        months=data["time"] / 30.4375, event=data["cens"])
    columns = list(GBSG2_SPEC["covariates"]) + ["months", "event"]
    return validate_c_index(frame[columns], duration_col="months", event_col="event",
                            resamples=GBSG2_SPEC["resamples"], seed=GBSG2_SPEC["seed"])


@exercise(
    "nomogram-gbsg2",
    "nomogram",
    "On lifelines' GBSG2 data, fit a Cox model on tumour size, positive nodes and hormone "
    "therapy (time in months), build its nomogram, and validate it with 50 bootstrap "
    "resamples (seed 2024). Give the optimism-corrected C (three decimals).",
)
def _nomogram_gbsg2(answer):
    value = _number(answer)
    if value is None:
        return False, "Give the corrected C-index as a number between 0 and 1."
    v = gbsg2_validation()
    if _near(value, v.corrected, 0.0015):
        return True, (f"{v.corrected:.3f} (apparent {v.apparent:.3f}, optimism "
                      f"{v.optimism:.3f}): with 686 patients the optimism is small.")
    if _near(value, v.apparent, 0.0015):
        return False, "That is the apparent C; subtract the bootstrap optimism."
    return False, ("Not the corrected C: use nec.validation.validate_c_index with "
                   "resamples=50, seed=2024 on size, nodes and a 0/1 hormone-therapy column.")
