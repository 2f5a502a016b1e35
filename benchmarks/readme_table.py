"""Write the README's performance table from one run of benchmarks/run.py (issue 19).

    python benchmarks/run.py --all --json out.json
    python benchmarks/readme_table.py out.json            rewrite the table in README.md
    python benchmarks/readme_table.py out.json --check    exit 1 if README.md's table differs

Every figure in the "this run" column comes from the JSON, so the table cannot drift from what
the script measured; the "before" column is history (what the figure was before the work that
changed it) and is kept here, as text. The table sits between the two marker comments below in
README.md; nothing else in the README is touched. A measurement the run did not make is shown as
"not measured", never as an old figure.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START = "<!-- performance table: written by benchmarks/readme_table.py, do not edit -->"
END = "<!-- end of the performance table -->"
RMS_CASES = ("n = 45", "n = 137", "n = 300", "n = 686")


class Results:
    def __init__(self, results: list[dict]):
        self.by_name = {r["name"].strip(): r for r in results}

    def find(self, pattern: str) -> dict | None:
        """The one result whose name matches ``pattern`` (a regular expression), or None."""
        hits = [r for name, r in self.by_name.items() if re.fullmatch(pattern, name)]
        return hits[0] if len(hits) == 1 else None

    def value(self, pattern: str) -> float | None:
        hit = self.find(pattern)
        return None if hit is None else hit["value"]


def _num(value: float | None, digits: int = 1, unit: str = "") -> str:
    if value is None or value != value:  # missing or NaN
        return "not measured"
    return f"{value:.{digits}f}{unit}"


def _seconds(value: float | None) -> str:
    if value is None:
        return "not measured"
    if value >= 100:
        return f"{value:.0f} s ({value / 60:.1f} min)"
    return f"{value:.1f} s" if value >= 1 else f"{value * 1000:.0f} ms"


def _joined(values: list[float | None], digits: int, unit: str = "") -> str:
    if all(v is None for v in values):
        return "not measured"
    return " / ".join("–" if v is None else f"{v:.{digits}f}" for v in values) + unit


def _verdict(results: list[dict | None]) -> str:
    """met / **missed** over the results a row shows that carry a target."""
    judged = [r["met"] for r in results if r is not None and r.get("met") is not None]
    if not judged:
        return ""
    return "met" if all(judged) else "**missed**"


Row = tuple[str, str, Callable[[Results], tuple[str, str, str]]]


def _in_unit(hit: dict | None) -> str:
    """A result in its own unit: seconds as s or ms, ms, a ratio as ×."""
    if hit is None:
        return "not measured"
    value, unit = hit["value"], hit["unit"]
    if unit == "s":
        return _seconds(value)
    if unit == "x":
        return _num(value, 1, "×")
    return f"{value:.2f} {unit}" if value < 10 else f"{value:.0f} {unit}"


def _one(pattern: str, target: str):
    def cell(res: Results) -> tuple[str, str, str]:
        hit = res.find(pattern)
        return _in_unit(hit), target, _verdict([hit])
    return cell


def _named(res: Results, prefix: str) -> list[tuple[str, float]]:
    """(name without ``prefix``, value) of every result whose name starts with it."""
    return [(name.removeprefix(prefix), r["value"]) for name, r in res.by_name.items()
            if name.startswith(prefix)]


def _slowest_chapter(res: Results) -> tuple[str, str, str]:
    chapters = _named(res, "executing ")
    if not chapters:
        return "not measured", "", ""
    name, seconds = max(chapters, key=lambda c: c[1])
    return f"{seconds:.1f} s (`{name}`)", "", ""


def _rms(what: str) -> Callable[[Results], tuple[str, str, str]]:
    def cell(res: Results) -> tuple[str, str, str]:
        ratio = [res.find(rf"[^:]+, {case}: {what} time nec / rms") for case in RMS_CASES]
        first = [res.find(rf"[^:]+, {case}: {what} first call nec / rms") for case in RMS_CASES]
        shown = (_joined([r and r["value"] for r in ratio], 2, "×") + "; first call "
                 + _joined([r and r["value"] for r in first], 2, "×"))
        return shown, "≤ 1×, first call too", _verdict(ratio + first)
    return cell


def _callbacks(res: Results) -> tuple[str, str, str]:
    hits = [res.find(rf"{name}: p95") for name in ("grading", "dosing", "second-line options")]
    return _joined([h and h["value"] for h in hits], 2, " ms"), "≤ 50 ms", _verdict(hits)


def _nomogram_callback(res: Results) -> tuple[str, str, str]:
    median = res.find(r"nomogram \(redraws its SVG curve\): median")
    p95 = res.find(r"nomogram \(redraws its SVG curve\): p95")
    return (_joined([median and median["value"], p95 and p95["value"]], 2, " ms"),
            "p95 ≤ 50 ms", _verdict([p95]))


def _page(res: Results, page: str) -> dict | None:
    return res.find(rf"book/{re.escape(page)}\.html \([^)]*\): transferred")


def _survival_page(res: Results) -> tuple[str, str, str]:
    hit = _page(res, "survival")
    if hit is None:
        return "not measured", "< 1.5 MB", ""
    # The note carries the uncompressed size ("..., 1.23 MB uncompressed").
    raw = re.search(r"([\d.]+) MB uncompressed", hit["note"])
    return (f"{hit['value']:.2f} MB ({raw.group(1) if raw else '?'} MB uncompressed)",
            "< 1.5 MB", _verdict([hit]))


def _heaviest_page(res: Results) -> tuple[str, str, str]:
    pages = [r for name, r in res.by_name.items() if name.endswith(": transferred")]
    if not pages:
        return "not measured", "", ""
    heaviest = max(pages, key=lambda r: r["value"])
    intro = _page(res, "intro")
    raw = re.search(r"([\d.]+) MB uncompressed", heaviest["note"])
    name = heaviest["name"].split(" (")[0]
    intro_text = f"{intro['value']:.2f} MB" if intro else "not measured"
    return (f"`{name}` {heaviest['value']:.2f} MB ({raw.group(1) if raw else '?'} MB "
            f"uncompressed) / {intro_text}", "", "")


def _rendered(res: Results) -> tuple[str, str, str]:
    values = [res.value(rf"book/{page}\.html: rendered") for page in ("survival", "second_line")]
    return _joined(values, 2, " s"), "", ""


def _figures(res: Results) -> tuple[str, str, str]:
    ratios = []
    for r in res.by_name.values():
        found = re.search(r"largest figure served ([\d.]+)x", r.get("note", ""))
        if r["name"].endswith(": rendered") and found:
            ratios.append(float(found.group(1)))
    return (f"≤ {max(ratios):.2f}" if ratios else "not measured"), "≤ 1.3", (
        "" if not ratios else ("met" if max(ratios) <= 1.3 else "**missed**"))


def _first_answer(pattern: str) -> Callable[[Results], tuple[str, str, str]]:
    """A workshop row: the seconds from a command to an explorer's first answer."""
    def cell(res: Results) -> tuple[str, str, str]:
        hit = res.find(pattern)
        if hit is None:
            return "not measured", "≤ 5 s", ""
        return f"{hit['value']:.1f} s ({hit['note']})", "≤ 5 s", _verdict([hit])
    return cell


