"""Serve the built book on loopback, so that its live mode works (``./run.sh serve``).

Browsers refuse to run the live book's Python (Pyodide: a WebAssembly module and ES modules)
from ``file://``; any static web server will do, and this is the smallest one that serves the
files as a production host would: correct types for ``.mjs`` and ``.wasm`` and gzip for what
compresses (the runtime's 9.6 MB ``.wasm`` travels as about 3 MB). It listens on 127.0.0.1 only.

    python scripts/serve.py [FOLDER] [--port 8000]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
import sys
from pathlib import Path

TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
         ".json": "application/json", ".whl": "application/zip", ".zip": "application/zip"}
COMPRESS = {".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".map", ".txt", ".zip",
            ".whl", ".woff", ".ttf", ".eot"}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    _cache: dict[tuple[str, float], bytes] = {}

    def log_message(self, format, *args):  # quiet: one line per request is noise in a test log
        if os.environ.get("NEC_SERVE_LOG"):
            super().log_message(format, *args)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and path.suffix in COMPRESS):
            return super().send_head()
        stat = path.stat()
        # A validator, so that a browser's cached copy is confirmed with a 304 instead of being
        # sent again: the live book's warm start then also reuses the browser's compiled
        # WebAssembly, which a fresh 200 response would throw away.
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}-gzip"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            return None
        key = (str(path), stat.st_mtime)
        body = self._cache.get(key)
        if body is None:
            body = gzip.compress(path.read_bytes(), compresslevel=6)
            self._cache[key] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("ETag", etag)
        self.end_headers()
        return io.BytesIO(body)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="_build/html")
    parser.add_argument("--port", type=int, default=int(os.environ.get("NEC_SERVE_PORT", 8000)))
    args = parser.parse_args(argv)
    folder = Path(args.folder).resolve()
    if not (folder / "index.html").exists():
        print(f"No book in {folder}: run ./run.sh build first.", file=sys.stderr)
        return 1
    handler = functools.partial(Handler, directory=str(folder))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"Serving {folder} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)",
              flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
