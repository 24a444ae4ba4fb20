"""Encryption at rest of the fields the schema marks `encrypted` (AES-256-GCM).

A stored value reads `v1:<key id>:<base64 of nonce, ciphertext and tag>`; the database
column is TEXT and never sees the plaintext. ENCRYPTION_KEYS lists `<key id>:<base64 of
32 bytes>` entries, newest first: new values use the first key, reads use any of them.
`python -m app.reencrypt` rewrites every value under the newest key (rotation).
"""

import base64
import binascii
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator

from app.config import settings

FORMAT = "v1"
NONCE_BYTES = 12


class Keyring:
    """The encryption keys by id; the first one encrypts."""

    def __init__(self, entries: list[str]) -> None:
        self.keys: dict[str, AESGCM] = {}
        for entry in entries:
            key_id, _, encoded = entry.partition(":")
            try:
                key = base64.b64decode(encoded, validate=True)
            except binascii.Error:
                key = b""
            if not key_id or len(key) != 32:
                raise ValueError(
                    f"ENCRYPTION_KEYS: {key_id!r} is not `<key id>:<base64 of 32 bytes>`"
                )
            self.keys[key_id] = AESGCM(key)
        if not self.keys:
            raise ValueError("ENCRYPTION_KEYS is empty: encrypted fields need a key")
        self.current = next(iter(self.keys))

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.keys[self.current].encrypt(nonce, plaintext.encode(), None)
        encoded = base64.b64encode(nonce + sealed).decode()
        return f"{FORMAT}:{self.current}:{encoded}"

    def decrypt(self, stored: str) -> str:
        version, key_id, encoded = stored.split(":", 2)
        if version != FORMAT or key_id not in self.keys:
            raise ValueError(f"no key {key_id!r} in ENCRYPTION_KEYS for a stored value")
        raw = base64.b64decode(encoded)
        cipher = self.keys[key_id]
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()


keyring = Keyring(settings.encryption_keys)


class EncryptedText(TypeDecorator[str]):
    """Text the application reads and writes in the clear, stored encrypted (TEXT)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any | None, dialect: Dialect) -> str | None:
        return None if value is None else keyring.encrypt(str(value))

    def process_result_value(self, value: Any | None, dialect: Dialect) -> str | None:
        return None if value is None else keyring.decrypt(str(value))
