/*
 * The live book: explorers and exercise checkers run in the reader's browser.
 *
 * Imported by the "Run live" / "Check in the browser" buttons that book/_ext/nec_live.py puts on
 * the page, and only when one is pressed: before that, the page loads nothing of this.
 *
 * 1. Pyodide (CPython in WebAssembly, vendored in _static/vendor/pyodide) starts once per page.
 * 2. Its library replaces Pyodide's python_stdlib.zip: the standard library and the pure-Python
 *    widget packages (ipywidgets, comm, traitlets, and a small IPython stand-in), all compiled to
 *    bytecode at build time by Pyodide itself (scripts/live_precompile.mjs), so the page compiles
 *    nothing. _static/live/nec-book.zip (nec and data/ as the book was built with them, with
 *    their bytecode) is fetched at the same time and unpacked into its file system.
 * 3. nec.widgets._browser_comm replaces the comm package's hooks: widget messages that a kernel
 *    would carry go between Python and the page's ipywidgets HTML manager (vendored, already on
 *    explorer pages), and each message the manager sends is acknowledged with an "idle" status,
 *    as a kernel does, or the manager would hold back further updates.
 * 4. The explorer's own notebook cell runs; its view replaces the static preview.
 *
 * Nothing is fetched from outside the book's own _static folder.
 */

const staticRoot = new URL("..", import.meta.url); // .../_static/
let runtime = null; // one Promise per page: {py, manager}

function status(button, text) {
  const box = button.parentElement.querySelector(".nec-live-status");
  if (box) box.textContent = text;
}

function fileProtocolSentence() {
  return (
    "The live mode needs the book served over http: run ./run.sh serve and open the " +
    "address it prints (the page keeps its static preview)."
  );
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url} (${response.status})`);
  return response.arrayBuffer();
}

function widgetManager() {
  return new Promise((resolve, reject) => {
    if (!window.require) {
      reject(new Error("the widget manager is not on this page"));
      return;
    }
    window.require(["@jupyter-widgets/html-manager"], (hm) => resolve(new hm.HTMLManager()), reject);
  });
}

// A comm as the widget manager expects one (IClassicComm), carried to Python instead of a kernel.
class BrowserComm {
  constructor(commId, targetName, py) {
    this.comm_id = commId;
    this.target_name = targetName;
    this.py = py;
    this.onMsg = null;
    this.onClose = null;
    this.count = 0;
  }
  open() {
    return this.nextId();
  }
  nextId() {
    this.count += 1;
    return `${this.comm_id}-${this.count}`;
  }
  send(data, callbacks, metadata, buffers) {
    const receive = this.py.globals.get("_nec_receive");
    const bufs = (buffers || []).map((b) => new Uint8Array(b.buffer ? b.buffer : b));
    const began = performance.now();
    try {
      receive(this.comm_id, JSON.stringify(data), bufs);
    } finally {
      receive.destroy();
      // Python's share of each change (the rest is the widget manager's): the last 200.
      pythonMs.push(Math.round((performance.now() - began) * 10) / 10);
      if (pythonMs.length > 200) pythonMs.shift();
    }
    // Acknowledge as a kernel would, after send() returns: the model counts the message as
    // pending only once send() has returned, so an acknowledgement inside it would count -1.
    const idle = { content: { execution_state: "idle" }, header: {}, parent_header: {}, metadata: {} };
    if (callbacks && callbacks.iopub && callbacks.iopub.status) {
      queueMicrotask(() => callbacks.iopub.status(idle));
    }
    return this.nextId();
  }
  close() {
    if (this.onClose) this.onClose({ content: { comm_id: this.comm_id, data: {} } });
    return this.nextId();
  }
  on_msg(callback) {
    this.onMsg = callback;
  }
  on_close(callback) {
    this.onClose = callback;
  }
}

// Milliseconds from the first press to each step of the start, for benchmarks/run.py and for
// anyone asking why a start was slow (window.necLiveTimings; also logged to the console).
const timings = {};
let t0 = 0;
function mark(step) {
  timings[step] = Math.round(performance.now() - t0);
}
window.necLiveTimings = timings;
const pythonMs = [];
window.necLivePythonMs = pythonMs;

async function start(button) {
  t0 = performance.now();
  status(button, "Loading Python in your browser (first time only: about 8 MB)…");
  const manifest = await (await fetch(new URL("live/manifest.json", staticRoot))).json();
  mark("manifest");
  // Everything is fetched at once: the runtime's module and WebAssembly (loadPyodide), the
  // library (the standard library and the widget packages as bytecode, scripts/
  // live_precompile.mjs) and nec's own bundle, which unpacks as soon as Python is up.
  const bundle = fetchBytes(new URL(manifest.bundle, staticRoot));
  const { loadPyodide } = await import(new URL(manifest.runtime + "pyodide.mjs", staticRoot));
  mark("module");
  const py = await loadPyodide({
    indexURL: new URL(manifest.runtime, staticRoot).href,
    stdLibURL: new URL(manifest.library, staticRoot).href,
  });
  mark("pyodide");
  status(button, "Loading nec and the widgets…");
  py.unpackArchive(await bundle, "zip", { extractDir: "/home/pyodide/nec-book" });
  mark("unpack");

  // The widget manager (require.js + the vendored html-manager) is on explorer pages only;
  // a page with exercise checkers alone needs none.
  let manager = null;
  const comms = new Map();
  const toBuffers = (list) => {
    const out = list.toJs({ create_proxies: false }).map((u8) => new DataView(u8.buffer, u8.byteOffset, u8.byteLength));
    list.destroy();
    return out;
  };
  // publish(msg_type, content_json, metadata_json, buffers): what Python's comms send.
  const publish = (msgType, contentJson, metadataJson, buffers) => {
    const content = JSON.parse(contentJson);
    const msg = { content, metadata: JSON.parse(metadataJson), buffers: toBuffers(buffers) };
    // A widget publishes its first updates right after opening, before the manager has built
    // the model (that takes a promise): each message for a comm waits for its model, in order.
    if (msgType === "comm_open") {
      const c = new BrowserComm(content.comm_id, content.target_name, py);
      comms.set(content.comm_id, c);
      c.ready = manager.handle_comm_open(c, msg).catch((err) => console.warn("widget model failed:", err));
    } else if (msgType === "comm_msg") {
      const c = comms.get(content.comm_id);
      if (c) c.ready = c.ready.then(() => c.onMsg && c.onMsg(msg));
    } else if (msgType === "comm_close") {
      const c = comms.get(content.comm_id);
      if (c) c.ready = c.ready.then(() => c.onClose && c.onClose(msg));
      comms.delete(content.comm_id);
    }
  };
  py.globals.set("_nec_publish", publish);
  py.runPython(`
