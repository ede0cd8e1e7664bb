"""API bodies of eligibility assessments.

The request body is a household file as it is, so it has no model here: the
rules package validates it and names each invalid field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eligibility import AssessmentResult


class AssessmentOutcome(AssessmentResult):
    """An assessment result with its explanations also as plain Chinese lines.

    The command line prints this for `--json`, one object per file.
    """

    explanation_lines: list[str]


class AssessmentRead(AssessmentOutcome):
    """A stored assessment: its id and time, then the whole result."""

    id: str
    created_at: datetime


def outcome_body(result: dict[str, Any]) -> dict[str, Any]:
    """Add the explanation lines to a result dumped in JSON mode."""
    lines = [item["text"] for item in result["explanations"]]
    return {**result, "explanation_lines": lines}


def read_body(
    assessment_id: str, created_at: datetime, result: dict[str, Any]
) -> dict[str, Any]:
    """Return the JSON body of AssessmentRead for a stored result."""
    return {
        "id": assessment_id,
        "created_at": created_at.isoformat(),
        **outcome_body(result),
    }
