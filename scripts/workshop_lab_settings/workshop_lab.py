"""Start JupyterLab for a workshop: ``python lab-settings/workshop_lab.py FLAGS...``.

./run.sh workshop and the live browser test (tests/browser/test_workshop.py) start JupyterLab
with this, with the flags of scripts/workshop_flags.txt; it is ``jupyter lab FLAGS`` with one
module kept out. jupyter_server validates its event schemas with jsonschema, whose format
checkers import ``rfc3987_syntax`` when it is installed (nbformat's ``jsonschema[format-nongpl]``
brings it), and that module compiles about 35 Lark grammars at import: 0.85 s on a quiet machine
(jupyter-server/jupyter_server#1559), 3 s on the shared 2-core machine at a load of 6 — of a
server start of about 6 s there. Only the "iri" and "iri-reference" formats need it, and no
schema the server, JupyterLab or nbformat uses names them: without it jsonschema simply does not
register those two checkers. Nothing else changes.
"""

import sys

# An entry of None makes ``import rfc3987_syntax`` raise ImportError, which jsonschema expects
# from a format checker's optional package.
sys.modules["rfc3987_syntax"] = None

from jupyterlab.labapp import main  # noqa: E402 - after the entry above, on purpose

if __name__ == "__main__":
    sys.exit(main())
