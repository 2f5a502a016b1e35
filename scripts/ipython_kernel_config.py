"""IPython's settings for the kernels of nec-book's environment: the book's build, nbval, the
student notebooks' test, ``./run.sh workshop``, ``./run.sh explorers`` and the benchmark's
builds. ``./run.sh`` copies this file to ``.venv/etc/ipython/ipython_kernel_config.py``, the
folder IPython reads for the environment it runs in (a user's own profile still applies, and
wins where both set the same thing). A kernel of another environment (the workshop bundle's)
does not read it.

One slow, unused import is left out, as ``explorers_voila.py`` and
``lab-settings/workshop_lab.py`` leave it out of their servers: a chapter's first ``glue()``
imports nbformat, whose jsonschema imports ``rfc3987_syntax`` for two string formats ("iri",
"iri-reference") that no notebook schema uses, and that module compiles about 35 Lark grammars
at import: 1.1-1.3 s of every chapter's kernel on the 2-core machine. An entry of None in
``sys.modules`` makes the import raise ImportError, which jsonschema expects from a format
checker's optional package. The line runs before the notebook's first cell, without an output
or an execution count, and leaves no name behind.
"""

c = get_config()  # noqa: F821 - IPython's config loader provides get_config
# Appended, so that exec_lines a user's own profile sets are kept.
c.IPKernelApp.exec_lines.append(
    'import sys as _nec_sys; _nec_sys.modules.setdefault("rfc3987_syntax", None); del _nec_sys')
