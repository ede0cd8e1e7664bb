"""The AES-GCM payload codec and key rotation."""

from __future__ import annotations

import base64
import os

import pytest
from cryptography.exceptions import InvalidTag
from temporalio.api.common.v1 import Payload

from core.codec import ENCODING, KEY_ID_FIELD, EncryptionCodec
from core.settings import Settings


def key() -> bytes:
    return os.urandom(32)


def plain(text: str) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=text.encode())


async def test_round_trip_hides_data() -> None:
    codec = EncryptionCodec("k1", {"k1": key()})
    [sealed] = await codec.encode([plain('{"case_id": "c-1"}')])
    assert sealed.metadata["encoding"] == ENCODING
    assert sealed.metadata[KEY_ID_FIELD] == b"k1"
    assert b"c-1" not in sealed.data
    [opened] = await codec.decode([sealed])
    assert opened.data == b'{"case_id": "c-1"}'


async def test_old_key_still_decrypts() -> None:
    old, new = key(), key()
    [sealed] = await EncryptionCodec("k1", {"k1": old}).encode([plain("x")])
    rotated = EncryptionCodec("k2", {"k2": new, "k1": old})
    [opened] = await rotated.decode([sealed])
    assert opened.data == b"x"
    [resealed] = await rotated.encode([plain("y")])
    assert resealed.metadata[KEY_ID_FIELD] == b"k2"


async def test_unknown_key_id_is_named() -> None:
    [sealed] = await EncryptionCodec("k1", {"k1": key()}).encode([plain("x")])
    with pytest.raises(ValueError, match="k1"):
        await EncryptionCodec("k2", {"k2": key()}).decode([sealed])


async def test_relabelled_payload_fails() -> None:
    first, second = key(), key()
    [sealed] = await EncryptionCodec("k1", {"k1": first}).encode([plain("x")])
    sealed.metadata[KEY_ID_FIELD] = b"k2"
    with pytest.raises(InvalidTag):
        await EncryptionCodec("k2", {"k2": first, "k1": second}).decode([sealed])


async def test_unencrypted_payload_passes_through() -> None:
    codec = EncryptionCodec("k1", {"k1": key()})
    [opened] = await codec.decode([plain("x")])
    assert opened.data == b"x"


def test_previous_keys_setting_parsed() -> None:
    old = base64.b64encode(key()).decode()
    settings = Settings(environment="test", encryption_previous_keys=f"old={old}")
    keys = settings.decryption_keys()
    assert set(keys) == {"dev-1", "old"}


def test_placeholder_key_rejected_in_production() -> None:
    with pytest.raises(ValueError, match="HARDSHIP_ENCRYPTION_KEY"):
        Settings(environment="production")


def test_short_key_rejected() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Settings(environment="test", encryption_key=base64.b64encode(b"short").decode())
