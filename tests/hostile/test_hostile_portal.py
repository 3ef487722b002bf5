"""The portal's site: what it removes, and what ``serve`` hands out.

- A rebuild removes only files it wrote itself (their SHA-256 in the list it keeps in the work folder),
  inside the site and reached through no symbolic link: a tampered list removes nothing of the user's
  and nothing outside.
- ``serve`` hands out regular files inside the site and nothing else: no file through a symbolic link
  that leads outside, no FIFO, no folder listing.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path

from hostile_cli import SAMPLES, slaforge

MARKER = "MARKER-7be1c0-not-the-portals-file"
PORTFOLIO = SAMPLES / "portfolio" / "portfolio.yaml"
DATA = SAMPLES / "portfolio" / "measured"


def test_a_tampered_site_list_removes_nothing_of_the_users_or_outside(tmp_path: Path) -> None:
    build = ("portal", PORTFOLIO, "--data", DATA, "-o", "site", "-f", "html")
    first = slaforge(*build, cwd=tmp_path)
    assert first.code == 0, first.text
    site, listing = tmp_path / "site", tmp_path / ".site-work" / "site.json"
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(MARKER, encoding="utf-8")
    (site / "link").symlink_to(outside, target_is_directory=True)
    mine = site / "mine.txt"
    mine.write_text(MARKER, encoding="utf-8")
    sha = hashlib.sha256(MARKER.encode()).hexdigest()
    files = json.loads(listing.read_text(encoding="utf-8"))["files"]
    files.update({"link/secret.txt": sha, "mine.txt": "0" * 64, "../outside/secret.txt": sha, str(secret): sha})
    listing.write_text(json.dumps({"files": files}), encoding="utf-8")
    again = slaforge(*build, cwd=tmp_path)
    assert again.code == 0, again.text
    assert "0 removed" in again.out
    assert secret.read_text(encoding="utf-8") == MARKER and mine.read_text(encoding="utf-8") == MARKER
    assert (site / "link").is_symlink()
    assert MARKER not in again.text


def get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_serve_hands_out_only_regular_files_inside_the_site(tmp_path: Path) -> None:
    from slaforge.portal.serve import QuietHandler

    site = tmp_path / "site"
    (site / "customers" / "contoso").mkdir(parents=True)
    (site / "index.html").write_text("<p>portal</p>", encoding="utf-8")
    (site / "customers" / "contoso" / "index.html").write_text("<p>contoso</p>", encoding="utf-8")
    (site / "customers" / "empty").mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text(MARKER, encoding="utf-8")
    (site / "leak.txt").symlink_to(outside)
    (site / "leaks").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(site / "pipe.html")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        assert get(port, "/") == (200, b"<p>portal</p>")
        assert get(port, "/customers/contoso/") == (200, b"<p>contoso</p>")
        for path in ("/leak.txt", "/leaks/secret.txt", "/../secret.txt", "/%2e%2e/secret.txt", "/pipe.html"):
            status, body = get(port, path)
            assert status == 404 and MARKER.encode() not in body, (path, status)
        status, body = get(port, "/customers/empty/")  # a folder without an index: no listing
        assert status == 404 and b"contoso" not in body
    finally:
        server.shutdown()
        server.server_close()
