"""``slaforge serve``: the portal on localhost for preview, rebuilt whenever an input changes.

The site is built once, then served from its folder by the standard library's HTTP server (bound
to 127.0.0.1 only: a preview, never a production server).  ``watchfiles`` watches the portfolio's
folder, the measured data and the theme folder; a change rebuilds the site incrementally (only
what the change affects is rendered again) and a failed rebuild prints its problems and keeps the
last good site in place.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from slaforge.errors import SlaforgeError
from slaforge.inputs.files import is_regular
from slaforge.portal.build import PortalOptions, PortalResult, build_portal


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site's files and nothing else: no file outside the site (through a symbolic link either),
    nothing that is not a regular file, no folder listings; no request log on the terminal, no caching in
    the browser."""

    def log_message(self, format: str, *args: Any) -> None:
        return

    def translate_path(self, path: str) -> str:
        translated = Path(super().translate_path(path))
        root = Path(self.directory).resolve()
        try:
            resolved = translated.resolve()
        except (OSError, RuntimeError):
            return str(root / ".missing")
        if resolved.is_dir() and resolved.is_relative_to(root):
            return str(resolved)  # a folder: its index.html is served, never a listing
        if not resolved.is_relative_to(root) or not is_regular(resolved):
            return str(root / ".missing")  # answered 404, as a file that is not there
        return str(resolved)

    def list_directory(self, path: Any) -> None:
        self.send_error(404, "File not found")
        return None

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def watched(portfolio: Path, options: PortalOptions) -> list[Path]:
    paths = [portfolio.resolve().parent, options.data_dir.resolve()]
    if options.theme_dir:
        paths.append(options.theme_dir.resolve())
    return list(dict.fromkeys(paths))


def serve(
    portfolio: Path,
    options: PortalOptions,
    port: int,
    say: Callable[[str], None],
    built: Callable[[PortalResult], None],
    stop: threading.Event | None = None,
) -> None:
    """Build, serve on 127.0.0.1:``port`` (0: any free port) and rebuild on change until ``stop`` is set."""
    from watchfiles import watch

    built(build_portal(portfolio, options))
    handler = functools.partial(QuietHandler, directory=str(options.out_dir))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    say(f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    outputs = (options.out_dir.resolve(), options.work.resolve())

    def relevant(_change: Any, path: str) -> bool:
        return not any(Path(path).is_relative_to(folder) for folder in outputs)

    try:
        for _changes in watch(*watched(portfolio, options), watch_filter=relevant, stop_event=stop, debounce=300):
            try:
                built(build_portal(portfolio, options))
            except SlaforgeError as error:
                say(error.format())
                say("the last good site is still served")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
