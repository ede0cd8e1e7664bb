"""Temporal calls made on behalf of the API, with errors mapped to HTTP statuses."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.errors import Conflict, Forbidden, NotFound, ServiceError, Unprocessable
from core.logging import get_logger
from workflows.case import FORBIDDEN, INVALID, STEP_CONFLICT, CaseWorkflow
from workflows.case_models import ActionResult, CaseInput, CaseState, workflow_id_for

log = get_logger(__name__)

_ERROR_CLASSES: dict[str, type[ServiceError]] = {
    STEP_CONFLICT: Conflict,
    FORBIDDEN: Forbidden,
    INVALID: Unprocessable,
}


async def start_case_workflow(client: Client, task_queue: str, input: CaseInput) -> str:
    """Start the case's workflow, or find the one a repeated request started."""
    workflow_id = workflow_id_for(input.case_id)
    await client.start_workflow(
        CaseWorkflow.run,
        input,
        id=workflow_id,
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    log.info("case_workflow_started", case_id=input.case_id, workflow_id=workflow_id)
    return workflow_id


async def run_update(
    client: Client, case_id: str, update: str, action: BaseModel
) -> ActionResult:
    """Apply a human action to the case; a rejected one raises with the reason."""
    handle = client.get_workflow_handle(workflow_id_for(case_id))
    try:
        return await handle.execute_update(update, action, result_type=ActionResult)
    except WorkflowUpdateFailedError as exc:
        raise _mapped(exc.cause) from exc
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise NotFound(
                f"case {case_id} has no running workflow",
                message_zh="该案件的流程不存在或已结束",
            ) from exc
        raise


async def query_state(client: Client, case_id: str) -> CaseState | None:
    handle = client.get_workflow_handle(workflow_id_for(case_id))
    try:
        return await handle.query(CaseWorkflow.state)
    except RPCError as exc:
        log.warning("case_query_failed", case_id=case_id, error=str(exc))
        return None


def _mapped(cause: BaseException) -> ServiceError:
    if isinstance(cause, ApplicationError):
        details: Any = cause.details[0] if cause.details else {}
        message_zh = details.get("message_zh") if isinstance(details, dict) else None
        error_class = _ERROR_CLASSES.get(cause.type or "", Conflict)
        return error_class(cause.message, message_zh=message_zh)
    return Conflict(str(cause))
