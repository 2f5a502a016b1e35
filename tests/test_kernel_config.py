"""scripts/ipython_kernel_config.py, the IPython settings of the kernels ./run.sh starts: a
kernel started with it has ``rfc3987_syntax`` left out (its import refused, so jsonschema and
nbformat import without it, and myst-nb's glue works), keeps no name of the line in the
notebook's namespace and counts no execution for it."""

from __future__ import annotations

import shutil
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]


def _run(client, code: str) -> dict:
    reply = client.execute_interactive(code, timeout=60, store_history=True)
    assert reply["content"]["status"] == "ok", reply["content"]
    return reply["content"]


def test_a_kernel_with_the_config_leaves_rfc3987_syntax_out(tmp_path, monkeypatch):
    profile = tmp_path / "ipython" / "profile_default"
    profile.mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "ipython_kernel_config.py", profile)
    monkeypatch.setenv("IPYTHONDIR", str(profile.parent))
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        first = _run(client, "import sys\nleft_out = sys.modules.get('rfc3987_syntax', 'absent')")
        assert first["execution_count"] == 1, "the config's line should count no execution"
        _run(client, "import jsonschema, nbformat\nfrom myst_nb import glue\n"
                     "glue('x', 1, display=False)\n"
                     "assert left_out is None, left_out\n"
                     "assert 'rfc3987_syntax' not in str(jsonschema.FormatChecker.checkers)\n"
                     "assert '_nec_sys' not in globals()")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_run_sh_and_the_benchmark_give_kernels_the_config():
    run_sh = (ROOT / "run.sh").read_text(encoding="utf-8")
    assert 'export IPYTHONDIR="$ROOT/_build/ipython"' in run_sh
    assert "scripts/ipython_kernel_config.py" in run_sh
    bench = (ROOT / "benchmarks" / "run.py").read_text(encoding="utf-8")
    assert '"ipython_kernel_config.py"' in bench and 'env["IPYTHONDIR"]' in bench
