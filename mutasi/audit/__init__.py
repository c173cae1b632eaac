"""The hash-chained audit trail, its anchors outside the database, its cross-check with Temporal, and the archive of Temporal histories."""
