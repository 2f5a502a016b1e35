"""Write CPython's feedback for every typed answer of tests/checker_answers.py, as JSON.

    python tests/pyodide/checker_feedback.py OUT.json

run.sh's Pyodide stage runs this under the book's CPython first; then, in Node,
tests/pyodide/pyodide_checker_feedback.py checks that Pyodide gives every answer the same
feedback (the same HTML the answer box shows, refusals included).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def feedback_table() -> dict[str, dict[str, str]]:
    """{exercise id: {typed answer: the answer box's HTML}} for the whole table."""
    from checker_answers import typed_answers

    from nec.exercises.typed import check_typed_html

    table: dict[str, dict[str, str]] = {}
    for exercise, _kind, typed in typed_answers():
        table.setdefault(exercise, {})[typed] = check_typed_html(exercise, typed)
    return table


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    table = feedback_table()
    out.write_text(json.dumps({"python": sys.version.split()[0], "feedback": table},
                              ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"CPython {sys.version.split()[0]}: feedback for "
          f"{sum(map(len, table.values()))} typed answers to {len(table)} exercises -> {out}")
