"""Every workflow the worker registers."""

from workflows.case import CaseWorkflow

WORKFLOWS = (CaseWorkflow,)
