"""Dose formulas for the regimens taught in the book, and regimen dose sheets.

- :func:`bsa`: body-surface area by Mosteller (1987) or DuBois & DuBois (1916).
- :func:`creatinine_clearance`: Cockcroft–Gault (1976), with the weight used — actual,
  ideal (Devine) or adjusted — chosen explicitly and reported.
- :func:`carboplatin_dose`: Calvert (1989), dose (mg) = AUC × (GFR + 25), with the GFR
  capped at 125 mL/min as the FDA recommends, so the dose never exceeds AUC × 150 mg.
- :func:`regimen_sheet`: every drug of a regimen from ``data/regimens.csv`` worked out
  for one set of body measures, as a pharmacy would check it.

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

#: GFR cap (mL/min) for carboplatin dosing recommended by the FDA.
CARBOPLATIN_GFR_CAP_ML_MIN = 125.0

_SEX = {"female": "female", "f": "female", "woman": "female",
        "male": "male", "m": "male", "man": "male"}
_UNIT = {"mg/dl": "mg/dL", "mg dl": "mg/dL", "umol/l": "umol/L", "µmol/l": "umol/L",
         "umol l": "umol/L", "micromol/l": "umol/L"}
_BSA_METHOD = {"mosteller": "mosteller", "dubois": "dubois", "du bois": "dubois"}
_WEIGHT_BASIS = {"actual": "actual", "ideal": "ideal", "adjusted": "adjusted"}


def _height(height_cm) -> float:
    return _validate.number(
        height_cm, name="Height", unit=" cm", low=100, high=250,
        why="Enter the adult height in centimetres (1 in = 2.54 cm; 1.75 m = 175 cm).",
    )


def _weight(weight_kg) -> float:
    return _validate.number(
        weight_kg, name="Weight", unit=" kg", low=25, high=350,
        why="Enter the body weight in kilograms (1 lb = 0.4536 kg).",
    )


# --- Body-surface area ---------------------------------------------------------------

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

def ideal_body_weight(*, height_cm, sex) -> float:
    """Ideal body weight (Devine) in kg: 50 (men) or 45.5 (women) + 2.3 kg per inch over 5 ft.

    >>> round(ideal_body_weight(height_cm=180, sex="male"), 2)
    74.99
    """
    h = _height(height_cm)
    s = _validate.choice(sex, name="Sex", options=_SEX)
    base = 50.0 if s == "male" else 45.5
    return base + 2.3 * (h / 2.54 - 60.0)


@dataclass(frozen=True)
class CreatinineClearance:
    """Cockcroft–Gault creatinine clearance and exactly how it was obtained."""

    ml_min: float
    weight_basis: str
    weight_used_kg: float
    creatinine_mg_dl: float
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __float__(self) -> float:
        return self.ml_min

    def summary(self) -> str:
        lines = [
            f"Creatinine clearance {self.ml_min:.1f} mL/min (Cockcroft–Gault, "
            f"{self.weight_basis} body weight {self.weight_used_kg:.1f} kg, "
            f"creatinine {self.creatinine_mg_dl:.2f} mg/dL)"
        ]
        return "\n".join(lines + [f"Note: {n}" for n in self.notes])

    def __str__(self) -> str:
        return self.summary()


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
        value = _validate.number(
            creatinine, name="Serum creatinine", unit=" mg/dL", low=0, high=20,
            low_inclusive=False,
            why="A value above 20 is almost certainly in µmol/L: choose that unit.",
        )
        return value
    value = _validate.number(
        creatinine, name="Serum creatinine", unit=" µmol/L", low=0, high=1800,
        low_inclusive=False,
        why="Typical adult values are 45–120 µmol/L.",
    )
    if value < 10:
        raise ValueError(
            f"Serum creatinine {value:g} µmol/L is implausibly low: a value this small is "
            "almost certainly in mg/dL. Choose that unit."
        )
    return value / UMOL_PER_MG_DL


def creatinine_clearance(*, age, weight_kg, creatinine, sex, unit="mg/dL",
                         weight="actual", height_cm=None,
                         creatinine_floor_mg_dl=None) -> CreatinineClearance:
    """Cockcroft–Gault creatinine clearance in mL/min.

    CrCl = (140 − age) × weight / (72 × creatinine in mg/dL), × 0.85 for women
    (Cockcroft & Gault, Nephron 1976;16:31). Creatinine in µmol/L is converted with
    1 mg/dL = 88.4 µmol/L, which matches the µmol/L form (× 1.23 / SCr) to 0.2 %.

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
        is reported.
    creatinine_floor_mg_dl
        Optional minimum creatinine (e.g. 0.7 mg/dL, as some templates suggest for
        elderly or cachectic patients); a lower measured value is replaced and noted.

    Examples
    --------
    >>> creatinine_clearance(age=60, weight_kg=72, creatinine=1.0, sex="male").ml_min
    80.0
    """
    a = _validate.number(age, name="Age", unit=" years", low=18, high=110,
                         why="Cockcroft–Gault was derived in adults.")
    w_actual = _weight(weight_kg)
    s = _validate.choice(sex, name="Sex", options=_SEX)
    scr = creatinine_mg_dl(creatinine, unit)
    basis = _validate.choice(weight, name="Weight basis", options=_WEIGHT_BASIS)
    notes = []
    if creatinine_floor_mg_dl is not None:
        floor = _validate.number(creatinine_floor_mg_dl, name="The creatinine floor",
                                 unit=" mg/dL", low=0.1, high=2)
        if scr < floor:
            notes.append(f"Measured creatinine {scr:.2f} mg/dL was raised to the floor of "
                         f"{floor:g} mg/dL.")
            scr = floor
    bmi = None
    if height_cm is not None:
        ibw = ideal_body_weight(height_cm=height_cm, sex=s)
        bmi = w_actual / (_height(height_cm) / 100) ** 2
        if basis == "actual" and (bmi >= 25 or w_actual / ibw > 1.25):
            notes.append(
                f"BMI {bmi:.1f} kg/m² (actual/ideal weight {w_actual / ibw:.2f}): actual weight "
                "overestimates clearance in obesity; templates suggest adjusted weight from "
                "BMI ≥ 25 (NCCN) or > 30 (others)."
            )
    if basis == "actual":
        w_used = w_actual
    else:
        if height_cm is None:
            raise ValueError(f"The {basis} body weight needs the height: give height_cm.")
        w_used = ibw if basis == "ideal" else ibw + 0.4 * (w_actual - ibw)
        if basis == "ideal" and w_actual < ibw:
            notes.append(
                f"Actual weight ({w_actual:g} kg) is below the ideal weight ({ibw:.1f} kg); "
                "most references then use the actual weight."
            )
    crcl = (140.0 - a) * w_used / (72.0 * scr)
    if s == "female":
        crcl *= 0.85
    return CreatinineClearance(crcl, basis, w_used, scr, tuple(notes))


# --- Carboplatin ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CarboplatinDose:
    """A carboplatin dose by the Calvert formula and whether the GFR cap applied."""

    dose_mg: float
    auc: float
    gfr_ml_min: float
    gfr_used_ml_min: float
    capped: bool
    warning: str | None

    def summary(self) -> str:
        text = (f"Carboplatin {self.dose_mg:.0f} mg = AUC {self.auc:g} × "
                f"({self.gfr_used_ml_min:g} + 25)")
        return text + (f"\nWarning: {self.warning}" if self.warning else "")

    def __str__(self) -> str:
        return self.summary()


def carboplatin_dose(*, auc, gfr_ml_min,
                     cap_ml_min=CARBOPLATIN_GFR_CAP_ML_MIN) -> CarboplatinDose:
    """Carboplatin dose in mg by Calvert: AUC × (GFR + 25), GFR capped at 125 mL/min.

    The dose is a total in mg, not per m². Calvert derived the formula with GFR measured
    by ⁵¹Cr-EDTA; an estimate such as Cockcroft–Gault is a stand-in, and the FDA cap keeps
    an overestimated GFR from giving an overdose: the dose can never exceed AUC × 150 mg.

    Examples
    --------
    >>> carboplatin_dose(auc=5, gfr_ml_min=90).dose_mg
    575.0
    >>> carboplatin_dose(auc=5, gfr_ml_min=140).dose_mg
    750.0
    """
    target = _validate.number(auc, name="Target AUC", unit=" mg/mL·min", low=1, high=8,
                              why="Carboplatin regimens target an AUC of about 4 to 7.")
    gfr = _validate.number(gfr_ml_min, name="GFR", unit=" mL/min", low=0, high=250,
                           low_inclusive=False)
    cap = _validate.number(cap_ml_min, name="The GFR cap", unit=" mL/min", low=60, high=200)
    used = min(gfr, cap)
    capped = gfr > cap
    warning = None
    if capped:
        warning = (
            f"GFR {gfr:.0f} mL/min was capped at {cap:g} mL/min: the dose is limited to "
            f"AUC × {cap + 25:g} = {target * (cap + 25):.0f} mg."
        )
    return CarboplatinDose(target * (used + 25.0), target, gfr, used, capped, warning)


# --- Regimen sheets -------------------------------------------------------------------------

@dataclass(frozen=True)
class RegimenSheet:
    """One regimen worked out for one patient's measures."""

    regimen: str
    name: str
    cycle_days: int
    bsa_m2: float
    bsa_method: str
    crcl: CreatinineClearance | None
    carboplatin: CarboplatinDose | None
    rows: tuple[dict, ...]
    warnings: tuple[str, ...]

    def table(self):
        """The drugs as a :class:`pandas.DataFrame` (one row per drug)."""
        import pandas as pd

        return pd.DataFrame(list(self.rows)).set_index("drug")

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
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def regimens():
    """The regimen schedules from ``data/regimens.csv``, one row per drug."""
    from nec.data import load

    return load("regimens")


