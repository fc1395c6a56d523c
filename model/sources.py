"""Checking quoted sources against the shared documents."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from model.scenario import SEED_DOCUMENTS, DocumentSource, Scenario


def normalise(text: str) -> str:
    """NFKC (full-width punctuation to ASCII), no whitespace: quotes survive line breaks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def document_path(shared: Path, document: str) -> Path:
    return shared / "seeds" / document if document in SEED_DOCUMENTS else shared / document


def unmatched_quotes(scenario: Scenario, shared: Path) -> list[str]:
    """Every document quote of `scenario` that does not appear in its document."""
    cache: dict[str, str] = {}
    bad = []
    for name, series in scenario.params.items():
        for v in series:
            src = v.source
            if isinstance(src, DocumentSource):
                if src.document not in cache:
                    cache[src.document] = normalise(
                        document_path(shared, src.document).read_text(encoding="utf-8")
                    )
                if normalise(src.quote) not in cache[src.document]:
                    bad.append(f"{name} {v.year}: {src.quote!r} not found in {src.document}")
    return bad
