"""The registry of exercises, the feedback object and the shared answer readers."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass


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
    if not isinstance(exercise_id, str) or exercise_id not in EXERCISES:
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
    # The abbreviations pathologists write: large- and small-cell neuroendocrine carcinoma.
    (r"\blcnec\b", "nec large-cell"),
    (r"\bscnec\b", "nec small-cell"),
]

#: How each kind of category is written in feedback (MiNEN keeps its lower-case i).
_KIND_NAME = {"net": "NET", "nec": "NEC", "minen": "MiNEN"}


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
    if not problems and got.kind == "net" and got.subtype:
        problems.append(_net_subtype_problem(got.subtype))
    if not problems and want.subtype and got.subtype != want.subtype:
        problems.append(f"the carcinoma's subtype is {want.subtype} (from the morphology)")
    if problems:
        text = "; ".join(problems)
        return False, f"{text[0].upper()}{text[1:]} ({context})."
    return True, f"{expected} ({context})."


def _net_subtype_problem(subtype: str) -> str:
    """Why a NET named with a small- or large-cell subtype is wrong."""
    return (f"a {subtype} subtype describes a neuroendocrine carcinoma; a NET is well "
            "differentiated and has no subtype")


def _negated(text) -> bool:
    """True when a text answer denies a category ("not NET G3", "isn't an NEC").

    Such an answer names a category only to rule it out, so it must not be marked as
    naming it.
    """
    if not isinstance(text, str):
        return False
    # "subtype not stated" is how the book itself writes an NEC of unknown subtype.
    words = text.lower().replace("not stated", "")
    return re.search(r"\b(not|no|isn'?t|never|neither|nor)\b", words) is not None


def _kind_problem(got: str, want: str, *, morphology: str | None = None,
                  mixed_name: str = "MiNEN") -> str:
    """Why an answer of kind ``got`` is not the expected kind ``want``.

    ``morphology`` ("well" or "poorly") is the exercise's own; give it when it is known,
    so that an NEC expected for a well-differentiated tumour (WHO 2010, grade 3) is not
    explained by a morphology the tumour does not have. Left ``None``, an NEC expected
    where a NET was given is put down to poorly differentiated morphology. ``mixed_name``
    is the edition's name for a mixed neoplasm (WHO 2010 says MANEC).
    """
    if want == "nec" and got == "net":
        if morphology == "well":
            return (
                "the indices are in the G3 range, and in WHO 2010 every grade-3 neoplasm "
                "is a carcinoma (NEC), whatever its morphology"
            )
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
    if got == "minen":
        return ("nothing in the question describes a non-neuroendocrine component, so this "
                f"is not a {mixed_name}")
    return f"this is not a {_KIND_NAME.get(got, got)}"


def _number(answer) -> float | None:
    if isinstance(answer, bool):
        return None
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None




def _near(value, target, tol):
    return value is not None and abs(value - target) <= tol


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
from nec import _validate as _arguments  # noqa: E402

_arguments.refuse_bad_arguments_in(globals())
