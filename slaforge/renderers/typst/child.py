"""The Typst compiler in a process of its own, where limits of time, memory and size can stop it.

The compiler is native code: once it runs, nothing in Python can interrupt it, and a theme's
``#for i in range(1000000000) {}`` would run for hours.  :mod:`.compile` therefore starts this
script (``python -P child.py``, importing nothing of slaforge, so it starts in milliseconds) under
limits of CPU time, address space and file size, hands it the request as JSON on stdin, and reads
the answer as JSON on stdout: ``{"warnings": [...]}`` with the PDF written to the request's
``output``, or ``{"error": "..."}``.  The child ends when its parent does.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

# "┌─ path/to/file.typ:181:29" in a diagnostic
LOCATION = re.compile(r"\u250c\u2500 (\S+:\d+:\d+)")


def describe(diagnostic: Any, root: Path) -> str:
    """The compiler's message, where it arose (theme file:line:column) and its hints."""
    parts = [str(getattr(diagnostic, "message", diagnostic))]
    # the compiler names a file relative to the working folder (../../tmp/slaforge-typst-x/agreement.typ):
    # what follows the stage's own, randomly named folder is the theme's file, wherever the command runs
    staged = root.resolve().name
    for place in LOCATION.findall(str(getattr(diagnostic, "diagnostic", "") or "")):
        name = place.replace("\\", "/")
        name = name.split(staged + "/", 1)[-1] if staged + "/" in name else name.lstrip("./")
        parts.append(f"at {name}")
    parts += [f"hint: {hint}" for hint in getattr(diagnostic, "hints", None) or ()]
    return "; ".join(dict.fromkeys(parts))


def end_with(parent: int) -> None:
    """End this process as soon as ``parent`` is gone (killed, or crashed)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="slaforge-parent-watch", daemon=True).start()


def compile_request(request: dict[str, Any]) -> dict[str, Any]:
    import typst

    root = Path(request["root"])
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=request["fonts"])
    try:
        pdf, warnings = typst.compile_with_warnings(
            request["input"],
            root=request["root"],
            font_paths=fonts,
            ignore_system_fonts=True,
            pdf_standards=request["standards"],
            timestamp=request["timestamp"],
            package_path=request["packages"],
            package_cache_path=request["packages"],
        )
    except typst.TypstError as error:
        return {"error": describe(error, root)}
    if not isinstance(pdf, bytes):  # a one-file PDF is what was asked for
        return {"error": "the Typst compiler returned no PDF"}
    if len(pdf) > request["max_bytes"]:
        return {"error": f"the PDF would be {len(pdf):,} bytes, more than the {request['max_bytes']:,} bytes allowed"}
    Path(request["output"]).write_bytes(pdf)
    return {"warnings": list(dict.fromkeys(describe(w, root) for w in warnings))}


def main() -> None:
    request = json.loads(sys.stdin.read())
    end_with(request["parent"])
    json.dump(compile_request(request), sys.stdout)


if __name__ == "__main__":
    main()