def regimen_sheet(regimen, *, height_cm, weight_kg, age=None, creatinine=None, sex=None,
                  unit="mg/dL", bsa_method="mosteller", weight="actual",
                  gfr_ml_min=None) -> RegimenSheet:
    """Work out every drug of ``regimen`` for one set of body measures.

    Doses in mg/m² use the body-surface area; carboplatin uses Calvert with the GFR
    given as ``gfr_ml_min`` (a measured value) or, if that is ``None``, the Cockcroft–Gault
    creatinine clearance from ``age``, ``creatinine``, ``sex`` and the chosen ``weight``.

    Regimens: ``"ep"``, ``"ep_split"``, ``"ec"``, ``"ip"``, ``"folfiri"``.

    Examples
    --------
    >>> sheet = regimen_sheet("ep", height_cm=180, weight_kg=80)
    >>> [round(r["dose_per_day_mg"]) for r in sheet.rows]
    [160, 200]
    """
    table = regimens()
    known = list(dict.fromkeys(table["regimen_id"]))
    key = _validate.choice(regimen, name="Regimen", options={k.replace("_", " "): k
                                                             for k in known})
    drugs = table[table["regimen_id"] == key]
    area = bsa(height_cm=height_cm, weight_kg=weight_kg, method=bsa_method)
    warnings: list[str] = []
    crcl = carbo = None
    rows = []
    for _, d in drugs.iterrows():
        days = [int(x) for x in d["days"].split(";")]
        if d["dose_unit"] == "mg/m2":
            per_day = d["dose"] * area
            prescribed = f"{d['dose']:g} mg/m²"
        elif d["dose_unit"] == "AUC":
            if gfr_ml_min is None:
                if age is None or creatinine is None or sex is None:
                    raise ValueError(
                        "Carboplatin needs renal function: give a measured GFR "
                        "(gfr_ml_min) or age, creatinine and sex for Cockcroft–Gault."
                    )
                crcl = creatinine_clearance(age=age, weight_kg=weight_kg,
                                            creatinine=creatinine, sex=sex, unit=unit,
                                            weight=weight, height_cm=height_cm)
                gfr = crcl.ml_min
                warnings.extend(crcl.notes)
            else:
                gfr = gfr_ml_min
            carbo = carboplatin_dose(auc=d["dose"], gfr_ml_min=gfr)
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
            "total_per_cycle_mg": per_day * len(days),
            "route": d["route"] + (f" over {d['infusion']}" if d["infusion"] else ""),
        })
    return RegimenSheet(
        regimen=key,
        name=drugs["regimen_name"].iloc[0],
        cycle_days=int(drugs["cycle_days"].iloc[0]),
        bsa_m2=area,
        bsa_method=_validate.choice(bsa_method, name="BSA method", options=_BSA_METHOD),
        crcl=crcl,
        carboplatin=carbo,
        rows=tuple(rows),
        warnings=tuple(warnings),
    )
