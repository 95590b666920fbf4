"""Benchmarks, each against a named baseline run side by side (``make bench``)."""
