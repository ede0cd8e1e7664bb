"""Temporal client construction and the search attributes the service uses."""

from __future__ import annotations

import dataclasses

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter
from temporalio.service import RPCError, RPCStatusCode

from core.codec import EncryptionCodec
from core.settings import Settings
from workflows.search_attributes import (  # noqa: F401 - re-exported
    CASE_DUE_AT,
    CASE_FLAGS,
    CASE_STEP,
    CASE_UNION,
    SEARCH_ATTRIBUTES,
)


def data_converter(settings: Settings) -> DataConverter:
    codec = EncryptionCodec(settings.encryption_key_id, settings.decryption_keys())
    return dataclasses.replace(pydantic_data_converter, payload_codec=codec)


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings),
    )


async def ensure_search_attributes(client: Client, namespace: str) -> None:
    """Register the case search attributes that the server does not know yet.

    The dev server and the time-skipping test server both accept this call.
    The dev server ignores search attributes given as flags once its
    database file exists, so the service registers them itself.
    """
    try:
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=namespace)
        )
        known = set(listed.custom_attributes)
    except RPCError as exc:
        # The time-skipping test server (1.40) can add but not list them;
        # it starts empty, so every attribute is missing there.
        if exc.status != RPCStatusCode.UNIMPLEMENTED:
            raise
        known = set()
    missing = {
        key.name: IndexedValueType.ValueType(key.indexed_value_type)
        for key in SEARCH_ATTRIBUTES
        if key.name not in known
    }
    if not missing:
        return
    try:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=namespace, search_attributes=missing)
        )
    except RPCError as exc:
        # Another process registered them between the listing and now.
        if exc.status != RPCStatusCode.ALREADY_EXISTS:
            raise
