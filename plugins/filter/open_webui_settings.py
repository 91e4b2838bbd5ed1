# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: open_webui_settings
short_description: One table of Open WebUI settings, as environment variables and as configuration keys
version_added: 0.3.0
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
description:
  - Open WebUI reads a setting from its environment at the first start, then from its database (with persistent
    configuration on); a setting managed through both must have the same value in both. This filter takes one table
    whose rows name the environment variable, the configuration key and one value, and returns both forms.
  - In the environment, a list is joined with C(;), a boolean is V(true) or V(false), anything else is its string.
  - A row whose C(when) is false is left out of both.
options:
  _input:
    description: The rows, each with C(env), C(key), C(value) and optionally C(when).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: The environment and the configuration of the same settings
  ansible.builtin.set_fact:
    settings: "{{ rows | selfhosted.genai.open_webui_settings }}"
  vars:
    rows:
      - {env: OLLAMA_BASE_URLS, key: ollama.base_urls, value: ["http://ollama:11434"]}
      - {env: ENABLE_SIGNUP, key: ui.enable_signup, value: false}
      - {env: WEBUI_URL, key: webui.url, value: "https://chat.example.org", when: true}
"""

RETURN = r"""
_value:
  description: C(env), the environment variables as strings, and C(config), the configuration keys with typed values.
  type: dict
  sample: {"env": {"OLLAMA_BASE_URLS": "http://ollama:11434", "ENABLE_SIGNUP": "false"},
           "config": {"ollama.base_urls": ["http://ollama:11434"], "ui.enable_signup": false}}
"""

from ansible.errors import AnsibleFilterError


def environment_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(item) for item in value)
    return str(value)


def open_webui_settings(rows) -> dict:
    env: dict = {}
    config: dict = {}
    for number, row in enumerate(rows or [], 1):
        missing = [name for name in ("env", "key", "value") if not isinstance(row, dict) or name not in row]
        if missing:
            raise AnsibleFilterError(f"open_webui_settings: row {number} ({row!r}) has no {', '.join(missing)}")
        if not row.get("when", True):
            continue
        if row["env"] in env or row["key"] in config:
            raise AnsibleFilterError(f"open_webui_settings: row {number} names {row['env']} or {row['key']} a second time")
        env[row["env"]] = environment_value(row["value"])
        config[row["key"]] = row["value"]
    return {"env": env, "config": config}


class FilterModule:
    def filters(self):
        return {"open_webui_settings": open_webui_settings}
