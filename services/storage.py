"""Storage for uploaded material files, addressed by keys made of ids only.

Keys are built from the case id and the material id, never from a file name
or personal data, so a stored path reveals nothing about the household.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

# One key segment: the characters of our generated ids ("c-…", "mat-…").
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


class InvalidStorageKey(ValueError):
    """A key that is not made of id segments separated by "/"."""


class Storage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def open(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


def material_key(case_id: str, material_id: str) -> str:
    """Build the storage key of one material file."""
    for part in (case_id, material_id):
        if not _SEGMENT.fullmatch(part):
            raise InvalidStorageKey(
                f"invalid id {part!r} for a storage key: use letters, digits, "
                "'-' or '_' (at most 64 characters)"
            )
    return f"{case_id}/{material_id}"


def _check_key(key: str) -> list[str]:
    segments = key.split("/")
    for segment in segments:
        if not _SEGMENT.fullmatch(segment):
            raise InvalidStorageKey(
                f"invalid storage key {key!r}: each segment must be an id of "
                "letters, digits, '-' or '_' (at most 64 characters)"
            )
    return segments


class LocalStorage:
    """Files under one root directory, written atomically."""

    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    def _path(self, key: str) -> Path:
        path = self._root.joinpath(*_check_key(key)).resolve()
        # The segment pattern already excludes "..", "/" and "\"; this check
        # also holds if the root itself is reached through a symlink.
        if not path.is_relative_to(self._root):
            raise InvalidStorageKey(f"storage key {key!r} leaves the storage root")
        return path

    def put(self, key: str, data: bytes) -> None:
        """Write the file, replacing an older one, so readers see all or nothing."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> bytes:
        """Read the file; raise FileNotFoundError when no file has this key."""
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        """Remove the file; a missing file is not an error, so retries are safe."""
        self._path(key).unlink(missing_ok=True)
