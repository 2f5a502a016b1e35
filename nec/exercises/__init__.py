"""Checkers for the book's exercises.

``check(exercise_id, answer)`` returns a :class:`Feedback` that says whether the answer
is right and, when it is not, *what* is wrong: which rule was missed, which unit was
confused. Expected answers are computed by the package itself (the same functions the
chapters teach, or, where those need numpy, pandas or lifelines, their standard-library
twins in :mod:`nec._survival_core` and :mod:`nec._pooling_core`, tested to agree with them
and with R), so a checker cannot drift from the science, and every checker runs in the
reader's browser too.

The checkers live in one module per chapter (``grading_checks``, ``first_line_checks``,
``second_line_checks``, ``survival_checks``, ``nomogram_checks``, and ``audit_checks`` for
the nomogram chapter's audit section); the shared parts (the
registry, :class:`Feedback`, reading category names and numbers) are in ``_core``.

>>> from nec.exercises import check
>>> check("grading-discordant", "NET G2").correct
False
>>> print(check("grading-discordant", "NET G2").message)  # doctest: +ELLIPSIS
You graded by Ki-67 alone...
"""

from __future__ import annotations

from nec.exercises import (  # noqa: F401  (importing registers each chapter's checkers)
    audit_checks,
    first_line_checks,
    grading_checks,
    nomogram_checks,
    second_line_checks,
    survival_checks,
)
from nec.exercises._core import EXERCISES, Exercise, Feedback, check, exercise
from nec.exercises.nomogram_checks import gbsg2_validation

__all__ = ["EXERCISES", "Exercise", "Feedback", "check", "exercise", "gbsg2_validation"]
