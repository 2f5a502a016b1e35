"""Dose formulas for the regimens taught in the book, and regimen dose sheets.

- :func:`bsa`: body-surface area by Mosteller (1987) or DuBois & DuBois (1916).
- :func:`creatinine_clearance`: Cockcroft–Gault (1976), with the weight used — actual,
  ideal (Devine) or adjusted — chosen explicitly and reported.
- :func:`carboplatin_dose`: Calvert (1989), dose (mg) = AUC × (GFR + 25). The 125 mL/min
  cap on the GFR is the FDA's recommendation, not part of Calvert's formula; with it the
  dose never exceeds AUC × 150 mg.
- :func:`regimen_sheet`: every drug of a regimen from ``data/regimens.csv`` worked out
  for one set of body measures, with the organ-function and pharmacogenetic checks a
  pharmacy makes (:data:`ORGAN_FUNCTION_RULES`) printed as warnings with their sources.

These functions teach how doses are derived. They are not a prescribing tool: real
prescribing follows local protocols, measured renal function where needed, dose
banding and rounding rules, and a pharmacist's check.

Sources: ``../shared/reference/clinical_facts.md`` §4 (formulas as printed in the NCCN
chemotherapy-order templates, Appendix B, and calculator references; regimen schedules
from the trials named in ``data/regimens.csv``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from nec import _validate

#: Creatinine: 1 mg/dL = 88.4 µmol/L (molar mass 113.12 g/mol).
UMOL_PER_MG_DL = 88.4

#: GFR cap (mL/min) for carboplatin dosing recommended by the FDA (not part of Calvert's
#: formula): AUC × (125 + 25) is the largest dose (NCCN templates, Appendix B;
#: clinical_facts.md §4.3).
CARBOPLATIN_GFR_CAP_ML_MIN = 125.0

#: Below this creatinine (mg/dL) an estimate is "from a low creatinine": the NCCN template
#: suggests considering a minimum creatinine of 0.7 mg/dL in elderly or cachectic patients,
#: whose low muscle mass makes Cockcroft–Gault overestimate clearance (clinical_facts.md §4.2).
LOW_CREATININE_MG_DL = 0.7

#: The floors a user may choose for a low creatinine (mg/dL): 0.7 as in the NCCN template
#: (clinical_facts.md §4.2); 0.8 is the other value in local use. Anything else is refused, so
#: a typo (7 for 0.7) cannot raise every creatinine.
CREATININE_FLOORS_MG_DL = (0.7, 0.8)

#: The lowest serum creatinine accepted (mg/dL; 8.8 µmol/L). Adult reference ranges start
#: near 0.5 mg/dL (45 µmol/L); a value below 0.1 mg/dL is a typing or unit slip, not a result.
MIN_CREATININE_MG_DL = 0.1

#: The highest serum creatinine accepted in mg/dL: a larger number is almost certainly in
#: µmol/L (1 mg/dL = 88.4 µmol/L), where the adult range is 45–120.
MAX_CREATININE_MG_DL = 20.0

#: Devine's ideal body weight adds 2.3 kg per inch *over* 5 ft (60 in = 152.4 cm)
#: (clinical_facts.md §4.2). Below that height the formula is not defined (extrapolated it
#: falls to zero near 100 cm), so no ideal or adjusted weight is computed there.
DEVINE_MIN_HEIGHT_CM = 152.4

#: clincalc's rule for the weight in Cockcroft–Gault (clinical_facts.md §4.2): actual/ideal
#: weight below 1 → actual; 1–1.25 → ideal; above 1.25 (or BMI above 30) → adjusted.
CLINCALC_ADJUSTED_RATIO = 1.25
CLINCALC_ADJUSTED_BMI = 30.0

#: The NCCN template "considers" the adjusted weight from this BMI (kg/m²) upward
#: (clinical_facts.md §4.2).
NCCN_ADJUSTED_BMI = 25.0

#: The largest GFR a user may *type* (mL/min): a measured adult GFR above 250 mL/min is a
#: typing slip. A Cockcroft–Gault estimate is not held to it: its inputs are checked one by
#: one, and a very low creatinine can give an estimate above 250 that the FDA cap of
#: 125 mL/min then limits (clinical_facts.md §4.3).
MAX_TYPED_GFR_ML_MIN = 250.0

#: Adult height accepted (cm). A plausibility bound chosen for this book, not a published
#: limit: 100–250 cm admits every adult a regimen sheet is made for and refuses the usual
#: slips, a height in metres (1.75) or in feet (5.9).
HEIGHT_RANGE_CM = (100.0, 250.0)

#: Adult weight accepted (kg). A plausibility bound chosen for this book, not a published
#: limit: below 25 kg is no adult receiving these regimens (a slip, or a weight in stones),
#: above 350 kg a typing slip (an extra digit, or a large weight typed in pounds).
WEIGHT_RANGE_KG = (25.0, 350.0)

#: Below this creatinine in µmol/L the number is almost certainly in mg/dL (an adult's
#: 0.5–1.3 mg/dL typed with the µmol/L unit): 10 µmol/L is 0.11 mg/dL, near
#: :data:`MIN_CREATININE_MG_DL` and far below any adult reference range (45–120 µmol/L).
MIN_CREATININE_UMOL_L = 10.0

#: Target AUC accepted for carboplatin (mg/mL·min): the regimens target about 4 to 7
#: (Calvert's formula; clinical_facts.md §4.3); 1–8 leaves room for a de-escalated or
#: trial target while refusing a dose in mg (e.g. 500) typed as an AUC.
CARBOPLATIN_AUC_RANGE = (1.0, 8.0)

#: A GFR cap other than the FDA's 125 mL/min may be given (local practice), within
#: 60–200 mL/min: a cap below 60 would cap ordinary renal function, one above 200 caps nothing.
GFR_CAP_RANGE_ML_MIN = (60.0, 200.0)

#: Age range (years) of the formulas: Cockcroft–Gault was derived in adults, and the
#: regimens' trials enrolled adults (TOPIC-NEC: 20–75 years; clinical_facts.md §3.1).
AGE_RANGE_YEARS = (18, 110)

_SEX = {"female": "female", "f": "female", "woman": "female",
        "male": "male", "m": "male", "man": "male"}
_UNIT = {"mg/dl": "mg/dL", "mg dl": "mg/dL", "umol/l": "umol/L", "µmol/l": "umol/L",
         "umol l": "umol/L", "micromol/l": "umol/L"}
_BSA_METHOD = {"mosteller": "mosteller", "dubois": "dubois", "du bois": "dubois"}
_WEIGHT_BASIS = {"actual": "actual", "ideal": "ideal", "adjusted": "adjusted"}


def _age(age) -> float:
    low, high = AGE_RANGE_YEARS
    return _validate.number(age, name="Age", unit=" years", low=low, high=high,
                            why="Cockcroft–Gault and these regimens are for adults.")


def _height(height_cm) -> float:
    low, high = HEIGHT_RANGE_CM
    return _validate.number(
        height_cm, name="Height", unit=" cm", low=low, high=high,
        why="Enter the adult height in centimetres (1 in = 2.54 cm; 1.75 m = 175 cm).",
    )


def _weight(weight_kg) -> float:
    low, high = WEIGHT_RANGE_KG
    return _validate.number(
        weight_kg, name="Weight", unit=" kg", low=low, high=high,
        why="Enter the body weight in kilograms (1 lb = 0.4536 kg).",
    )


# --- Body-surface area ---------------------------------------------------------------

@_validate.refuses_bad_arguments
def bsa(*, height_cm, weight_kg, method="mosteller") -> float:
    """Body-surface area in m².

    Mosteller: √(height cm × weight kg / 3600) (N Engl J Med 1987;317:1098).
    DuBois & DuBois: 0.007184 × height^0.725 × weight^0.425 (Arch Intern Med
    1916;17:863), which underestimates BSA by a few per cent in obesity.

    Examples
    --------
    >>> bsa(height_cm=180, weight_kg=80)
    2.0
    """
    h, w = _height(height_cm), _weight(weight_kg)
    m = _validate.choice(method, name="BSA method", options=_BSA_METHOD)
    if m == "mosteller":
        return math.sqrt(h * w / 3600.0)
    return 0.007184 * h**0.725 * w**0.425


# --- Renal function --------------------------------------------------------------------

@_validate.refuses_bad_arguments
def ideal_body_weight(*, height_cm, sex) -> float:
    """Ideal body weight (Devine) in kg: 50 (men) or 45.5 (women) + 2.3 kg per inch over 5 ft.

    Defined from 5 ft (152.4 cm, :data:`DEVINE_MIN_HEIGHT_CM`) upward: a smaller height is
    refused rather than extrapolated (at 100 cm the formula would give a negative weight).

    >>> round(ideal_body_weight(height_cm=180, sex="male"), 2)
    74.99
    """
    h = _height(height_cm)
    s = _validate.choice(sex, name="Sex", options=_SEX)
    if h < DEVINE_MIN_HEIGHT_CM:
        raise ValueError(
            f"Devine's ideal body weight is defined from 5 ft ({DEVINE_MIN_HEIGHT_CM:g} cm) "
            f"upward (2.3 kg per inch over 60 in); a height of {h:g} cm is below it, and "
            "extrapolating would give too small (even negative) a weight. Use the actual "
            "weight."
        )
    base = 50.0 if s == "male" else 45.5
    return base + 2.3 * (h / 2.54 - 60.0)


@dataclass(frozen=True)
class CreatinineClearance:
    """Cockcroft–Gault creatinine clearance and exactly how it was obtained.

    ``weight_basis`` is the weight that entered the formula (``"actual"``, ``"ideal"`` or
    ``"adjusted"``); ``weight_requested`` is the one asked for, which differs when the
    actual weight is below the ideal weight (the actual weight is then used).
    ``creatinine_mg_dl`` is the value used, ``creatinine_measured_mg_dl`` the value
    given; they differ when a floor raised it.
    """

    ml_min: float
    weight_basis: str
    weight_used_kg: float
    creatinine_mg_dl: float
    notes: tuple[str, ...] = field(default_factory=tuple)
    weight_requested: str = ""
    creatinine_measured_mg_dl: float | None = None
    creatinine_floor_mg_dl: float | None = None

    def __float__(self) -> float:
        return self.ml_min

    def summary(self) -> str:
        weight = f"{self.weight_basis} body weight {self.weight_used_kg:.1f} kg"
        if self.weight_requested and self.weight_requested != self.weight_basis:
            weight += f" (the {self.weight_requested} weight was asked for)"
        creatinine = f"creatinine {self.creatinine_mg_dl:.2f} mg/dL"
        measured = self.creatinine_measured_mg_dl
        if measured is not None and measured != self.creatinine_mg_dl:
            creatinine += (f" (measured {measured:.2f}, raised to the floor of "
                           f"{self.creatinine_floor_mg_dl:g})")
        shown = _ml_min_text(self.ml_min, _CLEARANCE_THRESHOLDS_ML_MIN)
        lines = [f"Creatinine clearance {shown} mL/min (Cockcroft–Gault, "
                 f"{weight}, {creatinine})"]
        return "\n".join(lines + [f"Note: {n}" for n in self.notes])

    def __str__(self) -> str:
        return self.summary()


@_validate.refuses_bad_arguments
def creatinine_mg_dl(creatinine, unit) -> float:
    """Serum creatinine in mg/dL, from a value in ``"mg/dL"`` or ``"umol/L"``.

    Refuses 0, negative values and values that only make sense in the other unit.
    """
    u = _validate.choice(unit, name="Creatinine unit", options=_UNIT)
    shown = "mg/dL" if u == "mg/dL" else "µmol/L"
    raw = _validate.number(creatinine, name="Serum creatinine", unit=f" {shown}")
    if raw <= 0:
        raise ValueError(
            f"Serum creatinine must be greater than 0 (got {raw:g} {shown}): a creatinine "
            "of zero or below is not a measurement. Check the laboratory value."
        )
    if u == "mg/dL":
        if raw > MAX_CREATININE_MG_DL:
            raise ValueError(
                f"Serum creatinine must be at most {MAX_CREATININE_MG_DL:g} mg/dL (got "
                f"{raw:g} mg/dL). A value above {MAX_CREATININE_MG_DL:g} is almost certainly "
                "in µmol/L: choose that unit."
            )
        if raw < MIN_CREATININE_MG_DL:
            raise ValueError(
                f"Serum creatinine {raw:g} mg/dL is below {MIN_CREATININE_MG_DL:g} mg/dL, "
                "lower than any adult result (reference ranges start near 0.5 mg/dL): "
                "check the value and its unit."
            )
        return raw
    value = _validate.number(
        creatinine, name="Serum creatinine", unit=" µmol/L", low=0,
        high=MAX_CREATININE_MG_DL * UMOL_PER_MG_DL, low_inclusive=False,
        why="Typical adult values are 45–120 µmol/L.",
    )
    if value < MIN_CREATININE_UMOL_L:
        raise ValueError(
            f"Serum creatinine {value:g} µmol/L is implausibly low: a value this small is "
            "almost certainly in mg/dL. Choose that unit."
        )
    return value / UMOL_PER_MG_DL


@_validate.refuses_bad_arguments
def creatinine_clearance(*, age, weight_kg, creatinine, sex, unit="mg/dL",
                         weight="actual", height_cm=None,
                         creatinine_floor_mg_dl=None) -> CreatinineClearance:
    """Cockcroft–Gault creatinine clearance in mL/min.

    CrCl = (140 − age) × weight / (72 × creatinine in mg/dL), × 0.85 for women
    (Cockcroft & Gault, Nephron 1976;16:31). Creatinine in µmol/L is converted with
    1 mg/dL = 88.4 µmol/L, which matches the µmol/L form (× 1.23 / SCr) to 0.2 %.
    Cockcroft–Gault *estimates creatinine clearance*; it is not a measured GFR.

    Parameters
    ----------
    age
        Years (18–110): the formula was derived in adults.
    weight_kg, height_cm
        Actual body weight; height is needed for the ideal or adjusted weight.
    creatinine, unit
        Serum creatinine and its unit, ``"mg/dL"`` or ``"umol/L"``.
    sex
        ``"female"`` or ``"male"``.
    weight
        Which weight enters the formula: ``"actual"`` (as in the original study),
        ``"ideal"`` (Devine) or ``"adjusted"`` (ideal + 0.4 × (actual − ideal)). Sources
        differ on when to switch (adjusted weight from BMI ≥ 25 in the NCCN template,
        from BMI > 30 or actual/ideal > 1.25 in others), so the choice is the user's and
        is reported. When the actual weight is *below* the ideal weight, the actual weight
        is used whatever the choice (actual/ideal < 1 → actual; clinical_facts.md §4.2),
        and a note says so: the ideal or adjusted weight would then be above what the
        patient weighs and overestimate clearance.
    creatinine_floor_mg_dl
        ``None`` (default: the measured value is used) or one of
        :data:`CREATININE_FLOORS_MG_DL` (0.7 or 0.8 mg/dL): a lower measured creatinine is
        rounded up to it, as the NCCN template suggests considering for elderly or
        cachectic patients, and the result says so.

    Returns
    -------
    CreatinineClearance
        ``ml_min`` and how it was obtained; ``notes`` hold every substitution (weight,
        floor), where the weight chosen differs from clincalc's rule, and, for any
        creatinine below :data:`LOW_CREATININE_MG_DL` (whatever the estimate), the estimate
        the 0.7 mg/dL floor would give beside it. Creatinines in notes are shown in mg/dL
        and µmol/L.

    Examples
    --------
    >>> creatinine_clearance(age=60, weight_kg=72, creatinine=1.0, sex="male").ml_min
    80.0
    >>> thin = creatinine_clearance(age=60, weight_kg=45, creatinine=0.8, sex="male",
    ...                             height_cm=180, weight="ideal")
    >>> thin.ml_min, thin.weight_basis
    (62.5, 'actual')
    """
    a = _age(age)
    w_actual = _weight(weight_kg)
    s = _validate.choice(sex, name="Sex", options=_SEX)
    measured = creatinine_mg_dl(creatinine, unit)
    requested = _validate.choice(weight, name="Weight basis", options=_WEIGHT_BASIS)
    floor = _creatinine_floor(creatinine_floor_mg_dl)
    if requested != "actual" and height_cm is None:
        raise ValueError(f"The {requested} body weight needs the height: give height_cm.")
    notes = []
    scr = measured
    if floor is not None and measured < floor:
        scr = floor
        notes.append(f"Measured creatinine {_both_units(measured)} was rounded up to the "
                     f"chosen floor of {_both_units(floor)} (NCCN template: consider a "
                     f"minimum of {LOW_CREATININE_MG_DL:g} mg/dL in elderly or cachectic "
                     "patients).")
    basis, w_used = requested, w_actual
    if height_cm is not None:
        h = _height(height_cm)
        bmi = w_actual / (h / 100) ** 2
        ibw = ideal_body_weight(height_cm=h, sex=s) if h >= DEVINE_MIN_HEIGHT_CM else None
        ratio = w_actual / ibw if ibw is not None else None
        ratio_text = f", actual/ideal weight {ratio:.2f}" if ratio is not None else ""
        if requested == "actual" and (bmi >= NCCN_ADJUSTED_BMI or (
                ratio is not None and ratio > CLINCALC_ADJUSTED_RATIO)):
            notes.append(
                f"BMI {bmi:.1f} kg/m²{ratio_text}: the actual weight was used as chosen. "
                f"The NCCN template considers the adjusted weight from BMI ≥ "
                f"{NCCN_ADJUSTED_BMI:g}; clincalc's rule uses it above actual/ideal "
                f"{CLINCALC_ADJUSTED_RATIO:g} or BMI > {CLINCALC_ADJUSTED_BMI:g}."
            )
        if requested != "actual" and ibw is None:
            basis = "actual"
            notes.append(
                f"Height {h:g} cm is below 5 ft ({DEVINE_MIN_HEIGHT_CM:g} cm), where Devine's "
                f"ideal body weight is not defined: the actual weight {w_actual:g} kg was "
                f"used instead of the {requested} weight."
            )
            if bmi >= NCCN_ADJUSTED_BMI:
                # The ideal/adjusted weights that correct for obesity are undefined here, so
                # the fallback must not hide the obesity the user asked to correct for.
                notes.append(
                    f"BMI {bmi:.1f} kg/m²: the sources correct the weight for obesity (the "
                    "original Cockcroft–Gault study suggested a correction for marked obesity; "
                    "the NCCN template considers the adjusted weight from BMI ≥ "
                    f"{NCCN_ADJUSTED_BMI:g}). The actual weight makes no such correction, so "
                    "this estimate is higher than a corrected weight would give; a measured GFR "
                    "avoids the choice of weight."
                )
        elif requested != "actual" and w_actual < ibw:
            basis = "actual"
            notes.append(
                f"Actual weight {w_actual:g} kg is below the ideal weight ({ibw:.1f} kg): the "
                f"actual weight was used instead of the {requested} weight, following the usual "
                "rule (actual/ideal weight below 1: actual weight)."
            )
        elif requested == "ideal":
            w_used = ibw
            notes.append(f"Ideal body weight (Devine) {ibw:.1f} kg was used instead of the "
                         f"actual {w_actual:g} kg.")
        elif requested == "adjusted":
            w_used = ibw + 0.4 * (w_actual - ibw)
            notes.append(
                f"Adjusted body weight {w_used:.1f} kg = ideal {ibw:.1f} + 0.4 × (actual "
                f"{w_actual:g} − ideal {ibw:.1f}) kg was used (NCCN template)."
            )
        if basis != "actual":
            rule = ("adjusted" if ratio > CLINCALC_ADJUSTED_RATIO or bmi > CLINCALC_ADJUSTED_BMI
                    else "ideal")
            if rule != requested:
                notes.append(
                    f"Actual/ideal weight {ratio:.2f} (BMI {bmi:.1f} kg/m²): clincalc's rule "
                    f"would use the {rule} weight here (ideal for 1–"
                    f"{CLINCALC_ADJUSTED_RATIO:g}, adjusted above {CLINCALC_ADJUSTED_RATIO:g} "
                    f"or BMI > {CLINCALC_ADJUSTED_BMI:g}); the {requested} weight was used as "
                    "chosen."
                )
    female = 0.85 if s == "female" else 1.0

    def cockcroft_gault(creatinine_used_mg_dl):
        return (140.0 - a) * w_used / (72.0 * creatinine_used_mg_dl) * female

    crcl = cockcroft_gault(scr)
    if scr < LOW_CREATININE_MG_DL:
        floored = cockcroft_gault(LOW_CREATININE_MG_DL)
        notes.append(
            f"Creatinine {_both_units(scr)} is below {_both_units(LOW_CREATININE_MG_DL)}: "
            "the NCCN template suggests considering a minimum creatinine of "
            f"{LOW_CREATININE_MG_DL:g} mg/dL in elderly or cachectic patients "
            "(creatinine_floor_mg_dl), or a measured clearance. With that floor this "
            f"estimate would be {floored:.1f} mL/min instead of {crcl:.1f} mL/min."
        )
    return CreatinineClearance(crcl, basis, w_used, scr, tuple(notes),
                               weight_requested=requested,
                               creatinine_measured_mg_dl=measured,
                               creatinine_floor_mg_dl=floor)


def _ml_min_text(value: float, thresholds=()) -> str:
    """``value`` with one decimal, or more when one decimal would print it as a threshold.

    A clearance of 59.99 mL/min printed as "60.0" beside "contraindicated below 60" reads
    as a contradiction; the printed value must fall on the same side as the real one.

    >>> _ml_min_text(59.99, (60,)), _ml_min_text(72.46, (60,)), _ml_min_text(60, (60,))
    ('59.99', '72.5', '60.0')
    """
    for digits in range(1, 7):
        text = f"{value:.{digits}f}"
        if all(value == t or float(text) != t for t in thresholds):
            return text
    return text


def _both_units(creatinine_mg_dl: float) -> str:
    """A creatinine in both units, e.g. ``"0.40 mg/dL (35 µmol/L)"``."""
    return f"{creatinine_mg_dl:.2f} mg/dL ({creatinine_mg_dl * UMOL_PER_MG_DL:.0f} µmol/L)"


def _creatinine_floor(value) -> float | None:
    if value is None:
        return None
    allowed = " or ".join(f"{f:g}" for f in CREATININE_FLOORS_MG_DL)
    v = _validate.number(value, name="The creatinine floor", unit=" mg/dL",
                         why=f"Choose {allowed} mg/dL, or none.")
    if not any(math.isclose(v, f) for f in CREATININE_FLOORS_MG_DL):
        raise ValueError(f"The creatinine floor must be {allowed} mg/dL or none (got "
                         f"{v:g} mg/dL): these are the floors in use (NCCN template: 0.7).")
    return v


# --- Carboplatin ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CarboplatinDose:
    """A carboplatin dose by the Calvert formula and whether the FDA's GFR cap applied.

    ``gfr_kind`` says what the GFR was: ``"measured"``, ``"cockcroft-gault"`` (an
    estimate of creatinine clearance standing in for it) or ``"unspecified"``; ``notes``
    say what that means for the formula.
    """

    dose_mg: float
    auc: float
    gfr_ml_min: float
    gfr_used_ml_min: float
    capped: bool
    warning: str | None
    gfr_kind: str = "unspecified"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        text = (f"Carboplatin {self.dose_mg:.0f} mg = AUC {self.auc:g} × "
                f"({self.gfr_used_ml_min:g} + 25)")
        text += "".join(f"\nNote: {n}" for n in self.notes)
        return text + (f"\nWarning: {self.warning}" if self.warning else "")

    def __str__(self) -> str:
        return self.summary()


def _renal_value(value, *, name, estimated) -> float:
    """A GFR or clearance in mL/min: above 0; at most 250 unless it is an estimate."""
    if estimated:
        return _validate.number(value, name=name, unit=" mL/min", low=0,
                                low_inclusive=False,
                                why="A Cockcroft–Gault estimate is always above 0.")
    return _validate.number(
        value, name=name, unit=" mL/min", low=0, high=MAX_TYPED_GFR_ML_MIN,
        low_inclusive=False,
        why=f"A GFR of 0 or below is not a measurement; above {MAX_TYPED_GFR_ML_MIN:g} "
            "mL/min is beyond any adult kidney.")


_GFR_KIND = {"measured": "measured", "cockcroft gault": "cockcroft-gault",
             "estimated": "cockcroft-gault", "unspecified": "unspecified"}
_GFR_WORDS = {"measured": "measured GFR", "cockcroft-gault": "Cockcroft–Gault estimate",
              "unspecified": "GFR"}


@_validate.refuses_bad_arguments
def carboplatin_dose(*, auc, gfr_ml_min, cap_ml_min=CARBOPLATIN_GFR_CAP_ML_MIN,
                     gfr_kind="unspecified") -> CarboplatinDose:
    """Carboplatin dose in mg by Calvert, AUC × (GFR + 25), with the FDA's GFR cap.

    The dose is a total in mg, not per m². Calvert's formula (J Clin Oncol 1989;7:1748)
    has no cap: it was derived with GFR measured by ⁵¹Cr-EDTA. The 125 mL/min cap is the
    FDA's recommendation (NCCN templates, Appendix B), which keeps an overestimated GFR
    from giving an overdose: the dose can never exceed AUC × 150 mg. A Cockcroft–Gault
    creatinine clearance is an estimate standing in for the measured GFR; the result says
    so when ``gfr_kind="cockcroft-gault"``, and says when a *measured* GFR was capped.

    Parameters
    ----------
    auc
        Target AUC in mg/mL·min (1–8; NEC regimens use 5).
    gfr_ml_min
        The GFR in mL/min: above 0, and at most :data:`MAX_TYPED_GFR_ML_MIN` (250) when
        measured or unspecified. A Cockcroft–Gault estimate has no upper bound here (its
        inputs were checked by :func:`creatinine_clearance`); the cap limits it.
    cap_ml_min
        The cap (default :data:`CARBOPLATIN_GFR_CAP_ML_MIN`, 125 mL/min).
    gfr_kind
        ``"measured"``, ``"cockcroft-gault"`` or ``"unspecified"``.

    Examples
    --------
    >>> carboplatin_dose(auc=5, gfr_ml_min=90).dose_mg
    575.0
    >>> carboplatin_dose(auc=5, gfr_ml_min=140).dose_mg
    750.0
    """
    target = _validate.number(auc, name="Target AUC", unit=" mg/mL·min",
                              low=CARBOPLATIN_AUC_RANGE[0], high=CARBOPLATIN_AUC_RANGE[1],
                              why="Carboplatin regimens target an AUC of about 4 to 7.")
    kind = _validate.choice(gfr_kind, name="GFR kind", options=_GFR_KIND)
    gfr = _renal_value(gfr_ml_min, name="GFR", estimated=kind == "cockcroft-gault")
    cap = _validate.number(cap_ml_min, name="The GFR cap", unit=" mL/min",
                           low=GFR_CAP_RANGE_ML_MIN[0], high=GFR_CAP_RANGE_ML_MIN[1])
    used = min(gfr, cap)
    capped = gfr > cap
    warning = None
    if capped:
        # The advice the NCCN templates report concerns a GFR *estimate*; for a measured GFR
        # the cap is this sheet's own choice, and the sentence says so (clinical review 5).
        why = ("this sheet's choice: the FDA advice that the NCCN chemotherapy order templates "
               "report (to consider capping) concerns an estimated GFR"
               if kind == "measured" else
               "the NCCN chemotherapy order templates advise considering this cap, reporting "
               "an FDA recommendation for an estimated GFR")
        warning = (
            f"The {_GFR_WORDS[kind]} of {_ml_min_text(gfr, (cap,))} mL/min was capped at "
            f"{cap:g} mL/min ({why}; the cap is not part of Calvert's formula): the dose is "
            f"limited to AUC × {cap + 25:g} = {target * (cap + 25):.0f} mg."
        )
    notes = ()
    if kind == "cockcroft-gault":
        notes = ("Calvert derived the formula with GFR measured by ⁵¹Cr-EDTA; Cockcroft–Gault "
                 "estimates creatinine clearance, which stands in for it here.",)
    return CarboplatinDose(target * (used + 25.0), target, gfr, used, capped, warning,
                           gfr_kind=kind, notes=notes)


# --- Organ-function checks ------------------------------------------------------------------

#: Cisplatin: two German summaries of product characteristics contraindicate it below this
#: creatinine clearance (mL/min) (Naunyn Schmiedebergs Arch Pharmacol 2018;391:219–229,
#: PMID 29294142; clinical_facts.md §4.5, secondary source).
CISPLATIN_MIN_CLEARANCE_ML_MIN = 60.0

#: Etoposide: the SmPC reduces the dose by 25 % at creatinine clearance 15–50 mL/min, and a
#: German SmPC contraindicates it below 15 mL/min (clinical_facts.md §4.5, secondary source).
ETOPOSIDE_REDUCED_CLEARANCE_ML_MIN = (15.0, 50.0)
ETOPOSIDE_REDUCED_FRACTION = 0.75

#: The clearances (mL/min) at which the sheet's checks and the cap change: a printed
#: clearance near one of them gets more decimals (:func:`_ml_min_text`).
_CLEARANCE_THRESHOLDS_ML_MIN = (CARBOPLATIN_GFR_CAP_ML_MIN, CISPLATIN_MIN_CLEARANCE_ML_MIN,
                                *ETOPOSIDE_REDUCED_CLEARANCE_ML_MIN)


@dataclass(frozen=True)
class OrganFunctionRule:
    """One label or regulatory statement a pharmacy checks, with its source.

    ``drugs`` are the sheet drugs it applies to (matched as words inside the drug name);
    ``needs`` is ``"renal"`` (printed when a clearance is known and meets the condition),
    ``"renal-missing"`` (printed when a clearance is needed and not given) or ``"always"``
    (the sheet has no input for it: genotype, bilirubin, DPD status).
    """

    key: str
    drugs: tuple[str, ...]
    needs: str
    text: str
    source: str


_RULE_LIST = (
    OrganFunctionRule(
        "cisplatin-renal", ("cisplatin",), "renal",
        "Cisplatin at a clearance of {ml_min} mL/min ({basis}): two German summaries of "
        "product characteristics contraindicate cisplatin below 60 mL/min; carboplatin, "
        "dosed by clearance, is the usual alternative.",
        "Naunyn Schmiedebergs Arch Pharmacol 2018;391:219–229 (PMID 29294142), read in a "
        "secondary source; the case report's discussion (Sevilla-Resúa 2025) for "
        "carboplatin's milder renal toxicity."),
    OrganFunctionRule(
        "etoposide-renal", ("etoposide",), "renal",
        "Etoposide at a clearance of {ml_min} mL/min ({basis}): the etoposide SmPC "
        "reduces the dose by 25 % at 15–50 mL/min (75 % of this sheet's {dose_mg:.0f} mg a "
        "day is {reduced_mg:.0f} mg).",
        "Etoposide SmPC (Ebewe) as reproduced by MIMS, and PMID 29294142, both read in a "
        "secondary source."),
    OrganFunctionRule(
        "etoposide-renal-severe", ("etoposide",), "renal",
        "Etoposide at a clearance of {ml_min} mL/min ({basis}): a German SmPC "
        "contraindicates etoposide below 15 mL/min.",
        "PMID 29294142, read in a secondary source."),
    OrganFunctionRule(
        "platinum-etoposide-renal-missing", ("cisplatin", "etoposide"), "renal-missing",
        "Renal function was not given, so the label checks for {drugs} at reduced "
        "creatinine clearance could not be made: give age, creatinine and sex, or a "
        "measured GFR.",
        "Cisplatin and etoposide labels as summarised in PMID 29294142 and the etoposide SmPC, "
        "read in a secondary source."),
    OrganFunctionRule(
        "irinotecan-ugt1a1", ("irinotecan",), "always",
        "Irinotecan: UGT1A1 genotype and bilirubin are not inputs of this sheet. Patients "
        "homozygous for UGT1A1*28 are at higher risk of neutropenia, and the US label asks "
        "that a starting dose at least one level lower be considered (the exact reduction "
        "is not known; labels differ between countries); the label also warns of more "
        "neutropenia when bilirubin is raised.",
        "Irinotecan US prescribing information §5.3."),
    OrganFunctionRule(
        "fluoropyrimidine-dpd", ("fluorouracil", "capecitabine"), "always",
        "Fluorouracil: DPD (dihydropyrimidine dehydrogenase) status is not an input of this "
        "sheet. The EMA recommends testing for DPD deficiency before fluorouracil, "
        "capecitabine or tegafur is started: contraindicated in complete deficiency, a "
        "reduced starting dose to be considered in partial deficiency.",
        "EMA press release of 30 April 2020 on DPD testing."),
)

#: The organ-function and pharmacogenetic rules a regimen sheet prints, by key. Each is a
#: label or regulatory statement with its source; a rule without a source is not here.
ORGAN_FUNCTION_RULES = {r.key: r for r in _RULE_LIST}


def _uses(drug: str, rule: OrganFunctionRule) -> bool:
    return any(word in drug for word in rule.drugs)


@_validate.refuses_bad_arguments
def organ_function_checks(drugs, *, clearance_ml_min=None, basis="",
                          doses_mg=None) -> tuple[str, ...]:
    """The warnings of :data:`ORGAN_FUNCTION_RULES` that apply to ``drugs``.

    Each warning ends with its source. They teach what a pharmacy checks; they are not
    dosing instructions, and the sheet's doses are never changed by them.

    Parameters
    ----------
    drugs
        Drug names as in ``data/regimens.csv`` (e.g. ``["cisplatin", "etoposide"]``).
    clearance_ml_min
        Creatinine clearance or measured GFR in mL/min; ``None`` if not known.
    basis
        What the clearance is, for the message (e.g. ``"Cockcroft–Gault estimate"``). A
        basis naming Cockcroft–Gault marks an estimate, which is not held to the
        250 mL/min bound of a typed value (:data:`MAX_TYPED_GFR_ML_MIN`).
    doses_mg
        ``{drug: dose per day in mg}``, to show what a label's reduction would be.

    >>> organ_function_checks(["cisplatin"], clearance_ml_min=20, basis="measured GFR")[0][:43]
    'Cisplatin at a clearance of 20.0 mL/min (me'
    """
    if isinstance(drugs, str) or not isinstance(drugs, list | tuple) or not all(
            isinstance(d, str) for d in drugs):
        raise ValueError("The drugs must be a list of drug names as in data/regimens.csv "
                         f"(e.g. ['cisplatin', 'etoposide']), not {drugs!r}.")
    names = list(drugs)
    if not names:
        raise ValueError("The drugs list is empty: give the drug names as in "
                         "data/regimens.csv, e.g. ['cisplatin', 'etoposide'].")
    known = sorted({r["drug"] for r in regimen_rows()} | {w for r in _RULE_LIST
                                                            for w in r.drugs})
    for name in names:
        if name not in known and not any(w in name for r in _RULE_LIST for w in r.drugs):
            raise ValueError(f"Unknown drug {name!r}: the drugs the checks know are "
                             f"{', '.join(known)} (written as in data/regimens.csv, in "
                             "lower case).")
    if not isinstance(basis, str):
        raise ValueError(f"basis says what the clearance is, in words (e.g. 'measured GFR'), "
                         f"not {basis!r}.")
    if clearance_ml_min is not None:
        clearance_ml_min = _renal_value(clearance_ml_min, name="Creatinine clearance",
                                        estimated="Cockcroft" in basis)
    if doses_mg is not None and not isinstance(doses_mg, dict):
        raise ValueError("doses_mg must be a dictionary {drug: dose per day in mg}, not "
                         f"{type(doses_mg).__name__}.")
    doses = {drug: _validate.number(dose, name=f"The dose of {drug}", unit=" mg", low=0,
                                    low_inclusive=False)
             for drug, dose in (doses_mg or {}).items()}
    out = []
    low, high = ETOPOSIDE_REDUCED_CLEARANCE_ML_MIN
    for rule in _RULE_LIST:
        hits = [d for d in names if _uses(d, rule)]
        if not hits:
            continue
        if rule.needs == "renal":
            if clearance_ml_min is None:
                continue
            v = float(clearance_ml_min)
            applies = {
                "cisplatin-renal": v < CISPLATIN_MIN_CLEARANCE_ML_MIN,
                "etoposide-renal": low <= v <= high,
                "etoposide-renal-severe": v < low,
            }[rule.key]
            if not applies:
                continue
            dose = doses.get(hits[0], float("nan"))
            text = rule.text.format(ml_min=_ml_min_text(v, _CLEARANCE_THRESHOLDS_ML_MIN),
                                    basis=basis, dose_mg=dose,
                                    reduced_mg=ETOPOSIDE_REDUCED_FRACTION * dose)
        elif rule.needs == "renal-missing":
            if clearance_ml_min is not None:
                continue
            text = rule.text.format(drugs=" and ".join(dict.fromkeys(
                w for d in hits for w in rule.drugs if w in d)))
        else:
            text = rule.text
        out.append(f"{text} Source: {rule.source}")
    return tuple(out)


# --- Regimen sheets -------------------------------------------------------------------------

@dataclass(frozen=True)
class RegimenSheet:
    """One regimen worked out for one patient's measures.

    ``renal_ml_min`` is the renal function the checks used (a measured GFR, or the
    Cockcroft–Gault clearance) and ``renal_basis`` says which; both are ``None`` / ``""``
    when none was given. ``warnings`` hold every note, cap and organ-function check, each
    check ending with its source.
    """

    regimen: str
    name: str
    cycle_days: int
    bsa_m2: float
    bsa_method: str
    crcl: CreatinineClearance | None
    carboplatin: CarboplatinDose | None
    rows: tuple[dict, ...]
    warnings: tuple[str, ...]
    renal_ml_min: float | None = None
    renal_basis: str = ""

    def table(self):
        """The drugs as a :class:`pandas.DataFrame` (one row per drug)."""
        import pandas as pd

        return pd.DataFrame(list(self.rows)).set_index("drug")

    def facts(self) -> tuple[str, ...]:
        """The sheet's derivation as sentences: BSA, clearance, the Calvert sum."""
        out = [f"Every {self.cycle_days} days. Body-surface area {self.bsa_m2:.2f} m² "
               f"({self.bsa_method.capitalize()})."]
        if self.crcl is not None:
            out.append(self.crcl.summary().splitlines()[0] + ".")
        elif self.renal_ml_min is not None:
            out.append(f"Measured GFR {self.renal_ml_min:g} mL/min.")
        if self.carboplatin is not None:
            k = self.carboplatin
            # The GFR as used (60.3, not 60), so the line's own arithmetic holds.
            gfr = f"{k.gfr_used_ml_min:.0f}" if abs(k.gfr_used_ml_min - round(
                k.gfr_used_ml_min)) < 0.05 else f"{k.gfr_used_ml_min:.1f}"
            out.append(f"Carboplatin = AUC {k.auc:g} × ({gfr} + 25) = "
                       f"{k.dose_mg:.0f} mg (Calvert).")
        return tuple(out)

    def summary(self) -> str:
        lines = [f"{self.name} — every {self.cycle_days} days; BSA {self.bsa_m2:.2f} m² "
                 f"({self.bsa_method})"]
        for r in self.rows:
            lines.append(
                f"  {r['drug']}: {r['dose_per_day_mg']:.0f} mg on day(s) {r['days']} "
                f"({r['prescribed']}); {r['total_per_cycle_mg']:.0f} mg per cycle"
            )
        if self.crcl is not None:
            lines.append(f"  {self.crcl.summary().splitlines()[0]}")
        elif self.renal_ml_min is not None:
            lines.append(f"  Measured GFR {self.renal_ml_min:g} mL/min")
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def regimens():
    """The regimen schedules from ``data/regimens.csv`` as a :class:`pandas.DataFrame`,
    one row per drug (for the chapter's tables; the dose sheets read :func:`regimen_rows`)."""
    from nec.data import load

    return load("regimens")


