"""Custom search attributes, so HR can list cycles by state in the Temporal UI and API."""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

CYCLE_ID = SearchAttributeKey.for_keyword("MutasiCycleId")
CYCLE_STATUS = SearchAttributeKey.for_keyword("MutasiCycleStatus")

DEV_SERVER_SEARCH_ATTRIBUTES = {CYCLE_ID.name: "Keyword", CYCLE_STATUS.name: "Keyword"}
