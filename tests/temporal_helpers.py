"""A workflow look-up that works on the time-skipping test server.

`WorkflowHandle.describe()` fails there once a workflow has a Datetime
search attribute, because the server (temporal-test-server 1.40) returns
the value in a form the SDK cannot decode, so this reads the raw response.
"""

from __future__ import annotations

from temporalio.api.common.v1 import WorkflowExecution
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
