"""Checking an answer typed as text, as the live book's answer boxes send it.

In a notebook the reader writes ``answer = "NET G2"`` or ``answer = {"2010": ..., ...}``; an
answer box on a web page only has text. :func:`check_typed` reads that text the way Python
would read the right-hand side of ``answer = ...`` (a number, a quoted string, a dict, a
list), takes unquoted text as a string, and hands it to :func:`nec.exercises.check`, so the
page gives exactly the notebook's feedback.

>>> check_typed("grading-discordant", "NET G3").correct
True
>>> check_typed("grading-discordant", '"NET G3"').correct
True
"""

from __future__ import annotations

import ast

from nec.exercises._core import Feedback, check


def read_answer(text):
    """The Python value of a typed answer: a literal if it is one, else the text itself.

    >>> read_answer('{"2010": "NEC G3", "2019": "NET G3"}')
    {'2010': 'NEC G3', '2019': 'NET G3'}
    >>> read_answer("2.9"), read_answer("NET G2"), read_answer("  ")
    (2.9, 'NET G2', None)
    """
    if not isinstance(text, str):
        raise ValueError("A typed answer must be text (what was typed in the answer box), "
                         f"not {type(text).__name__} {text!r}; to check a Python value, use "
                         "nec.exercises.check(exercise_id, value).")
    stripped = text.strip()
    if not stripped:
        return None
    try:
        return ast.literal_eval(stripped)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return stripped


def check_typed(exercise_id: str, text: str) -> Feedback:
    """Mark a typed answer to ``exercise_id`` (see :func:`read_answer`).

    An unknown exercise, or an answer that is not text, is refused with ``ValueError``.
    """
    return check(exercise_id, read_answer(text))


def check_typed_html(exercise_id: str, text: str) -> str:
    """The feedback as the notebook shows it (HTML), or the sentence of a refusal."""
    import html

    try:
        return check_typed(exercise_id, text)._repr_html_()
    except ValueError as err:
        message = str(err)
    except ImportError as err:
        # Checkers that refit a model (lifelines, numpy) cannot run in the browser: say so,
        # and where they do run.
        message = (
            f"This checker needs {err.name or 'a library'}, which the browser cannot run: run "
            "the chapter's notebook (the student edition has it) to check this answer."
        )
    return f'<div class="nec-feedback" role="alert">{html.escape(message)}</div>'


# A misspelt, missing or extra argument to a public function here is a sentence, not a
# TypeError (issue 14; nec._validate.refuse_bad_arguments_in).
from nec import _validate as _arguments  # noqa: E402

_arguments.refuse_bad_arguments_in(globals())
