"""Explorers in the reader's browser: ipywidgets' comm messages without a kernel.

In the live book (``book/_static/js/nec-live.js``) Python runs in the page (Pyodide) and
there is no Jupyter kernel to carry widget messages. This module replaces the ``comm``
package's two hooks (``comm.create_comm`` and ``comm.get_comm_manager``, which the package
documents as "intended to be replaced") so that every message a widget publishes is handed
to a JavaScript function, and every message the page's widget manager sends comes back
through :func:`receive`. The explorers themselves are unchanged: the same classes that run
in JupyterLab run here.

It must be installed before ``nec.widgets`` is imported: that package makes shared layout
widgets when it loads, and a widget made before the bridge exists never reaches the page.
It is pure Python and is tested under CPython with a fake page (``tests/test_live.py``).
"""

from __future__ import annotations

import json

import comm
from comm.base_comm import BaseComm, CommManager

_manager = CommManager()
_publish = None  # the page's function: publish(msg_type, content_json, metadata_json, buffers)


class BrowserComm(BaseComm):
    """A comm whose messages go to the page's widget manager instead of a kernel."""

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys) -> None:
        if _publish is None:
            raise RuntimeError("The browser comm bridge is not installed: call install() first.")
        content = {"data": {} if data is None else data, "comm_id": self.comm_id, **keys}
        _publish(
            msg_type,
            json.dumps(content, default=_json_default),
            json.dumps(metadata or {}, default=_json_default),
            [bytes(b) for b in (buffers or [])],
        )


def _json_default(value):
    # Widget states hold tuples, sets of option labels and the odd numpy-free number type;
    # anything else is a bug worth seeing, not a silent string.
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"Cannot send {type(value).__name__} to the page's widget manager.")


def install(publish) -> None:
    """Route every comm to ``publish(msg_type, content_json, metadata_json, buffers)``."""
    global _publish
    _publish = publish
    comm.create_comm = lambda *args, **kwargs: BrowserComm(*args, **kwargs)
    comm.get_comm_manager = lambda: _manager


def receive(comm_id: str, data_json: str, buffers=()) -> bool:
    """Deliver a message from the page's widget manager to the widget it is for.

    Returns ``False`` when no such comm is open (a message for a closed widget is dropped,
    as a kernel drops it).
    """
    target = _manager.get_comm(comm_id)
    if target is None:
        return False
    target.handle_msg({
        "content": {"comm_id": comm_id, "data": json.loads(data_json)},
        "buffers": [memoryview(bytes(b)) for b in buffers],
        "metadata": {},
    })
    return True


def model_id(obj) -> str:
    """The widget model id to display for an explorer (or a bare widget)."""
    widget = getattr(obj, "widget", obj)
    bundle = widget._repr_mimebundle_()
    return bundle["application/vnd.jupyter.widget-view+json"]["model_id"]
