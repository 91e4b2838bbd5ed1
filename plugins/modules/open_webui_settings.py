#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: open_webui_settings
short_description: Open WebUI's admin settings through its API; only the settings given are compared and changed
version_added: 0.1.0
description:
  - Sets some of the settings of Open WebUI's admin panel and changes nothing when they already have these values.
    A setting changed in the UI since is put back and reported as a change.
  - Open WebUI keeps its settings in its database (with its default C(ENABLE_PERSISTENT_CONFIG=true)). Environment
    variables only seed a setting the database does not have yet, so this module is how a setting stays in code.
    With C(ENABLE_PERSISTENT_CONFIG=false) the environment wins at every start, and what this module sets lasts
    until the next restart.
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
extends_documentation_fragment:
  - selfhosted.genai._open_webui
  - selfhosted.genai._attributes.OPEN_WEBUI_RESOURCE
options:
  admin:
    description:
      - "Settings of the admin panel's General page, by the names the API gives them, for example C({ENABLE_SIGNUP:
        false, DEFAULT_USER_ROLE: pending, WEBUI_URL: https://chat.example.org, ENABLE_API_KEYS: true,
        JWT_EXPIRES_IN: 4w, SHOW_ADMIN_DETAILS: false})."
      - An unknown name is an error that lists the known ones.
    type: dict
    default: {}
  models:
    description:
      - "The default models (selected in a new chat), the models pinned in the sidebar, the order of the model list,
        and the metadata and parameters every model starts with, for example C({DEFAULT_MODELS: [gemma3:270m],
        DEFAULT_PINNED_MODELS: [research-assistant], MODEL_ORDER_LIST: [...], DEFAULT_MODEL_METADATA: {capabilities:
        {builtin_tools: false}}})."
      - V(DEFAULT_MODELS) and V(DEFAULT_PINNED_MODELS) may be lists; the API keeps them as comma-separated text.
      - Dictionaries are laid over the current ones key by key.
    type: dict
    default: {}
  config:
    description:
      - "Any other setting, by its key in Open WebUI's configuration export (Settings, Database, Export), for example
        C({task.follow_up.enable: false, rag.file.max_size: 100}). An unknown key is an error."
      - Values show in the diff and the result; keep secrets (API keys of connections) out of this option, or run
        the task with C(no_log).
    type: dict
    default: {}
seealso:
  - module: selfhosted.genai.open_webui_info
"""

EXAMPLES = r"""
- name: Sign-up closed, new accounts wait, API keys allowed, gemma3 selected in new chats
  selfhosted.genai.open_webui_settings:
    open_webui_url: http://127.0.0.1:8080
    admin_email: admin@example.org
    admin_password: "{{ vault_open_webui_admin_password }}"
    admin:
      ENABLE_SIGNUP: false
      DEFAULT_USER_ROLE: pending
      ENABLE_API_KEYS: true
    models:
      DEFAULT_MODELS: [gemma3:270m]
    config:
      task.follow_up.enable: false
"""

RETURN = r"""
settings:
  description: The settings given, after the run.
  returned: always
  type: dict
  sample: {"admin": {"ENABLE_SIGNUP": false}, "models": {"DEFAULT_MODELS": "gemma3:270m"}, "config": {"task.follow_up.enable": false}}
differences:
  description: The settings that differed, as C(section.NAME).
  returned: always
  type: list
  elements: str
  sample: [admin.ENABLE_SIGNUP]
diff:
  description: The settings given, before and after, as in C(--diff).
  returned: when changed and in diff mode
  type: dict
"""

from ansible_collections.selfhosted.genai.plugins.module_utils._json_merge import deep_merge
from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_client import (
    ADMIN_CONFIG_PATH,
    CONFIG_EXPORT_PATH,
    MODELS_CONFIG_PATH,
    OpenWebUIError,
)
from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_module import ResourceManager, run_module

# Open WebUI refuses these through an API key ("a human administrator session is required"), even unchanged, and
# applies them only when sent; they are left out of what a token sends.
MFA_FIELDS = ("ENABLE_MFA", "MFA_ALLOW_OAUTH_BYPASS", "MFA_ALLOW_TRUSTED_HEADER_BYPASS")
COMMA_SEPARATED = ("DEFAULT_MODELS", "DEFAULT_PINNED_MODELS")


def laid_over(current: dict, wanted: dict, section: str) -> dict:
    unknown = sorted(set(wanted) - set(current))
    if unknown:
        raise OpenWebUIError(
            f"Open WebUI has no {section} setting named {', '.join(unknown)}; the known ones are: {', '.join(sorted(current))}"
        )
    merged = dict(current)
    for key, value in wanted.items():
        merged[key] = deep_merge(current[key], value) if isinstance(value, dict) and isinstance(current[key], dict) else value
    return merged


def normalised_models(wanted: dict) -> dict:
    result = dict(wanted)
    for key in COMMA_SEPARATED:
        if isinstance(result.get(key), list):
            result[key] = ",".join(result[key])
    return result


def shown(values: dict) -> dict:
    return {section: settings for section, settings in values.items() if settings}


class SettingsManager(ResourceManager):
    RESULT_KEY = "settings"

    def run(self) -> dict:
        params = self.params
        wanted = {"admin": params["admin"], "models": normalised_models(params["models"]), "config": params["config"]}
        current = {
            "admin": self.client.call("GET", ADMIN_CONFIG_PATH) if wanted["admin"] else {},
            "models": self.client.call("GET", MODELS_CONFIG_PATH) if wanted["models"] else {},
            "config": self.client.call("GET", CONFIG_EXPORT_PATH) if wanted["config"] else {},
        }
        merged = {section: laid_over(current[section] or {}, wanted[section], section) for section in wanted}
        before = {section: {key: current[section][key] for key in given} for section, given in wanted.items()}
        after = {section: {key: merged[section][key] for key in given} for section, given in wanted.items()}
        differences = [f"{section}.{key}" for section, given in wanted.items() for key in given if before[section][key] != after[section][key]]
        changed_sections = {difference.split(".", 1)[0] for difference in differences}
        if not self.module.check_mode:
            if "admin" in changed_sections:
                body = merged["admin"]
                if params["token"]:
                    body = {key: value for key, value in body.items() if key not in MFA_FIELDS}
                self.client.call("POST", ADMIN_CONFIG_PATH, body)
            if "models" in changed_sections:
                self.client.call("POST", MODELS_CONFIG_PATH, merged["models"])
            if "config" in changed_sections:
                changes = {key: merged["config"][key] for key in wanted["config"] if before["config"][key] != after["config"][key]}
                self.client.call("POST", "/api/v1/configs/import", {"config": changes})
        result = self.finish(bool(differences), shown(before), shown(after), shown(after))
        result["differences"] = differences
        return result


def main() -> None:
    run_module(
        {"admin": {"type": "dict", "default": {}}, "models": {"type": "dict", "default": {}}, "config": {"type": "dict", "default": {}}},
        SettingsManager,
    )


if __name__ == "__main__":
    main()
