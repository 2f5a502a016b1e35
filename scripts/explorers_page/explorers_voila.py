"""Start Voilà on the explorers page: ``python explorers_voila.py explorers.ipynb [FLAGS]``.

``./run.sh explorers`` starts Voilà with this: it is ``voila`` with one slow, unused import left
out, as ``lab-settings/workshop_lab.py`` does for JupyterLab (its docstring says why): jsonschema
imports ``rfc3987_syntax`` for two string formats no schema here uses, and that module compiles
about 35 Lark grammars at import, most of a second of the server's start.
"""

import sys

# An entry of None makes ``import rfc3987_syntax`` raise ImportError, which jsonschema expects
# from a format checker's optional package.
sys.modules["rfc3987_syntax"] = None

from voila.app import main  # noqa: E402 - after the entry above, on purpose

if __name__ == "__main__":
    sys.exit(main())
