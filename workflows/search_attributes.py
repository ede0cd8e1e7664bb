"""Search attributes of case workflows: step, union, due instant and flags only.

They are stored in clear by Temporal, so they never carry personal data.
"""

from temporalio.common import SearchAttributeKey

CASE_STEP = SearchAttributeKey.for_keyword("CaseStep")
CASE_UNION = SearchAttributeKey.for_keyword("CaseUnionId")
CASE_DUE_AT = SearchAttributeKey.for_datetime("CaseDueAt")
CASE_FLAGS = SearchAttributeKey.for_keyword_list("CaseFlags")
SEARCH_ATTRIBUTES = (CASE_STEP, CASE_UNION, CASE_DUE_AT, CASE_FLAGS)