def _live(kind: str, target: str) -> Callable[[Results], tuple[str, str, str]]:
    def cell(res: Results) -> tuple[str, str, str]:
        hits = {name: res.find(rf"{re.escape(name)}: {kind}")
                for name in ("grading", "dose sheet", "second-line options", "nomogram",
                             "points-table audit")}
        shown = [f"{name} {_num(h['value'], 1)}" for name, h in hits.items() if h]
        return ("; ".join(shown) or "not measured"), target, _verdict(list(hits.values()))
    return cell


def _stages(res: Results) -> tuple[str, str, str]:
    stages = _named(res, "stage ")
    if not stages:
        return "not measured", "", ""
    longest = sorted(stages, key=lambda s: -s[1])[:6]
    return "; ".join(f"{name} {secs:.0f} s" for name, secs in longest), "", ""


#: (measurement, before, how this run's figure, target and verdict are read from the JSON)
ROWS: list[Row] = [
    ("clean book build (every chapter executed)", "93 s",
     _one(r"clean build \(every chapter executed\)", "≤ 120 s")),
    ("executing the slowest chapter", "41–50 s (`nomogram.ipynb`)", _slowest_chapter),
    ("rebuild after editing one chapter's prose", "77 s (every chapter re-ran)",
     _one(r"rebuild after editing one chapter's prose", "≤ 20 s")),
    ("rebuild after editing the nomogram chapter's code", "77 s",
     _one(r"rebuild after editing the nomogram chapter's code", "≤ 20 s")),
    ("rebuild after editing `nec/dosing.py` (every chapter re-runs, as it must)", "77 s",
     _one(r"rebuild after editing nec/dosing\.py", "no stale page")),
    ("`./run.sh test` on a fresh clone, R and browser stages included (with `pip install`)",
     "13.8 min (issue 19); 638 s at `076b34c`, before its last step",
     _one(r"\./run\.sh test on a fresh clone .*", "≤ 10 min")),
    ("the same run without its set-up stages (venv, `pip install`, JavaScript, R, Chromium)",
     "549 s at `076b34c`",
     _one(r"\./run\.sh test without its set-up stages .*", "")),
    ("its longest stages", "browser 311 s, unit 138 s, R 132 s, strict build 58 s, nbval 54 s "
     "(issue 19); at `076b34c`: browser 321 and 263 s, unit 148 s, R 148 s, pip 72 s",
     _stages),
    ("`import nec`", "3 ms", _one(r"import nec, median", "≤ 0.3 s")),
    ("explorer callbacks, p95 over 120 changes of every control and button: grading / dose "
     "sheet / second-line options", "0.13 / 1.2 / 19 ms (main controls only)", _callbacks),
    ("bootstrap C-index, B = 200, n = 45: speed-up over the plain lifelines loop", "1×",
     _one(r"n = 45: speed-up", "≥ 3×, same C")),
    ("bootstrap C-index, B = 200, n = 2,000: speed-up", "1× (52 s)",
     _one(r"n = 2000: speed-up", "≥ 3×, same C")),
    ("bootstrap calibration at 12 months, B = 100, n = 45", "11 s",
     _one(r"fast engine", "")),
    ("bootstrap validation (C, Dxy, R², slope), B = 200, time nec / `rms::validate` on the "
     "same data, n = 45 / 137 / 300 / 686 (median of 5; first call in a fresh process)",
     "1.4 / 1.3 / 1.5 / 2.0× (issue 19)", _rms("validate")),
    ("bootstrap calibration, B = 100, rms's grouping by m, time nec / `rms::calibrate`, "
     "n = 45 / 137 / 300 / 686", "0.16 / 0.16 / 0.09 / 0.19× (issue 19)", _rms("calibrate")),
    ("what a chapter without an explorer transfers (`book/survival.html`, everything it "
     "loads, with `./run.sh serve`'s gzip)", "not measured", _survival_page),
    ("the heaviest page / the root page (`book/intro.html`), transferred",
     "not measured; the root page loaded MathJax for its chapters' formulas", _heaviest_page),
    ("time to rendered content (loaded, explorers drawn, math typeset, images decoded), "
     "survival / second-line chapter", "not measured", _rendered),
    ("figures: largest file width over shown width, on any page",
     "1743 px shown at 750 (issue 19)", _figures),
    ("workshop: from the command (workshop folder written, JupyterLab started and loaded in "
     "the browser) to the grading explorer's first answer",
     "11.5 s (issue 19, through Run All of a chapter); 10.9 s at `9d74c3e`, its clock "
     "stopping up to 1 s late",
     _first_answer(r"command to the first explorer answer")),
    ("workshop: from `./run.sh explorers` (Voilà started, the five explorers run in its kernel)"
     " to the grading explorer's first answer on the page it prints",
     "5.3 s at `9d74c3e` (load average 3.7), its clock stopping up to 1 s late",
     _first_answer(r"explorers page: command to the first explorer answer")),
    ("drawing and rendering a nomogram (`Nomogram.plot`, Agg)", "not measured",
     _one(r"draw and render one nomogram, median", "")),
    ("dynamic nomogram callback outside a browser, median / p95", "75 / 93 ms (matplotlib "
     "figure redrawn)", _nomogram_callback),
    ("live book: Run live to first answer, cold cache (s)", "explorers not live (nomogram); "
     "grading 19.5, dose sheet 23.6, options 14.1, nomogram 16.9 before the start-up work "
     "(552c85b, load 10.7)",
     _live("Run live to first answer, cold cache, median", "≤ 5 s")),
    ("live book: Run live to first answer, warm cache (s)", "grading 23.0, dose sheet 18.1, "
     "options 13.7, nomogram 17.8 (552c85b, load 10.7)",
     _live("Run live to first answer, warm cache, median", "≤ 2 s")),
    ("live book: typed change to its answer, p95 (ms, in the page)", "grading 6.9, dose sheet "
     "87.2, options 179.0, nomogram 154.4 (552c85b, load 10.7)",
     _live(r"typed change to its answer, p95 \(\d+ changes\)", "≤ 50 ms")),
    ("live book: live assets transferred after Run live (MB, gzip)", "8.7 (552c85b: five "
     "wheels, IPython and Pygments)",
     _live(r"live assets transferred \(gzip\) after pressing", "≤ 10 MB")),
]


