"""A stand-in for IPython in the live book's browser Python (not installed anywhere else).

ipywidgets imports IPython for four names only: ``get_ipython`` (``None`` here, as it is in
the real IPython when no shell runs: widgets then log a callback's error instead of showing a
traceback), ``display`` and ``clear_output`` (the explorers never call them: the page's widget
manager shows each explorer) and ``InteractiveShell`` (used by the Output widget, which no
explorer has). The real IPython and Pygments cost the page 1.9 MB and most of its start-up
time, for none of that. scripts/live_precompile.mjs puts this folder in the live runtime.
"""

version_info = (0, 0, 0, "nec-live-stand-in")
__version__ = "0.0.0"


def get_ipython():
    """No IPython shell runs in the page."""
    return None
