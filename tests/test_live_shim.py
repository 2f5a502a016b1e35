"""The live book's IPython stand-in (scripts/live_shim/IPython) is enough for ipywidgets.

The page imports ipywidgets with the stand-in in place of IPython (scripts/live_precompile.mjs
puts it in live-python.zip). This runs the same under CPython, in a fresh interpreter: ipywidgets
imports, every live explorer is made through the browser's comm bridge, and neither the real
IPython nor Pygments is loaded. A new ipywidgets that needs more of IPython fails here, not only
in the browser test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIM = ROOT / "scripts" / "live_shim"

PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import IPython
import ipywidgets
from nec import _browser_comm
sent = []
_browser_comm.install(lambda kind, content, metadata, buffers: sent.append(kind))
from nec import widgets
made = {}
for name in ("grading_explorer", "dosing_explorer", "options_explorer", "nomogram_explorer",
             "audit_explorer"):
    explorer = getattr(widgets, name)()
    made[name] = bool(_browser_comm.model_id(explorer))
print(json.dumps({"ipython": IPython.__file__, "made": made, "opened": sent.count("comm_open"),
                  "loaded": sorted(m for m in sys.modules
                                   if m.split(".")[0] in {"pygments", "jedi", "prompt_toolkit"})}))
"""


def test_ipywidgets_and_every_live_explorer_run_on_the_stand_in():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", PROBE, str(SHIM)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(found["ipython"]).resolve().is_relative_to(SHIM.resolve())
    assert all(found["made"].values()) and len(found["made"]) == 5
    assert found["opened"] > 20  # every control's model reached the (fake) page
    assert found["loaded"] == []


def test_the_stand_in_refuses_what_no_explorer_uses():
    env = {**os.environ, "PYTHONPATH": str(SHIM)}
    code = ("from IPython.display import display\n"
            "try:\n    display(1)\nexcept NotImplementedError as err:\n    print(err)\n")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    assert "no notebook to write to in the live book" in done.stdout
