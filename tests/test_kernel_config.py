"""scripts/ipython_kernel_config.py, the IPython settings of the kernels of nec-book's
environment: a kernel started with it has ``rfc3987_syntax`` left out (its import refused, so
jsonschema and nbformat import without it, and myst-nb's glue works) and keeps no name of the
line in the notebook's namespace; ./run.sh puts it where this environment's kernels read it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "scripts" / "ipython_kernel_config.py"


def _run(client, code: str) -> None:
    reply = client.execute_interactive(code, timeout=60)
    assert reply["content"]["status"] == "ok", reply["content"]


def test_a_kernel_with_the_config_leaves_rfc3987_syntax_out(tmp_path, monkeypatch):
    # The file, in a profile of its own (IPYTHONDIR). The kernel also reads the environment's
    # copy, which the test below holds to be this file.
    profile = tmp_path / "ipython" / "profile_default"
    profile.mkdir(parents=True)
    shutil.copy2(CONFIG, profile)
    monkeypatch.setenv("IPYTHONDIR", str(profile.parent))
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        _run(client, "import sys\nleft_out = sys.modules.get('rfc3987_syntax', 'absent')\n"
                     "import jsonschema, nbformat\nfrom myst_nb import glue\n"
                     "glue('x', 1, display=False)\n"
                     "assert left_out is None, left_out\n"
                     "assert 'iri' not in jsonschema.FormatChecker.checkers\n"
                     "assert '_nec_sys' not in globals()")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_this_environments_kernels_read_the_config():
    """./run.sh's set-up copies the file into the folder IPython reads for this environment."""
    installed = Path(sys.prefix) / "etc" / "ipython" / "ipython_kernel_config.py"
    assert installed.is_file(), f"{installed} is missing: ./run.sh's set-up writes it"
    assert installed.read_bytes() == CONFIG.read_bytes(), f"{installed} is not {CONFIG}'s copy"
