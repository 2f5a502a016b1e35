"""The R reference stage: every test here is marked ``r_reference`` and runs only in
``./run.sh test``'s R stage (``pytest tests/reference_r -m r_reference``)."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "reference_r" in str(item.fspath):
            item.add_marker(pytest.mark.r_reference)