import sys
sys.path.insert(0, "/home/pyodide/nec-book")
from nec import _browser_comm
_browser_comm.install(_nec_publish)
def _nec_receive(comm_id, data_json, buffers):
    return _browser_comm.receive(comm_id, data_json, [bytes(b.to_py()) for b in buffers])
`);
  mark("ready");
  console.info(`nec live: runtime ready in ${timings.ready} ms`);
  return {
    py,
    manager(made) {
      if (!manager) manager = made;
      return manager;
    },
  };
}

async function managerFor(runtimePromise) {
  const made = widgetManager();
  made.catch(() => {}); // a failure is reported once, by the await below
  const live = await runtimePromise;
  return live.manager(await made);
}

function ensureRuntime(button) {
  if (!runtime) {
    runtime = start(button).catch((err) => {
      runtime = null;
      throw err;
    });
  }
  return runtime;
}

function failed(button, err) {
  console.warn("nec live:", err);
  status(button, `The live mode could not start here (${err.message || err}). The static preview stays.`);
  button.disabled = false;
}

export async function runExplorer(button) {
  if (location.protocol === "file:") {
    status(button, fileProtocolSentence());
    return;
  }
  button.disabled = true;
  const block = button.closest(".nec-live-explorer");
  const cell = block.nextElementSibling;
  const source = block.querySelector(".nec-live-source").textContent;
  try {
    // The page's widget manager (require.js modules) loads while Python starts.
    const managerReady = managerFor(ensureRuntime(button));
    const live = await ensureRuntime(button);
    const py = live.py;
    const manager = await managerReady;
    mark("manager");
    status(button, "Starting the explorer…");
    py.runPython("import ipywidgets"); // timed apart from the explorer's own cell
    mark("ipywidgets");
    const result = py.runPython(source, { globals: py.globals });
    // The explorer's objects (and the modules') live as long as the page: taken out of the
    // cyclic garbage collector's scans, which otherwise cost a change tens of milliseconds
    // now and then.
    py.runPython("import gc; gc.freeze()");
    mark("explorer");
    const getId = py.globals.get("_browser_comm").model_id;
    const modelId = getId(result);
    getId.destroy();
    if (result && result.destroy) result.destroy();
    const model = await manager.get_model(modelId);
    const view = await manager.create_view(model);
    const area = document.createElement("div");
    area.className = "nec-live-view";
    const output = cell ? cell.querySelector(".cell_output") : null;
    if (output) {
      output.hidden = true;
      output.parentElement.insertBefore(area, output);
    } else {
      block.appendChild(area);
    }
    await manager.display_view(view, area);
    mark("shown");
    console.info(`nec live: timings ${JSON.stringify(timings)}`);
    block.querySelector(".nec-live-label").textContent = "Live: this explorer runs in your browser.";
    button.hidden = true;
    status(button, "");
  } catch (err) {
    failed(button, err);
  }
}

export async function runCheck(button) {
  const block = button.closest(".nec-live-check");
  const feedback = block.querySelector(".nec-live-feedback");
  if (location.protocol === "file:") {
    status(button, fileProtocolSentence());
    return;
  }
  button.disabled = true;
  try {
    const { py } = await ensureRuntime(button);
    status(button, "");
    const check = py.runPython("from nec.exercises.typed import check_typed_html\ncheck_typed_html");
    feedback.innerHTML = check(block.dataset.exercise, block.querySelector(".nec-live-answer").value);
    check.destroy();
  } catch (err) {
    failed(button, err);
    return;
  }
  button.disabled = false;
}
