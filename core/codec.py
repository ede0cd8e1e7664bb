"""AES-GCM payload codec: Temporal histories hold only ciphertext."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

ENCODING = b"binary/encrypted"
KEY_ID_FIELD = "encryption-key-id"
NONCE_BYTES = 12


class EncryptionCodec(PayloadCodec):
    """Encrypt with the current key; decrypt with whichever key id a payload names."""

    def __init__(self, current_key_id: str, keys: Mapping[str, bytes]) -> None:
        if current_key_id not in keys:
            raise ValueError(f"no key for the current key id {current_key_id!r}")
        self._current_key_id = current_key_id
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        cipher = self._ciphers[self._current_key_id]
        key_id = self._current_key_id.encode()
        encoded = []
        for payload in payloads:
            nonce = os.urandom(NONCE_BYTES)
            # The key id is bound as associated data, so a payload cannot be
            # relabelled to another key without failing authentication.
            sealed = cipher.encrypt(nonce, payload.SerializeToString(), key_id)
            encoded.append(
                Payload(
                    metadata={"encoding": ENCODING, KEY_ID_FIELD: key_id},
                    data=nonce + sealed,
                )
            )
        return encoded

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._decode_one(payload) for payload in payloads]

    def _decode_one(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        key_id = payload.metadata.get(KEY_ID_FIELD, b"").decode()
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise ValueError(
                f"payload was encrypted with key id {key_id!r}, which is not "
                "configured; add it to HARDSHIP_ENCRYPTION_PREVIOUS_KEYS"
            )
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        plain = Payload()
        plain.ParseFromString(cipher.decrypt(nonce, sealed, key_id.encode()))
        return plain


def known_key_ids(codec: EncryptionCodec) -> Iterable[str]:
    return codec._ciphers.keys()
