"""Reading files the user names (text, policy, password, media): regular files of bounded size
only, so a FIFO, a device such as ``/dev/zero`` or a huge file is refused at once instead of
hanging or filling memory. Pure standard library."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Final

KB: Final = 1024
MB: Final = 1024 * KB

#: A post's text: the longest (Facebook, 63,206 characters) is well under 1 MiB in UTF-8.
TEXT_FILE_LIMIT: Final = 1 * MB
#: A policy TOML or a password file.
SMALL_FILE_LIMIT: Final = 64 * KB


class InputFileError(ValueError):
    """The file cannot be used; the message names it and says why, in one sentence.

    ``kind`` is one of "missing", "folder", "denied", "not_regular", "too_large", "unreadable" (for
    callers that word the message themselves)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


@contextmanager
def open_regular(path: str | Path, *, limit: int | None, what: str) -> Iterator[BinaryIO]:
    """Open ``path`` for reading, refusing anything but a regular file of at most ``limit``
    bytes. The open never waits: a FIFO is opened non-blocking and then refused."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputFileError(f"{what} {path} does not exist", "missing") from None
    except IsADirectoryError:
        raise InputFileError(f"{what} {path} is a folder, not a file", "folder") from None
    except PermissionError:
        raise InputFileError(
            f"{what} {path} cannot be read (permission denied)", "denied"
        ) from None
    except OSError as error:
        raise InputFileError(
            f"{what} {path} cannot be read ({error.strerror or error})", "unreadable"
        ) from None
    handle = os.fdopen(fd, "rb")
    with handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(f"{what} {path} is a folder, not a file", "folder")
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(
                f"{what} {path} is not a regular file (a pipe or a device is never read)",
                "not_regular",
            )
        if limit is not None and info.st_size > limit:
            raise InputFileError(
                f"{what} {path} is too large ({info.st_size:,} bytes; at most {limit:,})",
                "too_large",
            )
        yield handle


def read_regular_file(path: str | Path, *, limit: int, what: str) -> bytes:
    """The whole file, when it is a regular file of at most ``limit`` bytes."""
    with open_regular(path, limit=limit, what=what) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise InputFileError(f"{what} {path} is too large (more than {limit:,} bytes)", "too_large")
    return data


def read_text_file(path: str | Path, *, limit: int, what: str) -> str:
    """UTF-8 text (a leading BOM is dropped) of a bounded regular file."""
    data = read_regular_file(path, limit=limit, what=what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputFileError(
            f"{what} {path} is not UTF-8 text (byte {error.start + 1} is invalid)", "unreadable"
        ) from None
