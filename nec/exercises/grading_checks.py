"""Checkers for the chapter on WHO grading."""

from __future__ import annotations

import math
import re

from nec import grading
from nec.exercises._core import (
    _Category,
    _compare_categories,
    _kind_problem,
    _negated,
    _net_subtype_problem,
    _number,
    _parse_category,
    exercise,
)

# --- Chapter: WHO grading -----------------------------------------------------------------

# Not the chapter's worked example (Ki-67 12 %, 25 mitoses): the reader applies the rule anew.
DISCORDANT = dict(ki67=4, mitoses_per_2mm2=22, differentiation="well", edition=2019)
_DISCORDANT_CONTEXT = (f"Ki-67 {DISCORDANT['ki67']:g} %, {DISCORDANT['mitoses_per_2mm2']:g} "
                       "mitoses, well differentiated")


@exercise(
    "grading-discordant",
    "grading",
    f"A well-differentiated pancreatic tumour has Ki-67 {DISCORDANT['ki67']:g} % and "
    f"{DISCORDANT['mitoses_per_2mm2']:g} mitoses per 2 mm². Name its WHO 2019 category.",
)
def _grading_discordant(answer):
    expected = grading.classify(**DISCORDANT).category
    if _negated(answer):
        return False, (
            "Name the category the tumour is, not one it is not: e.g. 'NET G2' "
            f"({_DISCORDANT_CONTEXT})."
        )
    if isinstance(answer, str) and _parse_category(answer) == _Category("net", 2, None):
        return False, (
            f"You graded by Ki-67 alone ({DISCORDANT['ki67']:g} % is G2). The mitotic count, "
            f"{DISCORDANT['mitoses_per_2mm2']:g} per 2 mm², is above 20 and gives G3; the "
            "higher of the two indices sets the grade."
        )
    return _compare_categories(answer, expected, _DISCORDANT_CONTEXT)


# Not the chapter's worked example (17 mitoses, 0.55 mm fields): here the conversion also
# changes the mitotic grade (dividing by five would give G2; the true rate is G1).
HPF = dict(mitoses=12, fields=50, field_diameter_mm=0.60)


