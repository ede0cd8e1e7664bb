"""Service settings, read from the environment with the HARDSHIP_ prefix."""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "simulated", "test", "production"]

# A fixed key so that a fresh clone runs without setup. It is public, so it is
# accepted only where no real household data is kept.
DEVELOPMENT_ENCRYPTION_KEY = base64.b64encode(
    b"development-only-key-not-secret!"
).decode()
PLACEHOLDER_ENVIRONMENTS = frozenset({"development", "simulated", "test"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HARDSHIP_", env_file=".env", extra="ignore"
    )

    environment: Environment = "development"
    database_url: str = "postgresql+psycopg2://postgres@127.0.0.1:5432/hardship"
    # Simulated mode empties this database at every start.
    simulated_database_url: str = (
        "postgresql+psycopg2://postgres@127.0.0.1:5432/hardship_sim"
    )
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_ui_port: int = 8233
    task_queue: str = "hardship-cases"
    data_dir: Path = Path("var")
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Base64 of a 32-byte AES-256 key, and the id written into every payload.
    encryption_key: SecretStr = SecretStr(DEVELOPMENT_ENCRYPTION_KEY)
    encryption_key_id: str = "dev-1"
    # Older keys still able to decrypt, as "id=base64key,id2=base64key".
    encryption_previous_keys: SecretStr = SecretStr("")

    @field_validator("encryption_key")
    @classmethod
    def _check_key_length(cls, value: SecretStr) -> SecretStr:
        decode_key(value.get_secret_value(), "HARDSHIP_ENCRYPTION_KEY")
        return value

    @model_validator(mode="after")
    def _reject_placeholder_secrets(self) -> Settings:
        placeholder = (
            self.encryption_key.get_secret_value() == DEVELOPMENT_ENCRYPTION_KEY
        )
        if placeholder and self.environment not in PLACEHOLDER_ENVIRONMENTS:
            raise ValueError(
                "HARDSHIP_ENCRYPTION_KEY is the public development key; set a "
                "random 32-byte key, base64-encoded, before running in "
                f"{self.environment} (python -c 'import os,base64;"
                "print(base64.b64encode(os.urandom(32)).decode())')"
            )
        return self

    @property
    def simulated(self) -> bool:
        return self.environment == "simulated"

    @property
    def admin_endpoints_enabled(self) -> bool:
        # Until access control exists, administrator endpoints (clock,
        # calendar, standards) respond only where no real data is kept.
        return self.environment in PLACEHOLDER_ENVIRONMENTS

    @property
    def effective_database_url(self) -> str:
        return self.simulated_database_url if self.simulated else self.database_url

    def decryption_keys(self) -> dict[str, bytes]:
        keys = {
            self.encryption_key_id: decode_key(
                self.encryption_key.get_secret_value(), "HARDSHIP_ENCRYPTION_KEY"
            )
        }
        raw = self.encryption_previous_keys.get_secret_value().strip()
        for item in filter(None, (part.strip() for part in raw.split(","))):
            key_id, sep, encoded = item.partition("=")
            if not sep or not key_id:
                raise ValueError(
                    "HARDSHIP_ENCRYPTION_PREVIOUS_KEYS must read id=base64key, "
                    f"separated by commas; got an entry without '=': {key_id!r}"
                )
            keys[key_id] = decode_key(encoded, f"previous key {key_id}")
        return keys


def decode_key(encoded: str, name: str) -> bytes:
    try:
        key = base64.b64decode(encoded, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"{name} is not valid base64: {exc}") from exc
    if len(key) != 32:
        raise ValueError(f"{name} must decode to 32 bytes, got {len(key)}")
    return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
