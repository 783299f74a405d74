"""Content digests for the manifest and the re-run cache: the same content, the same digest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd


def frame_sha256(frame: pd.DataFrame) -> str:
    """sha256 of a frame's canonical CSV text: the same numbers give the same digest."""
    return hashlib.sha256(frame.to_csv(float_format="%.10g").encode()).hexdigest()


def file_sha256(path: str | Path) -> str:
    """sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
