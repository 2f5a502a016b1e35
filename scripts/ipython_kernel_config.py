"""IPython's settings for the kernels nec-book's commands start: the book's build, nbval, the
student notebooks' test, the workshop and the explorers page. ``./run.sh`` (and
``benchmarks/run.py`` for its builds) copies this file into the profile of the IPython folder
it sets, ``_build/ipython`` (IPYTHONDIR; the folder is a build folder because IPython writes a
kernel's history there).

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
c.IPKernelApp.exec_lines = [
    'import sys as _nec_sys; _nec_sys.modules.setdefault("rfc3987_syntax", None); del _nec_sys',
]
