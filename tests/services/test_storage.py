"""Local material storage: keys, atomic writes and path traversal."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.storage import InvalidStorageKey, LocalStorage, material_key


def test_put_and_open_round_trip(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    key = material_key("c-1234", "mat-abcd")

    storage.put(key, b"%PDF-1.7 content")

    assert storage.open(key) == b"%PDF-1.7 content"
    assert (tmp_path / "c-1234" / "mat-abcd").read_bytes() == b"%PDF-1.7 content"


def test_put_replaces_and_leaves_no_temp_file(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    key = material_key("c-1", "mat-1")

    storage.put(key, b"first")
    storage.put(key, b"second")

    assert storage.open(key) == b"second"
    assert sorted(p.name for p in (tmp_path / "c-1").iterdir()) == ["mat-1"]


def test_failed_write_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = LocalStorage(tmp_path)
    key = material_key("c-1", "mat-1")
    storage.put(key, b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("services.storage.os.fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        storage.put(key, b"new")

    assert storage.open(key) == b"old"
    assert sorted(p.name for p in (tmp_path / "c-1").iterdir()) == ["mat-1"]


def test_delete_is_idempotent(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    key = material_key("c-1", "mat-1")
    storage.put(key, b"x")

    storage.delete(key)
    storage.delete(key)

    with pytest.raises(FileNotFoundError):
        storage.open(key)


def test_open_missing_key_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        LocalStorage(tmp_path).open("c-1/mat-none")


@pytest.mark.parametrize(
    "key",
    [
        "../outside",
        "c-1/../../etc/passwd",
        "/etc/passwd",
        "c-1//mat-1",
        "c-1/.hidden",
        "c-1\\mat-1",
        "c-1/张三.pdf",
        "c-1/mat 1",
        "",
        "c-1/" + "a" * 65,
    ],
)
def test_invalid_keys_rejected(tmp_path: Path, key: str) -> None:
    storage = LocalStorage(tmp_path / "root")

    with pytest.raises(InvalidStorageKey):
        storage.put(key, b"x")
    with pytest.raises(InvalidStorageKey):
        storage.open(key)
    with pytest.raises(InvalidStorageKey):
        storage.delete(key)

    assert not (tmp_path / "outside").exists()
    assert list(tmp_path.iterdir()) == []


def test_material_key_rejects_non_id_parts() -> None:
    with pytest.raises(InvalidStorageKey):
        material_key("c-1", "../mat")
    with pytest.raises(InvalidStorageKey):
        material_key("c-1/x", "mat-1")


def test_root_behind_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    storage = LocalStorage(link)

    storage.put("c-1/mat-1", b"data")

    assert (real / "c-1" / "mat-1").read_bytes() == b"data"
