"""Workflow look-ups that work on the time-skipping test server.

`WorkflowHandle.describe()` fails there once a workflow has a Datetime
search attribute, because the server (temporal-test-server 1.40) returns
the value in a form the SDK cannot decode, so these read the raw response.
"""

from __future__ import annotations

from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import WorkflowExecutionStatus
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionRequest
from temporalio.client import Client


async def _describe(client: Client, workflow_id: str):  # type: ignore[no-untyped-def]
    return await client.workflow_service.describe_workflow_execution(
        DescribeWorkflowExecutionRequest(
            namespace=client.namespace,
            execution=WorkflowExecution(workflow_id=workflow_id),
        )
    )


async def current_run_id(client: Client, workflow_id: str) -> str:
    return (
        await _describe(client, workflow_id)
    ).workflow_execution_info.execution.run_id


async def terminate_if_running(client: Client, workflow_id: str) -> None:
    described = await _describe(client, workflow_id)
    status = described.workflow_execution_info.status
    if status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING:
        await client.get_workflow_handle(workflow_id).terminate("tests finished")
