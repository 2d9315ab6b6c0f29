"""Read Chinese government work reports into an RDF knowledge graph of policy terms."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
