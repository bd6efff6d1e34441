"""What extraction depends on besides briefgen's own rules, as short digests the store keeps with the facts.

A document's facts are reused only while all of these are what they were when it was extracted:
what extraction reads of the document, the spaCy model, and the project's gazetteer.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from briefgen.config import Gazetteer
from briefgen.extract.model import MODEL, model_pin
from briefgen.facts import Document

# Read when a brief is assembled, never by extraction: editing them needs no new extraction.
_ASSEMBLY_ONLY = {"actors": {"__all__": {"stance"}}}


def content_digest(document: Document) -> str:
    """A digest of what extraction reads of a document: its text and the front matter it uses."""
    return _digest([document.text, document.published, document.outlet])


def model_identity(package: str = MODEL) -> str:
    """The model extraction parses with: name, version and the recorded digest of its wheel."""
    pin = model_pin(package)
    return f"{pin.package}=={pin.version} sha256:{pin.wheel_sha256[:16]}"


def gazetteer_digest(gazetteer: Gazetteer) -> str:
    """A digest of the validated gazetteer: whitespace, comments, key order and quoting do not change it."""
    return _digest(gazetteer.model_dump(mode="json", exclude=_ASSEMBLY_ONLY))


def _digest(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
