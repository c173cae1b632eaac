"""Deterministic demo data of a realistic kabupaten (see `generate`)."""

from mutasi.demo.generator import DemoOptions, generate

__all__ = ["DemoOptions", "generate"]
