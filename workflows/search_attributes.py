"""Typed keys of the search attributes named in contracts.search_attributes."""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

from contracts import search_attributes as names

CYCLE_ID = SearchAttributeKey.for_keyword(names.CYCLE_ID)
CYCLE_STATUS = SearchAttributeKey.for_keyword(names.CYCLE_STATUS)
STAGE = SearchAttributeKey.for_keyword(names.STAGE)
AGENCY = SearchAttributeKey.for_keyword(names.AGENCY)
ASSIGNEES = SearchAttributeKey.for_keyword_list(names.ASSIGNEES)
