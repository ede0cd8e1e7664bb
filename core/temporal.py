"""Temporal client construction and the search attributes the service uses."""

from __future__ import annotations

import dataclasses

from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter

from core.codec import EncryptionCodec
from core.settings import Settings

# Search attributes carry no personal data: step, union id, due instant, flags.
CASE_STEP = SearchAttributeKey.for_keyword("CaseStep")
CASE_UNION = SearchAttributeKey.for_keyword("CaseUnionId")
CASE_DUE_AT = SearchAttributeKey.for_datetime("CaseDueAt")
CASE_FLAGS = SearchAttributeKey.for_keyword_list("CaseFlags")
SEARCH_ATTRIBUTES = (CASE_STEP, CASE_UNION, CASE_DUE_AT, CASE_FLAGS)


def data_converter(settings: Settings) -> DataConverter:
    codec = EncryptionCodec(settings.encryption_key_id, settings.decryption_keys())
    return dataclasses.replace(pydantic_data_converter, payload_codec=codec)


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings),
    )
