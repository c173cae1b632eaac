"""The contracts between workflows, activities and the API: every type that crosses one of
those boundaries, the enums of stages and statuses, and the builders of ids.

Standard library and pydantic only, so a workflow (inside Temporal's sandbox), an activity
and a route can all import it, and it imports none of them.
"""
