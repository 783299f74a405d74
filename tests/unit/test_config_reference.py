"""docs/config.md is generated from the config schema and fails here when it drifts."""

from __future__ import annotations

import yaml

from catalystlab.config import load_config
from catalystlab.report.config_reference import DOC, MEANINGS, main, render, schema_keys

FLAGSHIP = DOC.parents[1] / "config" / "amazon_ai_call.yaml"


def test_docs_config_md_is_what_the_schema_generates():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/config.md drifted from catalystlab/config.py: run "
        "python -m catalystlab.report.config_reference"
    )


def test_every_key_has_a_meaning_and_every_meaning_a_key():
    keys = [path for path, _ in schema_keys()]
    assert len(keys) == len(set(keys))
    assert sorted(set(keys) - set(MEANINGS)) == [], "add their meaning to MEANINGS"
    assert sorted(set(MEANINGS) - set(keys)) == [], "these keys left the schema"


def test_the_reference_names_every_key_of_the_flagship_config():
    flagship = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))
    load_config(FLAGSHIP)  # the reference documents a config that loads
    keys = {path for path, _ in schema_keys()}

    def walk(mapping: dict, prefix: str = "") -> None:
        for key, value in mapping.items():
            path = f"{prefix}{key}"
            assert path in keys, f"{path} is in the flagship but not in the reference"
            if isinstance(value, dict) and path not in ("strategies",):
                walk(value, f"{path}.")

    walk({k: v for k, v in flagship.items() if k != "strategies"})
    for strategy in flagship["strategies"]:
        assert {"id", "kind"} <= set(strategy)


def test_check_mode_reports_drift(tmp_path, capsys):
    stale = tmp_path / "config.md"
    stale.write_text("# old\n")
    assert main(["--check", "--out", str(stale)]) == 1
    assert "differs from the schema" in capsys.readouterr().err
    assert main(["--out", str(stale)]) == 0
    assert main(["--check", "--out", str(stale)]) == 0