def table(run: dict) -> str:
    res = Results(run["results"])
    load = run.get("load_average_start", [float("nan")] * 3)
    load_end = run.get("load_average_end", [float("nan")] * 3)
    lines = [
        START,
        f"One run of `python benchmarks/run.py --{run.get('mode', 'all')}` at commit "
        f"`{run.get('commit', '?')}`, {run.get('started', '?')} to {run.get('finished', '?')}, "
        f"{run.get('cores', '?')} cores, load average {load[0]:.1f} at the start and "
        f"{load_end[0]:.1f} at the end (1-minute averages).",
        "",
        "| measurement | before | this run | target | |",
        "|---|---|---|---|---|",
    ]
    for label, before, cell in ROWS:
        shown, target, verdict = cell(res)
        lines.append(f"| {label} | {before} | {shown} | {target} | {verdict} |")
    lines.append(END)
    return "\n".join(lines)


def rewrite(readme: str, new_table: str) -> str:
    if START not in readme or END not in readme:
        raise SystemExit(f"README.md has no performance table markers ({START!r} ... {END!r})")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + new_table + tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", type=Path, help="the --json file of benchmarks/run.py --all")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if README.md's table is not this run's")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    run = json.loads(args.json.read_text(encoding="utf-8"))
    if isinstance(run, list):
        raise SystemExit(f"{args.json} is an old-style list: rerun benchmarks/run.py --json")
    old = args.readme.read_text(encoding="utf-8")
    new = rewrite(old, table(run))
    if args.check:
        if new != old:
            print(f"{args.readme}: the performance table is not the one {args.json} gives")
            return 1
        return 0
    args.readme.write_text(new, encoding="utf-8")
    print(f"{args.readme}: performance table written from {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
