# JupyterLab's server configuration for workshop mode only (scripts/workshop_flags.txt loads it
# with --config; scripts/student_notebooks.py copies this folder into the workshop folder as
# lab-settings/, for ./run.sh workshop and the bundle's start.sh alike). Issue 19: from the
# command to an explorer's first answer in seconds.
import os
import sys

# workshop_prestart.py sits beside this file.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

c = get_config()  # noqa: F821 - traitlets defines get_config() for a config file
c.ServerApp.jpserver_extensions.update({
    # The explorers notebook's kernel starts, with nec's explorers imported, while the browser
    # loads JupyterLab (workshop_prestart.py).
    "workshop_prestart": True,
    # jupytext's server extension, imported at every start (0.5 s alone): the workshop's
    # notebooks are .ipynb (page_config.json leaves out its front end too). The language server
    # bridge (jupyter_lsp) stays: JupyterLab's editors ask it for its status.
    "jupyterlab_jupytext": False,
})

# The instructor's folder (./run.sh workshop) has the explorers notebook: the URL the server
# prints then opens it in JupyterLab, one click from the command (the file browser is beside it).
# The flags start the server in the workshop folder with notebooks/ as its root.
if os.path.isfile(os.path.join("notebooks", "explorers.ipynb")):
    c.LabApp.default_url = "/lab/tree/explorers.ipynb"
