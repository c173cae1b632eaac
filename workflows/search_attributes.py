"""Custom search attributes, so HR and auditors find cycles and cases by state in the
Temporal UI, `temporal workflow list --query ...` and the API."""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

CYCLE_ID = SearchAttributeKey.for_keyword("MutasiCycleId")
CYCLE_STATUS = SearchAttributeKey.for_keyword("MutasiCycleStatus")
STAGE = SearchAttributeKey.for_keyword("MutasiStage")
AGENCY = SearchAttributeKey.for_keyword("MutasiAgency")
ASSIGNEES = SearchAttributeKey.for_keyword_list("MutasiAssignees")

DEV_SERVER_SEARCH_ATTRIBUTES = {
    CYCLE_ID.name: "Keyword", CYCLE_STATUS.name: "Keyword", STAGE.name: "Keyword", AGENCY.name: "Keyword",
    ASSIGNEES.name: "KeywordList",
}
