#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: open_webui_info
short_description: Read Open WebUI's version, users, groups, models and settings
version_added: 0.1.0
description:
  - Returns what an administrator sees of Open WebUI through its API. Changes nothing.
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
extends_documentation_fragment:
  - selfhosted.genai._open_webui
  - selfhosted.genai._attributes.INFO_MODULE
options: {}
seealso:
  - module: selfhosted.genai.open_webui_user
  - module: selfhosted.genai.open_webui_group
  - module: selfhosted.genai.open_webui_model
  - module: selfhosted.genai.open_webui_settings
"""

EXAMPLES = r"""
- name: What does Open WebUI have?
  selfhosted.genai.open_webui_info:
    open_webui_url: http://127.0.0.1:8080
    admin_email: admin@example.org
    admin_password: "{{ vault_open_webui_admin_password }}"
  register: open_webui

- name: Who are the administrators?
  ansible.builtin.debug:
    msg: "{{ open_webui.users | selectattr('role', 'equalto', 'admin') | map(attribute='email') | list }}"
"""

RETURN = r"""
version:
  description: Open WebUI's version.
  returned: always
  type: str
  sample: 0.12.4
users:
  description: Every account, with the names of the groups it is a direct member of.
  returned: always
  type: list
  elements: dict
  sample: [{"id": "a6b5c0de-...", "email": "alice@example.org", "name": "Alice", "role": "user", "groups": ["research"]}]
groups:
  description: Every group, with its members' emails.
  returned: always
  type: list
  elements: dict
  sample: [{"id": "61fe1aee-...", "name": "research", "description": "", "permissions": {}, "members": ["alice@example.org"]}]
models:
  description: The models an administrator can use (from Ollama, and presets), with the settings Open WebUI keeps for them.
  returned: always
  type: list
  elements: dict
  sample: [{"id": "gemma3:270m", "name": "gemma3:270m", "preset": false, "base_model": null, "active": true,
            "access": {"everyone": true, "groups": [], "users": []}}]
settings:
  description: The admin panel's General settings (C(admin)) and the default models (C(models)), by their API names.
  returned: always
  type: dict
  sample: {"admin": {"ENABLE_SIGNUP": false, "DEFAULT_USER_ROLE": "pending"}, "models": {"DEFAULT_MODELS": "gemma3:270m"}}
"""

from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_client import (
    ADMIN_CONFIG_PATH,
    MODELS_CONFIG_PATH,
    OpenWebUIClient,
)
from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_module import ResourceManager, access_view, run_module


def gather(client: OpenWebUIClient) -> dict:
    groups = client.groups()
    users = client.users()
    emails = {user["id"]: user["email"] for user in users}
    group_names = {group["id"]: group["name"] for group in groups}
    members = {group["id"]: client.group_member_ids(group["id"]) for group in groups}
    rows = {row["id"]: row for row in client.call("GET", "/api/v1/models/all") or []}
    # Inactive models are in no list but the database's.
    listed = client.available_models() + [row for row in rows.values() if not row.get("is_active", True)]
    models = []
    for model in listed:
        row = rows.get(model["id"]) or {}
        models.append({
            "id": model["id"],
            "name": model.get("name"),
            "preset": bool(row.get("base_model_id")),
            "base_model": row.get("base_model_id"),
            "active": row.get("is_active", True),
            "access": access_view(row, client),
        })
    return {
        "version": client.version(),
        "users": [
            {"id": user["id"], "email": user["email"], "name": user.get("name"), "role": user.get("role"),
             "groups": sorted(group_names[gid] for gid, ids in members.items() if user["id"] in ids)}
            for user in users
        ],
        "groups": [
            {"id": group["id"], "name": group["name"], "description": group.get("description") or "",
             "permissions": group.get("permissions") or {}, "members": sorted(emails.get(uid, uid) for uid in members[group["id"]])}
            for group in groups
        ],
        "models": models,
        "settings": {"admin": client.call("GET", ADMIN_CONFIG_PATH), "models": client.call("GET", MODELS_CONFIG_PATH)},
    }


class InfoReader(ResourceManager):
    def run(self) -> dict:
        return dict(gather(self.client), changed=False)


def main() -> None:
    run_module({}, InfoReader)


if __name__ == "__main__":
    main()
