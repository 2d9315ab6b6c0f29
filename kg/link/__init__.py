"""Linking terms across reports: mentions, inline slogans, cross-references and lineage.

The modules run in this order: :mod:`kg.link.slogans` finds the slogans reports
use without defining; :mod:`kg.link.mentions` finds every use of every term,
with the forms and homonym rules of :mod:`kg.link.matching` and the candidate
spans of :mod:`kg.link.segmenter` (the build) or :mod:`kg.link.finders` (ad-hoc
text); :mod:`kg.link.references` joins terms to terms and reports, comparing
definitions with :mod:`kg.link.similarity`;
:mod:`kg.link.revisions` records how each definition changed; :mod:`kg.link.rdf`
gives every term its id and adds it all to the RDF graph (the service reads a
term's timeline back out in :mod:`kg.readmodel.lineage`).
"""

from __future__ import annotations

__all__: list[str] = []