def regimen_rows() -> list[dict]:
    """The regimen schedules from ``data/regimens.csv`` as one dictionary per drug.

    The dose sheets read the table this way, on the standard library alone, so that they
    run wherever Python runs (the live book runs them in the reader's browser).

    >>> sorted({r["regimen_id"] for r in regimen_rows()})[:2]
    ['ec', 'ep']
    """
    from nec.data import records

    return records("regimens")


@_validate.refuses_bad_arguments
def regimen_sheet(regimen, *, height_cm, weight_kg, age=None, creatinine=None, sex=None,
                  unit="mg/dL", bsa_method="mosteller", weight="actual",
                  gfr_ml_min=None, creatinine_floor_mg_dl=None) -> RegimenSheet:
    """Work out every drug of ``regimen`` for one set of body measures.

    Doses in mg/m² use the body-surface area; carboplatin uses Calvert with the GFR
    given as ``gfr_ml_min`` (a measured value) or, if that is ``None``, the Cockcroft–Gault
    creatinine clearance from ``age``, ``creatinine``, ``sex`` and the chosen ``weight``
    (and ``creatinine_floor_mg_dl``, see :func:`creatinine_clearance`).

    Every input given is checked, whether or not the regimen uses it (an EP sheet with a
    creatinine of 88 "mg/dL" or an age of 17 is refused). Renal function, when given, is
    checked against the labels' limits for cisplatin and etoposide, and irinotecan and
    fluorouracil sheets carry the UGT1A1 and DPD statements: every rule of
    :data:`ORGAN_FUNCTION_RULES` that applies is a warning with its source. The doses
    themselves are never changed by a warning.

    Regimens: ``"ep"``, ``"ep_split"``, ``"ec"``, ``"ip"``, ``"folfiri"``.

    Examples
    --------
    >>> sheet = regimen_sheet("ep", height_cm=180, weight_kg=80)
    >>> [round(r["dose_per_day_mg"]) for r in sheet.rows]
    [160, 200]
    """
    table = regimen_rows()
    known = list(dict.fromkeys(r["regimen_id"] for r in table))
    key = _validate.choice(regimen, name="Regimen", options={k.replace("_", " "): k
                                                             for k in known})
    drugs = [r for r in table if r["regimen_id"] == key]
    area = bsa(height_cm=height_cm, weight_kg=weight_kg, method=bsa_method)
    # Inputs this regimen may not use are still checked: a wrong value must never pass
    # silently because the sheet happened not to need it.
    if age is not None:
        _age(age)
    if sex is not None:
        _validate.choice(sex, name="Sex", options=_SEX)
    if creatinine is not None:
        creatinine_mg_dl(creatinine, unit)
    else:
        _validate.choice(unit, name="Creatinine unit", options=_UNIT)
    _validate.choice(weight, name="Weight basis", options=_WEIGHT_BASIS)
    _creatinine_floor(creatinine_floor_mg_dl)
    measured = None
    if gfr_ml_min is not None:
        measured = _renal_value(gfr_ml_min, name="Measured GFR", estimated=False)
    warnings: list[str] = []
    crcl = carbo = None
    renal, renal_basis = None, ""
    if measured is not None:
        renal, renal_basis = measured, "measured GFR"
    elif age is not None and creatinine is not None and sex is not None:
        crcl = creatinine_clearance(age=age, weight_kg=weight_kg, creatinine=creatinine,
                                    sex=sex, unit=unit, weight=weight, height_cm=height_cm,
                                    creatinine_floor_mg_dl=creatinine_floor_mg_dl)
        renal, renal_basis = crcl.ml_min, "Cockcroft–Gault estimate"
        warnings.extend(crcl.notes)
    rows = []
    for d in drugs:
        days = [int(x) for x in d["days"].split(";")]
        if d["dose_unit"] == "mg/m2":
            per_day = d["dose"] * area
            prescribed = f"{d['dose']:g} mg/m²"
        elif d["dose_unit"] == "AUC":
            if renal is None:
                raise ValueError(
                    "Carboplatin needs renal function: give a measured GFR "
                    "(gfr_ml_min) or age, creatinine and sex for Cockcroft–Gault."
                )
            carbo = carboplatin_dose(auc=d["dose"], gfr_ml_min=renal,
                                     gfr_kind="measured" if measured is not None
                                     else "cockcroft-gault")
            warnings.extend(carbo.notes)
            if carbo.warning:
                warnings.append(carbo.warning)
            per_day = carbo.dose_mg
            prescribed = f"AUC {d['dose']:g}"
        elif d["dose_unit"] == "mg/kg":
            per_day = d["dose"] * _weight(weight_kg)
            prescribed = f"{d['dose']:g} mg/kg"
        else:
            per_day = d["dose"]
            prescribed = f"{d['dose']:g} mg flat"
        rows.append({
            "drug": d["drug"],
            "prescribed": prescribed,
            "dose_per_day_mg": per_day,
            "days": ", ".join(map(str, days)),
            # What is given over a cycle: the daily dose as the sheet prints it (whole mg),
            # times its days, so the printed total is the sum of the printed daily doses.
            # round() is how the sheet prints a dose (f"{x:.0f}" rounds half to even too).
            "total_per_cycle_mg": float(round(per_day)) * len(days),
            "route": d["route"] + (f" over {d['infusion']}" if d["infusion"] else ""),
        })
    warnings.extend(organ_function_checks(
        [r["drug"] for r in rows], clearance_ml_min=renal, basis=renal_basis,
        doses_mg={r["drug"]: r["dose_per_day_mg"] for r in rows}))
    return RegimenSheet(
        regimen=key,
        name=drugs[0]["regimen_name"],
        cycle_days=int(drugs[0]["cycle_days"]),
        bsa_m2=area,
        bsa_method=_validate.choice(bsa_method, name="BSA method", options=_BSA_METHOD),
        crcl=crcl,
        carboplatin=carbo,
        rows=tuple(rows),
        warnings=tuple(warnings),
        renal_ml_min=renal,
        renal_basis=renal_basis,
    )


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
_validate.refuse_bad_arguments_in(globals())
