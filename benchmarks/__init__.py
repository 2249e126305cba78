"""Benchmarks (not tests): `python -m benchmarks.run` prints the performance table."""
