"""Pure, I/O-free planning engine: workload analysis (ABK), competency mapping (JPM),
talent 9-box, eligibility rules and the transfer optimiser. Unit-tested on its own."""
