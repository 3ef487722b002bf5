"""Reading a user's file: a regular file of bounded size, decoded as UTF-8, inside the folder it belongs to.

Every file slaforge reads on a user's behalf (specs, fragments, portfolios, offers, clause and
category files, themes with their CSS, templates and assets, CSV data, cache manifests) is read
here, so that each of these holds for all of them:

- only a regular file is read: a folder, a FIFO, a device (``/dev/zero``) or a socket is refused
  before anything is read from it (a FIFO is opened without blocking, so it cannot hang);
- no file is read past its limit (:mod:`slaforge.inputs.limits`): the size is checked before
  reading, and never more than the limit is read even when the file grows meanwhile;
- text is UTF-8; a byte that is not, and a NUL character, are problems located by line and column;
- a file that must lie inside a folder (a theme's template, a clause, a logo) is looked up with
  every symbolic link followed, and refused when it ends up outside (:func:`confined`).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from slaforge.errors import InputError, Problem, SlaforgeError, summary
from slaforge.inputs.limits import TEXT_FILE_BYTES

ErrorType = type[SlaforgeError]
# control characters (other than tab and line breaks) and lone surrogates: never text of an agreement or its data
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
LIMITS_DOC = "docs/limits.md"


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is, in a message's words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def present(path: Path) -> bool:
    """True when there is anything at ``path`` (a dangling link too): what is there is then read, or refused."""
    return path.exists() or path.is_symlink()


def is_regular(path: Path) -> bool:
    """True for a regular file (or a link to one); False for anything else or nothing."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def read_bytes(
    path: Path,
    *,
    limit: int = TEXT_FILE_BYTES,
    what: str = "file",
    display: str | None = None,
    error: ErrorType = InputError,
) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; ``error`` naming the file otherwise."""
    name = display if display is not None else str(path)
    fd = _open_regular(path, name, limit=limit, what=what, error=error)
    try:
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise error(too_large(name, size, limit, what))
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"{name}: cannot read it ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def _open_regular(path: Path, name: str, *, limit: int, what: str, error: ErrorType) -> int:
    """A descriptor of the regular file ``path`` no larger than ``limit``; ``error`` naming the file otherwise.

    A FIFO is opened without blocking, so it cannot hang; what it is, is then read from the descriptor."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error(f"{name}: no such file") from None
    except IsADirectoryError:
        raise error(f"{name}: a folder, not a {what}") from None
    except OSError as exc:
        raise error(f"{name}: cannot read it ({exc.strerror or exc})") from None
    except ValueError:  # a NUL character in the path
        raise error(f"{name}: not a file name (it holds a NUL character)") from None
    try:
        info = os.fstat(fd)
        kind = kind_of(info.st_mode)
        if kind is not None:
            raise error(f"{name}: {kind}, not a {what}; only regular files are read")
        if info.st_size > limit:
            raise error(too_large(name, info.st_size, limit, what))
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_lines(
    path: Path,
    *,
    limit: int,
    line_chars: int,
    what: str = "file",
    display: str | None = None,
    error: ErrorType = InputError,
) -> Iterator[str]:
    """The lines of the UTF-8 text file ``path``, each with its line ending, read as they are needed.

    For files too large to hold at once (measured data): memory stays that of one line.  The file is
    refused as :func:`read_bytes` refuses it; a line longer than ``line_chars`` bytes, a byte that is not
    UTF-8 and a NUL character are problems at their line (and column), raised when that line is reached.
    """
    name = display if display is not None else str(path)
    fd = _open_regular(path, name, limit=limit, what=what, error=error)
    try:
        handle = os.fdopen(fd, "rb", closefd=True)
    except OSError as exc:
        os.close(fd)
        raise error(f"{name}: cannot read it ({exc.strerror or exc})") from None
    with handle:
        size = 0
        number = 0
        while True:
            try:
                data = handle.readline(line_chars + 1)
            except OSError as exc:
                raise error(f"{name}: cannot read it ({exc.strerror or exc})") from None
            if not data:
                return
            number += 1
            size += len(data)
            if size > limit:
                raise error(too_large(name, size, limit, what))
            if len(data) > line_chars and not data.endswith(b"\n"):
                problem = Problem(
                    f"the line is longer than {line_chars:,} bytes",
                    file=name,
                    line=number,
                    expected=f"lines of at most {line_chars:,} bytes (see {LIMITS_DOC})",
                    code="too-large",
                )
                raise error(summary(1), [problem])
            if number == 1 and data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = data[exc.start : exc.start + 1].hex()
                problem = Problem(
                    f"not UTF-8 text: byte 0x{bad} ({exc.reason})",
                    file=name,
                    line=number,
                    column=len(data[: exc.start].decode("utf-8", errors="replace")) + 1,
                    expected="UTF-8 text (save the file as UTF-8)",
                    code="not-utf8",
                )
                raise error(summary(1), [problem]) from None
            check_no_nul(text, name, error=error, first_line=number)
            if bad := UNPRINTABLE.search(text.rstrip("\r\n")):
                problem = Problem(
                    f"the control character U+{ord(bad[0]):04X} has no place in the text",
                    file=name,
                    line=number,
                    column=bad.start() + 1,
                    expected="text of printable characters",
                    code="control-character",
                )
                raise error(summary(1), [problem])
            yield text


