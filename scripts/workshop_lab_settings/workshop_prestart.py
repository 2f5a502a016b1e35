"""Workshop mode's server extension: start the explorers notebook's kernel before it is opened.

Loaded only by workshop_server_config.py (workshop mode). When the server starts in a folder whose
root holds explorers.ipynb (./run.sh workshop writes it for the instructor; the bundle has none),
it creates that notebook's session, as JupyterLab would when the notebook is opened, and imports
nec's explorers in its kernel (silently: no execution count, nothing in the history). JupyterLab
finds a running session by its path, so opening explorers.ipynb attaches to this kernel instead
of starting one, and the notebook's own ``import nec`` and first explorer then answer at once.
The kernel start and the import (about 2 s on the 2-core machine) overlap the browser loading
JupyterLab. Any failure is logged and leaves the workshop as it was without this extension.
"""

from __future__ import annotations

import asyncio
import os

EXPLORERS_NOTEBOOK = "explorers.ipynb"
#: What the notebook's first cells import, done before anyone asks.
PRELOAD = "import nec.widgets"
READY_TIMEOUT_S = 120
_TASKS: set[asyncio.Task] = set()  # a reference, so the task is not garbage-collected


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "workshop_prestart"}]


def _load_jupyter_server_extension(serverapp) -> None:  # noqa: ARG001 - nothing to load
    return None


async def _start_jupyter_server_extension(serverapp) -> None:
    """Called once the event loop runs; the work goes on in the background."""
    if not os.path.isfile(os.path.join(serverapp.root_dir, EXPLORERS_NOTEBOOK)):
        return
    task = asyncio.ensure_future(_prestart(serverapp))
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)


async def _prestart(serverapp) -> None:
    log = serverapp.log
    try:
        model = await serverapp.session_manager.create_session(
            path=EXPLORERS_NOTEBOOK, name=EXPLORERS_NOTEBOOK, type="notebook")
        kernel = serverapp.kernel_manager.get_kernel(model["kernel"]["id"])
        client = kernel.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=READY_TIMEOUT_S)
            msg_id = client.execute(PRELOAD, silent=True, store_history=False)
            while True:
                reply = await client.get_shell_msg(timeout=READY_TIMEOUT_S)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        finally:
            client.stop_channels()
        status = reply["content"].get("status")
        log.info("workshop_prestart | %s: kernel %s started, %r ran (%s)", EXPLORERS_NOTEBOOK,
                 model["kernel"]["id"], PRELOAD, status)
    except Exception as exc:  # noqa: BLE001 - the workshop works without the head start
        log.warning("workshop_prestart | could not start the kernel of %s ahead: %r",
                    EXPLORERS_NOTEBOOK, exc)
