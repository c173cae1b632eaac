"""E-mail: the notification outbox and the one way Mutasi sends a message."""