@exercise(
    "grading-hpf",
    "grading",
    f"A pathologist counts {HPF['mitoses']} mitoses in {HPF['fields']} high-power fields on a "
    f"microscope whose field is {HPF['field_diameter_mm']:.2f} mm across. Give the count per "
    "2 mm² (one decimal).",
)
def _grading_hpf(answer):
    value = _number(answer)
    if value is None:
        return False, ("Give the count per 2 mm² as a number (one decimal): the mitoses scaled "
                       "from the area the fields cover to 2 mm².")
    expected = grading.mitotic_count_per_2mm2(**HPF)
    fields, diameter = HPF["fields"], HPF["field_diameter_mm"]
    area_one_field = math.pi * (diameter / 2) ** 2
    mitotic_grade = grading.get_edition(2019).mitotic_grade
    grade = mitotic_grade(expected)
    if abs(value - expected) <= 0.051:
        return True, (
            f"{expected:.1f} per 2 mm²: {fields} fields of {area_one_field:.3f} mm² cover "
            f"{fields * area_one_field:.2f} mm², so the count is scaled by 2 / "
            f"{fields * area_one_field:.2f}. That is mitotic grade G{grade}."
        )
    naive = HPF["mitoses"] / 5
    slips = {
        naive: (
            "You divided by 5, as if each field were 0.2 mm² (the WHO reference field). "
            f"A {diameter:.2f} mm field is larger: π × {diameter / 2:g}² = "
            f"{area_one_field:.3f} mm²"
            + (f", and here the slip changes the mitotic grade (G{mitotic_grade(naive)} "
               "instead of the true one)." if mitotic_grade(naive) != grade else ".")
        ),
        HPF["mitoses"] / (fields * area_one_field): (
            "That is the count per 1 mm²; the grade uses mitoses per 2 mm², so double it."
        ),
        HPF["mitoses"] * 2 / (fields * math.pi * diameter ** 2): (
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


def _unanswered(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _part(label: str, answer, expected: str, context: str, *,
          morphology: str, ki67: float, mixed_name: str = "MiNEN") -> tuple[bool, str]:
    """Mark one part of a multi-part answer.

    The sentence opens with the part and what it describes, then says whether it is
    right and, if not, what is wrong, e.g. "Resection (poorly differentiated,
    large-cell): not yet. The subtype is large-cell, not small-cell." ``morphology``
    ("well" or "poorly") and ``ki67`` (in %) are the tumour's, so that the feedback
    names the reason that applies to it; ``mixed_name`` is the edition's name for a
    mixed neoplasm (MANEC in WHO 2010).
    """
    head = f"{label} ({context})"
    if _unanswered(answer):
        return False, f"{head}: no answer yet."
    if not isinstance(answer, str):
        return False, f"{head}: give the category as text, e.g. 'NET G1' or 'NEC, small-cell'."
    if _negated(answer):
        return False, (f"{head}: name the category the tumour is, not one it is not, "
                       "e.g. 'NET G1' or 'NEC, small-cell'.")
    got, want = _parse_category(answer), _parse_category(expected)
    if got.kind is None:
        return False, (f"{head}: '{answer}' does not name a category; use NET with a grade "
                       "(G1–G3) or NEC with its subtype.")
    if (got.kind, want.kind) == ("net", "nec") and morphology == "well" and (
            got.grade is not None and got.grade < 3):
        # Only WHO 2010 calls a well-differentiated tumour an NEC: because it is grade 3.
        problem = (f"G{got.grade} is too low: Ki-67 {ki67:g} % is G3, and in WHO 2010 "
                   "every G3 is an NEC")
    elif got.kind != want.kind:
        problem = _kind_problem(got.kind, want.kind, morphology=morphology,
                                mixed_name=mixed_name)
    elif got.kind == "net" and got.subtype:
        problem = _net_subtype_problem(got.subtype)
    elif got.kind == "nec" and got.subtype and morphology == "well":
        # WHO 2010's NEC G3 may be well differentiated; small- and large-cell describe
        # poorly differentiated morphology, which this tumour does not have.
        problem = (f"a {got.subtype} subtype describes poorly differentiated morphology, "
                   "and this tumour is well differentiated: give the grade alone")
    elif got.grade != want.grade:
        if got.grade is None:
            problem = "the grade is missing (G1, G2 or G3)"
        else:
            way = "low" if got.grade < want.grade else "high"
            problem = (f"G{got.grade} is too {way}: work out the grade each index gives "
                       "alone, then take the higher")
    elif want.subtype and got.subtype != want.subtype:
        problem = (f"the subtype is {want.subtype}, not {got.subtype}" if got.subtype else
                   f"the subtype is missing: the morphology is {want.subtype}")
    else:
        return True, f"{head}: right, {expected}."
    return False, f"{head}: not yet. {problem[0].upper()}{problem[1:]}."


def _summary(parts: dict[str, tuple[bool, str]]) -> str:
    right = [label for label, (ok, _) in parts.items() if ok]
    wrong = [label for label, (ok, _) in parts.items() if not ok]
    if right and wrong:
        return f"{' and '.join(right)} right, {' and '.join(wrong)} not yet. "
    return ""


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
    if all(_unanswered(v) for v in answer.values()):
        return False, (
            "No answer yet: replace each None with a category as text, e.g. "
            "{'2010': 'NET G2', '2019': 'NET G2'}."
        )
    expected = {e: grading.classify(**EDITIONS_CASE, edition=e).category for e in ("2010", "2019")}
    parts = {}
    got_2010 = answer["2010"]
    if (isinstance(got_2010, str) and not _negated(got_2010)
            and _parse_category(got_2010) == _Category("net", 3, None)):
        parts["WHO 2010"] = (False, (
            "WHO 2010 (Ki-67 35 %, 8 mitoses, well differentiated): not yet. There was no "
            "NET G3 in WHO 2010: every grade-3 neoplasm was called a neuroendocrine "
            "carcinoma (NEC G3)."
        ))
    else:
        parts["WHO 2010"] = _part("WHO 2010", got_2010, expected["2010"],
                                  "Ki-67 35 %, 8 mitoses, well differentiated",
                                  morphology="well", ki67=EDITIONS_CASE["ki67"],
                                  mixed_name=grading.get_edition(2010).mixed_name)
    parts["WHO 2019"] = _part("WHO 2019", answer["2019"], expected["2019"], "the same tumour",
                              morphology="well", ki67=EDITIONS_CASE["ki67"])
    ok = all(good for good, _ in parts.values())
    message = _summary(parts) + " ".join(msg for _, msg in parts.values())
    if ok:
        message += (
            " The same tumour changed name between editions: trials that enrolled by WHO "
            "2010 'NEC G3' may have included tumours now called NET G3."
        )
    return ok, message


# The case report's two readings with a Ki-67 of 15 % instead of the reported 55 % (the
# chapter classifies the real one): the aspirate's reading then falls to G2, while the
# carcinoma stays an NEC, which the indices do not grade.
CASE_KI67 = 15
CASE_FNA = dict(ki67=CASE_KI67, mitoses_per_2mm2=None, differentiation="well", edition=2019)
CASE_RESECTION = dict(ki67=CASE_KI67, mitoses_per_2mm2=None, differentiation="poorly",
                      nec_subtype="large-cell", edition=2019)


@exercise(
    "grading-case",
    "grading",
    "The case-report patient's two readings, had his Ki-67 been 15 % instead of 55 %: the "
    "aspirate suggested a well-differentiated tumour; the resection showed a poorly "
    "differentiated large-cell carcinoma; WHO 2019. Give both categories as "
    "{'fna': ..., 'resection': ...}.",
)
def _grading_case(answer):
    if not isinstance(answer, dict) or set(answer) != {"fna", "resection"}:
        return False, "Answer with a dict with the keys 'fna' and 'resection'."
    if all(_unanswered(v) for v in answer.values()):
        return False, (
            "No answer yet: replace each None with a category as text, e.g. "
            "{'fna': 'NET G1', 'resection': 'NEC, small-cell'}."
        )
    parts = {"Aspirate": _part("Aspirate", answer["fna"], grading.classify(**CASE_FNA).category,
                               f"read as well differentiated, Ki-67 {CASE_KI67:g} %",
                               morphology="well", ki67=CASE_FNA["ki67"])}
    resection = answer["resection"]
    if isinstance(resection, str) and (
            "intermediate" in resection.lower() or _parse_category(resection).grade == 2):
        parts["Resection"] = (False, (
            "Resection (poorly differentiated, large-cell): not yet. A Ki-67 of "
            f"{CASE_KI67:g} % is in the G2 range, but WHO 2019 has no intermediate-grade "
            "carcinoma: poorly differentiated morphology makes it an NEC, high grade by "
            "definition, whatever its indices."
        ))
    else:
        parts["Resection"] = _part(
            "Resection", resection, grading.classify(**CASE_RESECTION).category,
            "poorly differentiated, large-cell",
            morphology="poorly", ki67=CASE_RESECTION["ki67"])
        if (isinstance(resection, str) and re.search(r"\bg\s*3\b", resection.lower())
                and _parse_category(resection).kind == "nec"):
            # Right or wrong on the subtype, "NEC G3" is not WHO 2019's name for a carcinoma.
            good, text = parts["Resection"]
            parts["Resection"] = (good, text + (
                " WHO 2019 gives a carcinoma no G number: it is high grade by definition, "
                "and named by its subtype."))
    ok = all(good for good, _ in parts.values())
    message = _summary(parts) + " ".join(msg for _, msg in parts.values())
    if ok:
        message += (
            f" At a Ki-67 of {CASE_KI67:g} % the index grades the NET (G2) but not the "
            "carcinoma, whose morphology alone names it; "
            "classify flags so low a Ki-67 as unusual for an NEC, a reason to look at the "
            "morphology again. With the reported 55 % the aspirate's reading was a NET G3."
        )
    return ok, message


# Not the chapter's worked example (22 % on 500 cells, whose interval crosses 20 %): two points
# higher, the same count just clears the cut-off.
KI67_NEAR_CUTOFF = dict(ki67=24, cells_counted=500)


@exercise(
    "grading-ki67-interval",
    "grading",
    f"Ki-67 is {KI67_NEAR_CUTOFF['ki67']:g} % counted on {KI67_NEAR_CUTOFF['cells_counted']} "
    "cells. Give the lower end of its 95 % Wilson interval (in %, one decimal).",
)
def _grading_ki67_interval(answer):
    value = _number(answer)
    if value is None:
        return False, ("Give the lower bound as a number in % (one decimal), from the Wilson "
                       "interval of the stained share of the cells counted.")
    lo, hi = grading.ki67_interval(KI67_NEAR_CUTOFF["ki67"],
                                   cells_counted=KI67_NEAR_CUTOFF["cells_counted"])
    p, n = KI67_NEAR_CUTOFF["ki67"] / 100, KI67_NEAR_CUTOFF["cells_counted"]
    wald_lo = 100 * (p - 1.959964 * math.sqrt(p * (1 - p) / n))
    if abs(value - lo) <= 0.051:
        cells = KI67_NEAR_CUTOFF["cells_counted"]
        # Both 22 % and 24 % observed are G3 under WHO; the interval only says whether
        # counting error alone makes a true index of 20 % or less implausible.
        verdict = (f"The whole interval lies above 20 %: counting error in {cells} cells alone "
                   "makes a true index of 20 % or less unlikely, though barely (at 22 % on the "
                   "same count it would not). It says nothing about the choice of hot spot or "
                   "the reader."
                   if lo > 20 else
                   f"The interval crosses 20 %: counting error in {cells} cells alone leaves a "
                   "true index of 20 % or less plausible.")
        return True, f"{lo:.1f} % (interval {lo:.1f}–{hi:.1f} %). {verdict}"
    if abs(value - wald_lo) <= 0.051:
        return False, (
            "That is the Wald interval (p ± 1.96 × SE). Use Wilson's, which behaves "
            "better near 0 and 100 % — nec.grading.ki67_interval computes it."
        )
    if abs(value - (100 - hi)) <= 0.051 or abs(value - hi) <= 0.051:
        return False, "That is the upper end of the interval (or its mirror); give the lower."
    if abs(100 * value - lo) <= 0.051 or abs(100 * value - hi) <= 0.051:
        return False, (
            f"Give the bound in %, not as a fraction: {value:g} is {100 * value:.1f} %."
            + (" And that is the upper end; give the lower." if abs(100 * value - hi) <= 0.051
               else "")
        )
    return False, (
        "Not the right bound. A Ki-67 index is a proportion of counted cells: use "
        "proportion_confint(count, n, method='wilson') or nec.grading.ki67_interval."
    )


