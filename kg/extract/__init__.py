"""Extraction steps: glossary entries, report metadata, the parts enumerated slogans promise."""
