"""One owner per shared name. A role that needs a name another role owns (the private network, Ollama's name on it,
a container or volume) reads the owner's variable with a fallback for when the owner does not run; the fallback
must equal the owner's default, or the roles disagree whenever a user runs one without the other."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROLES = Path(__file__).resolve().parents[2] / "roles"
# Facts a role sets for the roles after it (not variables with a default), and names kept only for deprecation.
SET_BY_ROLES = {"reverse_proxy_url", "nvidia_container_toolkit_state"}
DEPRECATED = {"ollama_expose_api"}
READ_WITH_FALLBACK = re.compile(r"\b([a-z][a-z0-9_]*) \| default\(('[^']*'|\"[^\"]*\"|[0-9]+|true|false)\)")


def defaults_of(role: Path) -> dict:
    path = role / "defaults" / "main.yml"
    return (yaml.safe_load(path.read_text()) or {}) if path.is_file() else {}


DEFAULTS = {role.name: defaults_of(role) for role in sorted(ROLES.iterdir()) if role.is_dir()}
OWNER = {name: role for role, defaults in DEFAULTS.items() for name in defaults}


def readings():
    """(reading role, its variable, the owner's variable, the fallback) for each read of another role's variable."""
    for role, defaults in DEFAULTS.items():
        for variable, value in defaults.items():
            for text in [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] if isinstance(value, list) else []:
                for name, fallback in READ_WITH_FALLBACK.findall(text):
                    if not name.startswith(role + "_"):
                        yield role, variable, name, yaml.safe_load(fallback)


def test_every_fallback_equals_the_owners_default():
    found = list(readings())
    assert len(found) >= 10, found
    for role, variable, name, fallback in found:
        if name in SET_BY_ROLES or name in DEPRECATED:
            continue
        assert name in OWNER, f"{role}'s {variable} reads {name}, which no role's defaults define"
        assert DEFAULTS[OWNER[name]][name] == fallback, (
            f"{role}'s {variable} falls back to {fallback!r} for {name}, whose owner {OWNER[name]} defaults to "
            f"{DEFAULTS[OWNER[name]][name]!r}"
        )


def test_the_private_network_and_ollamas_name_have_one_owner():
    for role, variable in (("open_webui", "open_webui_network"), ("reverse_proxy", "reverse_proxy_network"), ("backup", "backup_network")):
        assert "ollama_network | default(" in DEFAULTS[role][variable], variable
    assert "ollama_network_alias | default(" in DEFAULTS["open_webui"]["open_webui_ollama_base_urls"]
    assert "ollama_network_alias | default(" in DEFAULTS["reverse_proxy"]["reverse_proxy_ollama_upstream"]
    assert "ollama_expose_api" not in DEFAULTS["ollama"]
