"""Re-execute a chapter when the code or data it runs on change, and not otherwise.

myst-nb's execution cache (jupyter-cache) is keyed on a notebook's own code cells. A chapter
that calls ``nec`` therefore keeps its cached outputs after a change in ``nec/`` or ``data/``:
a stale page. This extension closes that gap in two places:

- Sphinx: every notebook that imports the watched package notes the watched files as
  dependencies (``env.note_dependency``), so an incremental build re-reads it when one of
  them changes.
- jupyter-cache: the watched files' contents are hashed into one fingerprint, kept beside
  the cache. When it differs from the last build's, the cached executions of those
  notebooks are removed, so re-reading them executes them.

A chapter whose text alone changed keeps using the cache; so does a build after a checkout
that touched the files without changing them (the fingerprint is of contents, not times).

Configuration (``_config.yml`` > ``sphinx: config:``), relative to the book's root folder:
``nec_execution_dependencies`` (files or folders) and ``nec_execution_dependents`` (a regular
expression; a notebook whose text matches depends on them).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
FINGERPRINT_FILE = "nec-execution-dependencies.json"


def _root(app: Sphinx) -> Path:
    # jupyter-book generates conf.py in the book's root folder (where _config.yml is).
    return Path(app.confdir).resolve()


def watched_files(root: Path, entries) -> list[Path]:
    """Every file under the configured entries, sorted; caches and bytecode left out."""
    files = []
    for entry in entries:
        path = (root / entry).resolve()
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        files.extend(p for p in candidates if p.is_file() and "__pycache__" not in p.parts
                     and not p.name.endswith(".pyc"))
    return sorted(set(files))


def fingerprint(root: Path, entries) -> str:
    digest = hashlib.sha256()
    for path in watched_files(root, entries):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def depends(text: str, pattern: str) -> bool:
    return re.search(pattern, text) is not None


def _drop_stale_executions(app: Sphinx) -> None:
    config = getattr(app.env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return
    root = _root(app)
    cache_dir = Path(config.execution_cache_path)
    current = fingerprint(root, app.config.nec_execution_dependencies)
    record_file = cache_dir / FINGERPRINT_FILE
    previous = None
    if record_file.is_file():
        previous = json.loads(record_file.read_text(encoding="utf-8")).get("fingerprint")
    if previous == current:
        return
    if cache_dir.is_dir():
        from jupyter_cache import get_cache

        cache = get_cache(str(cache_dir))
        dropped = []
        for record in cache.list_cache_records():
            source = Path(record.uri)
            # A notebook that no longer exists cannot be served from the cache anyway.
            if not source.is_file() or depends(source.read_text(encoding="utf-8"),
                                               app.config.nec_execution_dependents):
                cache.remove_cache(record.pk)
                dropped.append(source.name)
        if dropped:
            LOGGER.info("nec_execution_deps: code or data changed; re-executing %s",
                        ", ".join(sorted(dropped)))
    cache_dir.mkdir(parents=True, exist_ok=True)
    record_file.write_text(json.dumps({"fingerprint": current}), encoding="utf-8")


def _note_dependencies(app: Sphinx, docname: str, source: list[str]) -> None:
    if not depends(source[0], app.config.nec_execution_dependents):
        return
    for path in watched_files(_root(app), app.config.nec_execution_dependencies):
        app.env.note_dependency(str(path))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("nec_execution_dependencies", ["nec", "data"], "env")
    app.add_config_value("nec_execution_dependents", r"\b(?:import|from)\s+nec\b", "env")
    # After myst-nb's own builder-inited handler, which sets the cache path.
    app.connect("builder-inited", _drop_stale_executions, priority=900)
    app.connect("source-read", _note_dependencies)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
