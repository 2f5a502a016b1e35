"""The README's performance table is the one benchmarks/last_run.json gives (issue 19: every
figure from one run of benchmarks/run.py), and the check notices a figure changed by hand."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("readme_table",
                                               ROOT / "benchmarks" / "readme_table.py")
readme_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(readme_table)
LAST_RUN = ROOT / "benchmarks" / "last_run.json"


def test_the_readme_table_is_the_last_runs():
    assert readme_table.main([str(LAST_RUN), "--check"]) == 0, (
        "README.md's performance table differs from benchmarks/last_run.json: run "
        "python benchmarks/readme_table.py benchmarks/last_run.json (after benchmarks/run.py "
        "--all --json benchmarks/last_run.json)")


def test_a_figure_edited_by_hand_is_noticed(tmp_path):
    readme = tmp_path / "README.md"
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(readme_table.START)
    row = text.index("| `import nec` |", start)
    cell_end = text.index("|", text.index("|", text.index("|", row + 1) + 1) + 1)
    readme.write_text(text[:cell_end] + " 0.1 ms" + text[cell_end:], encoding="utf-8")
    assert readme_table.main([str(LAST_RUN), "--check", "--readme", str(readme)]) == 1


def test_a_missing_measurement_reads_not_measured():
    run = json.loads(LAST_RUN.read_text(encoding="utf-8"))
    run["results"] = [r for r in run["results"] if not r["name"].startswith("import nec")]
    row = next(line for line in readme_table.table(run).splitlines()
               if line.startswith("| `import nec` |"))
    assert "| not measured |" in row
