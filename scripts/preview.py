#!/usr/bin/env python3
"""Serve both editions from _build/ as a reader meets them: `make preview`.

    python3 scripts/preview.py [--port 8000] [_build]

The English site is at /html/, the Swedish one at /sv/html/ (where `make html` and
`make html LANGUAGE=sv` put them), so each page's language switch leads to the same page in the
other edition, and its PDF and EPUB links to the files `make pdf` and `make epub` wrote beside its
HTML folder. An address with no page answers like Read the Docs does: status 404 and the 404
page of the edition the address is in, whose links (conf.py: notfound_urls_prefix) lead back into
that edition. Only this machine can connect (127.0.0.1).
"""

from __future__ import annotations

import argparse
import functools
import http.server
from http import HTTPStatus
from pathlib import Path

# The folder of each edition's HTML below _build/, by the first part of the address (conf.py:
# edition_roots when not on Read the Docs).
EDITION_FOLDERS = {"sv": "sv/html", "": "html"}


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        if self.path in ("/", "/index.html"):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", "/html/")
            self.end_headers()
            return
        super().do_GET()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.not_found_page() if code == HTTPStatus.NOT_FOUND else None
        if page is None:
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def not_found_page(self) -> Path | None:
        """The 404 page of the edition that the requested address lies in."""
        first = self.path.lstrip("/").split("/", 1)[0]
        folder = EDITION_FOLDERS.get(first, EDITION_FOLDERS[""])
        page = Path(self.directory) / folder / "404.html"
        return page if page.is_file() else None

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if not getattr(self.server, "quiet", False):
            super().log_message(format, *args)


def make_server(root: Path, port: int = 8000, quiet: bool = False) -> http.server.ThreadingHTTPServer:
    """A server for *root* (the _build folder) on 127.0.0.1:*port* (0: any free port)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(PreviewHandler, directory=str(root)))
    server.quiet = quiet
    server.daemon_threads = True
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default="_build", type=Path, help="the build folder (default: _build)")
    parser.add_argument("--port", type=int, default=8000)
    options = parser.parse_args()
    for folder in EDITION_FOLDERS.values():
        if not (options.root / folder / "index.html").is_file():
            parser.exit(1, f"{options.root / folder} has no site: run `make html` and `make html LANGUAGE=sv` first\n")
    server = make_server(options.root, options.port)
    print(f"English: http://127.0.0.1:{options.port}/html/  Swedish: http://127.0.0.1:{options.port}/sv/html/  (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