def file_digest(path: Path, *, follow_links: bool = False) -> str | None:
    """The SHA-256 of the regular file ``path`` (read in chunks), or None for anything else or nothing.

    Without ``follow_links`` a symbolic link is not a file: the cache of a build compares and
    removes only what it wrote itself, never what a link points to.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def too_large(name: str, size: int, limit: int, what: str) -> str:
    return f"{name}: {size:,} bytes or more is larger than a {what} may be ({limit:,} bytes; see {LIMITS_DOC})"


def read_text(
    path: Path,
    *,
    limit: int = TEXT_FILE_BYTES,
    what: str = "file",
    display: str | None = None,
    error: ErrorType = InputError,
) -> str:
    """The text of ``path``: :func:`read_bytes`, then :func:`decode`."""
    name = display if display is not None else str(path)
    return decode(read_bytes(path, limit=limit, what=what, display=name, error=error), name, error=error)


def decode(data: bytes, name: str, *, error: ErrorType = InputError) -> str:
    """UTF-8 ``data`` as text (a leading byte order mark dropped); a bad byte or a NUL is a located problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = byte_position(data, exc.start)
        bad = data[exc.start : exc.start + 1].hex()
        problem = Problem(
            f"not UTF-8 text: byte 0x{bad} ({exc.reason})",
            file=name,
            line=line,
            column=column,
            expected="UTF-8 text (save the file as UTF-8)",
            code="not-utf8",
        )
        raise error(summary(1), [problem]) from None
    text = text.removeprefix("\ufeff")
    check_no_nul(text, name, error=error)
    return text


def check_no_nul(text: str, name: str, *, error: ErrorType = InputError, first_line: int = 1) -> None:
    """A NUL character anywhere in ``text`` is a problem at its line and column: it is never copied on."""
    index = text.find("\x00")
    if index < 0:
        return
    line, column = position(text, index)
    problem = Problem(
        "a NUL character (U+0000) in the text",
        file=name,
        line=line + first_line - 1,
        column=column,
        expected="text without NUL characters",
        code="nul-character",
    )
    raise error(summary(1), [problem])


def position(text: str, index: int) -> tuple[int, int]:
    """The 1-based (line, column) of the character at ``index`` of ``text``."""
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def byte_position(data: bytes, index: int) -> tuple[int, int]:
    """The 1-based (line, column in characters) of the byte at ``index`` of UTF-8 ``data``."""
    line = data.count(b"\n", 0, index) + 1
    start = data.rfind(b"\n", 0, index) + 1
    return line, len(data[start:index].decode("utf-8", errors="replace")) + 1


def confined(path: Path, root: Path, *, what: str = "file", error: ErrorType = InputError) -> Path:
    """``path`` with every link followed, when that lies inside ``root`` (links followed too); else ``error``.

    A theme's template, a clause file or a logo may be a symbolic link, but only to a file inside its
    own folder: a link that points elsewhere on the disk is refused, and nothing is read from it.
    """
    folder = root.resolve()
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise error(f"{path}: a loop of symbolic links, not a {what}") from None
    if not resolved.is_relative_to(folder):
        raise error(
            f"{path}: the {what} lies outside its folder {folder} (through a symbolic link or '..'); "
            "refusing to read it"
        )
    return resolved


def is_inside(path: Path, root: Path) -> bool:
    """True when ``path``, every link followed, lies inside ``root``."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False
