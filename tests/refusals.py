"""The shared shape of the bad-input tables: rows of (name, call, sentence fragment).

Each ``tests/test_bad_input_*.py`` file that uses this shape parametrises one test over its rows
with :func:`over_rows` and checks each with :func:`assert_refused`.
"""

from __future__ import annotations

import pytest


def over_rows(rows):
    """``pytest.mark.parametrize`` over (name, call, fragment) rows, each named by its name."""
    return pytest.mark.parametrize("call, fragment", [(c, f) for _, c, f in rows],
                                   ids=[name for name, _, _ in rows])


def assert_refused(call, fragment: str) -> None:
    """``call()`` raises ValueError whose sentence holds ``fragment`` and no library's URL."""
    with pytest.raises(ValueError) as err:
        call()
    assert fragment in str(err.value), str(err.value)
    assert "http" not in str(err.value)  # no library's URL in a sentence for a clinician
