"""Every page under book/ is in _toc.yml, and every _toc.yml entry exists.

With only_build_toc_files: true a chapter missing from _toc.yml is silently left out of the book:
neither the build nor its strict (-W) mode says anything.
"""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _toc_files(node) -> set[str]:
    found = set()
    if isinstance(node, dict):
        for key in ("root", "file"):
            if isinstance(node.get(key), str):
                found.add(node[key])
        for value in node.values():
            if isinstance(value, (dict, list)):
                found |= _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            found |= _toc_files(item)
    return found


def _without_suffix(name: str) -> str:
    path = Path(name)
    return path.with_suffix("").as_posix() if path.suffix in {".md", ".ipynb"} else name


TOC = {_without_suffix(f) for f in _toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text()))}
PAGES = {
    p.relative_to(ROOT).with_suffix("").as_posix()
    for p in (ROOT / "book").rglob("*")
    if p.suffix in {".md", ".ipynb"}
    and not any(part.startswith((".", "_")) for part in p.relative_to(ROOT / "book").parts)
}


def test_every_page_is_in_the_toc():
    missing = sorted(PAGES - TOC)
    assert not missing, f"pages under book/ that _toc.yml does not list (never built): {missing}"


def test_every_toc_entry_exists():
    absent = sorted(TOC - PAGES)
    assert not absent, f"_toc.yml lists pages that do not exist: {absent}"
