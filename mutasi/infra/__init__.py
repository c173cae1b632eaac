"""Infrastructure: settings, database, Temporal connection, logs, metrics, traces, the document store, backup and the `make run` supervisor."""
