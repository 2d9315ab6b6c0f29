"""Extraction steps: glossary entries, report metadata, enumerated slogans, mentions."""
