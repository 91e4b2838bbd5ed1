"""Every role's meta/argument_specs.yml and defaults/main.yml say the same thing: each default is a documented
option with the same value, and each option that is not required has a default. A pin moved in one file only
fails here. A role with several entry points (the internal _container) documents each variable in one of them at
least, with the same default everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROLES = sorted(path.parent.parent for path in (Path(__file__).resolve().parents[2] / "roles").glob("*/meta/argument_specs.yml"))


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text()) or {} if path.is_file() else {}


@pytest.mark.parametrize("role", ROLES, ids=[role.name for role in ROLES])
def test_defaults_and_argument_specs_agree(role: Path):
    options = {}
    for entry_point in load(role / "meta" / "argument_specs.yml")["argument_specs"].values():
        for name, spec in (entry_point.get("options") or {}).items():
            assert options.setdefault(name, spec) == spec, f"{name} is described differently in two entry points"
    defaults = load(role / "defaults" / "main.yml")

    assert sorted(set(defaults) - set(options)) == [], "defaults without an argument spec"
    missing = [name for name, spec in options.items() if not spec.get("required") and name not in defaults]
    assert missing == [], "options that are neither required nor given a default"
    for name, value in defaults.items():
        spec = options[name]
        # A templated default (derived from other variables or facts) is described in words, not repeated.
        if isinstance(value, str) and "{{" in value:
            assert "default" not in spec, f"{name}: a templated default cannot be repeated in the spec"
            continue
        assert spec.get("default") == value, f"{name}: defaults/main.yml says {value!r}, the spec {spec.get('default')!r}"
