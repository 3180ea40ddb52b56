"""Benches (bench/run) and the synthetic data they build (benchdata, for bench_generate)."""
