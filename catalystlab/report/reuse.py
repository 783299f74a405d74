"""Unchanged re-runs: a run whose inputs all match an earlier results folder reuses it.

What a run depends on is addressed by content:

- the **run key**, sha256 of the resolved config (``config.yaml`` as written, overrides such
  as ``--start`` and ``--seed`` included), the claims file's bytes, the code (every ``.py``
  file of ``catalystlab/``, ``signals/`` and ``strategies/``), the Python and package
  versions, and the data options (data folder, offline, cache folder);
- the **input files**: every file the run read (price CSVs, the fundamentals and events
  files), each with its sha256, as ``manifest.json`` records them.

``manifest.json`` keeps the run key under ``reuse.key``; the folder keeps the computed outcome
in ``outcome/`` as data only (``outcome.json`` and parquet tables:
:mod:`catalystlab.report.outcome_files`; nothing in it runs code when read), and
``reuse.folder`` records the sha256 of every file of the folder but the manifest itself.
``reuse.seal`` is an HMAC-SHA256 of that record under a secret of this machine
(``reuse-secret`` in the cache folder, made on first use): whoever can copy or edit a folder
can also rewrite its sha256s, but not seal them. A later run with the same key reuses the
newest such folder in its ``--out`` whose seal matches, whose input files all still hash as
recorded and whose own files are exactly those recorded, each with its recorded sha256: it
computes and writes nothing, reports that folder and its numbers, and says so. A folder
copied from another machine or whose manifest was edited, with a missing, extra or changed
file, or an outcome that cannot be read, is not reused: the run recomputes and says why. Any
changed byte of an input, key of the config, line of code or package version means a new run;
so do ``--refresh`` and ``--force``, and runs whose prices do not all come from CSV files (a
live or cached download may have changed without a file to hash).

An unchanged re-run is meant to be quick: finding the folder, checking its files, reading its
outcome and printing its summary import pandas and pyarrow but none of backtrader, scipy, arch,
statsmodels, matplotlib or quantstats (``catalystlab.api`` imports the pipeline and the writers
only when it computes; the modules whose classes the outcome holds import those packages where
they use them). ``tests/unit/test_rerun_reuse.py`` checks the command line's re-run for it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import platform
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalystlab.config import RunConfig, config_as_yaml
from catalystlab.core.hashing import file_sha256
from catalystlab.inputs.options import DataOptions
from catalystlab.inputs.prices.cache import default_cache_dir
from catalystlab.pipeline.outcome import RunOutcome
from catalystlab.report import outcome_files
from catalystlab.report.summary import PACKAGES, _version

OUTCOME_DIR = "outcome"
MANIFEST = "manifest.json"
_CODE_FOLDERS = ("catalystlab", "signals", "strategies")
_ROOT = Path(__file__).resolve().parents[2]
SECRET_FILE = "reuse-secret"
_SECRET_BYTES = 32


def run_key(config: RunConfig, data: DataOptions) -> str:
    """sha256 of everything but the input files that a run's numbers depend on."""
    digest = hashlib.sha256()
    for part in (
        config_as_yaml(config),
        _claims_digest(config),
        code_digest(),
        json.dumps({name: _version(name) for name in PACKAGES}, sort_keys=True),
        platform.python_version(),
        json.dumps(_data_options(data), sort_keys=True),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def code_digest() -> str:
    """sha256 over the path and bytes of every ``.py`` file of the code that computes a run."""
    digest = hashlib.sha256()
    for folder in _CODE_FOLDERS:
        for path in sorted((_ROOT / folder).rglob("*.py")):
            digest.update(str(path.relative_to(_ROOT)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def reuse_record(key: str, manifest_inputs: dict[str, Any]) -> dict[str, Any] | None:
    """What ``manifest.json`` records under ``reuse``: the key, the input files with their
    sha256 and the code's digest (to tell why a later run did not match); None when an input
    is not a file that can be hashed again."""
    files = input_files(manifest_inputs)
    return None if files is None else {"key": key, "code": code_digest(), "files": files}


def input_files(manifest_inputs: dict[str, Any]) -> dict[str, str] | None:
    """Every input file of a manifest's ``inputs`` -> its sha256, or None when a price input
    is not a CSV file (a download or the cache)."""
    files: dict[str, str] = {}
    for entry in manifest_inputs.values():
        if entry.get("kind") == "prices":
            source = str(entry.get("source", ""))
            if not source.startswith("csv:"):
                return None
            files[str(Path(source.removeprefix("csv:")).resolve())] = entry["sha256"]
        files.update({str(Path(p).resolve()): h for p, h in (entry.get("files") or {}).items()})
    return files


def find_reusable(
    out_dir: Path, key: str, *, on_note: Callable[[str], None] | None = None
) -> tuple[Path, RunOutcome] | None:
    """The newest results folder in ``out_dir`` whose run key is ``key``, whose input files
    all still hash as recorded and whose own files are exactly those its manifest records,
    with its outcome; None if there is none. A folder of the same key that fails the check
    of its own files, or whose outcome cannot be read, is passed over with a note."""
    if not out_dir.is_dir():
        return None
    for folder in sorted(out_dir.iterdir(), reverse=True):
        if folder.name.startswith(".") or not (folder / MANIFEST).is_file():
            continue
        try:
            record = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["reuse"]
            if record.get("key") != key:
                continue
            inputs, own = record.get("files"), record.get("folder")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        problem = _seal_problem(record)
        if problem is None and isinstance(inputs, dict) and inputs and not _unchanged(inputs):
            continue  # an input changed since: another run's folder
        if problem is None:
            problem = (
                "its manifest records none of its input files"
                if not isinstance(inputs, dict) or not inputs
                else _folder_problem(folder, own)
            )
        if problem is None:
            try:
                kept = {
                    name.removeprefix(f"{OUTCOME_DIR}/"): digest
                    for name, digest in own.items()
                    if name.startswith(f"{OUTCOME_DIR}/")
                }
                return folder, outcome_files.load(folder / OUTCOME_DIR, kept)
            except outcome_files.UnreadableOutcome as error:
                problem = f"its outcome cannot be read ({error})"
        if on_note is not None:
            on_note(
                f"{folder} has this run's config and inputs but is not reused: {problem}. "
                "Recomputing."
            )
    return None


def save_outcome(outcome: RunOutcome, folder: Path) -> None:
    """Keep ``outcome`` in ``folder/outcome/`` (data only) for an unchanged re-run."""
    outcome_files.save(outcome, folder / OUTCOME_DIR)


def folder_record(folder: Path) -> dict[str, str]:
    """Every file of ``folder`` (sub-folders included) but its manifest -> its sha256, by
    path relative to the folder (``/`` separated)."""
    return {name: file_sha256(folder / name) for name in sorted(_file_names(folder))}


def _file_names(folder: Path) -> set[str]:
    """The paths of every file of ``folder`` but its manifest, relative, ``/`` separated."""
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path != folder / MANIFEST
    }


def seal(record: dict[str, Any]) -> str | None:
    """HMAC-SHA256, under this machine's secret, of a manifest's ``reuse`` record (its own
    ``seal`` left out); None when the secret can be neither read nor made."""
    try:
        secret = _secret()
    except OSError:
        return None
    body = json.dumps({k: v for k, v in record.items() if k != "seal"}, sort_keys=True)
    return hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()


def _seal_problem(record: dict[str, Any]) -> str | None:
    """Why ``record`` was not sealed on this machine, or None when its seal matches."""
    expected = seal(record)
    if expected is None:
        where = default_cache_dir() / SECRET_FILE
        return f"this machine's secret that seals results folders ({where}) cannot be read"
    if "seal" not in record:
        return "its manifest carries no seal (written before folders were sealed)"
    if not hmac.compare_digest(str(record["seal"]), expected):
        return (
            "its manifest was not sealed on this machine (a copied folder, or an edited manifest)"
        )
    return None


def _secret() -> bytes:
    """This machine's secret (made, readable by its owner only, on first use)."""
    path = default_cache_dir() / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        staged = path.with_name(f".{SECRET_FILE}.{os.getpid()}")
        descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(_SECRET_BYTES))
        try:
            os.link(staged, path)  # never replaces a secret another run made meanwhile
        except FileExistsError:
            pass
        finally:
            staged.unlink()
    secret = path.read_bytes()
    if len(secret) != _SECRET_BYTES:
        raise OSError(f"{path} holds {len(secret)} bytes, not {_SECRET_BYTES}")
    return secret


def _folder_problem(folder: Path, recorded: object) -> str | None:
    """Why ``folder``'s files differ from the ``recorded`` digests, or None when they match."""
    if not isinstance(recorded, dict) or f"{OUTCOME_DIR}/{outcome_files.STRUCTURE_FILE}" not in (
        recorded
    ):
        return "its manifest records none of its files"
    try:
        names = _file_names(folder)
        differences = {
            "missing": sorted(set(recorded) - names),
            "extra": sorted(names - set(recorded)),
            "changed": [],
        }
        if not differences["missing"] and not differences["extra"]:  # only then read them all
            actual = folder_record(folder)
            differences["changed"] = sorted(p for p in actual if actual[p] != recorded[p])
    except OSError as error:
        return f"its files cannot be read ({error.strerror or error})"
    shown = [
        f"{kind}: {', '.join(paths[:3])}"
        + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        for kind, paths in differences.items()
        if paths
    ]
    return f"its files differ from its manifest ({'; '.join(shown)})" if shown else None


def _unchanged(files: dict[str, str]) -> bool:
    for path, sha256 in files.items():
        try:
            if file_sha256(path) != sha256:
                return False
        except OSError:
            return False
    return True


def _claims_digest(config: RunConfig) -> str:
    if config.claims is None:
        return ""
    try:
        return file_sha256(config.claims)
    except OSError:
        return f"missing:{config.claims}"


def _data_options(data: DataOptions) -> dict[str, Any]:
    return {
        "data_dir": str(data.data_dir.resolve()) if data.data_dir is not None else None,
        "offline": data.offline,
        "cache_dir": str(data.cache_dir.resolve()) if data.cache_dir is not None else None,
    }
