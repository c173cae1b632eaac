"""The organisation as planning and approvals see it: the org directory, moves under way, HR's plan changes, the planning input, embargo windows."""
