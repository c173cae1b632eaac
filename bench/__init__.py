"""Benchmarks: `make bench` runs them all and writes bench/out/results.json."""
