"""Benchmark tooling, kept out of the installed package: project copies (`workspace`), the measuring
subprocess (`runner`), the NLP-stage benchmark and its table (`bench`, `table`), the engines compared
(`engines`), and the seeded corpus generator (`corpus`, `make_corpus`). Run from the repo root, e.g.
`python -m benchmarks.bench --quick`; the pytest-benchmark suite is in `tests/benchmarks/` (`make bench`)."""
