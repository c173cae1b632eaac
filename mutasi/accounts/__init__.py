"""User accounts, passwords, tokens and sign-in throttling."""
