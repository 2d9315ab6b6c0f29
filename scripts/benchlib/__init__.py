"""What ``scripts/make_corpus.py`` and ``scripts/bench.py`` are made of: generation, measurement,
the report."""
