"""Reports of a cycle and its cases, and their export."""
