"""The custom search attributes Mutasi's workflows publish (name -> Temporal type), so HR and
auditors find cycles and cases by state in the Temporal UI, `temporal workflow list --query`
and the API. The server must know them: the dev server is started with them, a cluster gets
them registered by the worker."""

from __future__ import annotations

CYCLE_ID = "MutasiCycleId"
CYCLE_STATUS = "MutasiCycleStatus"
STAGE = "MutasiStage"
AGENCY = "MutasiAgency"
ASSIGNEES = "MutasiAssignees"

SEARCH_ATTRIBUTES = {
    CYCLE_ID: "Keyword",
    CYCLE_STATUS: "Keyword",
    STAGE: "Keyword",
    AGENCY: "Keyword",
    ASSIGNEES: "KeywordList",
}
