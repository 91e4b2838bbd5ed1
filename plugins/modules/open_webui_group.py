#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: open_webui_group
short_description: Create, update and remove Open WebUI groups through its API
version_added: 0.1.0
description:
  - Makes one Open WebUI group exist as wanted, keyed by its name, and changes nothing when it already does.
  - Groups give their members permissions and access to models shared with them (M(selfhosted.genai.open_webui_model)).
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
extends_documentation_fragment:
  - selfhosted.genai._open_webui
  - selfhosted.genai._attributes.OPEN_WEBUI_RESOURCE
options:
  name:
    description:
      - The group's name, its key. Open WebUI allows two groups with one name; the module then fails and names both.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the group, V(absent) deletes it (its members keep their accounts).
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - The group's description. On creation, defaults to an empty one.
    type: str
  permissions:
    description:
      - "Permissions the group grants its members, in Open WebUI's shape, for example C({workspace: {models: true},
        features: {api_keys: true}})."
      - Laid over the group's current permissions key by key; keys not given keep their value.
      - A group can only grant. A permission every user has by default (the admin panel's default permissions)
        cannot be taken away by a group.
    type: dict
  members:
    description:
      - Emails of the group's direct members; other members leave the group. Left out, members are not managed.
      - The accounts must exist (M(selfhosted.genai.open_webui_user)).
    type: list
    elements: str
seealso:
  - module: selfhosted.genai.open_webui_user
  - module: selfhosted.genai.open_webui_model
"""

EXAMPLES = r"""
- name: A research group whose members may build their own model presets
  selfhosted.genai.open_webui_group:
    open_webui_url: http://127.0.0.1:8080
    admin_email: admin@example.org
    admin_password: "{{ vault_open_webui_admin_password }}"
    name: research
    description: Research team
    permissions:
      workspace: {models: true}
    members: [alice@example.org, carol@example.org]
"""

RETURN = r"""
group:
  description: The group after the run (before it, when O(state=absent)); empty when there is none.
  returned: always
  type: dict
  sample: {"id": "61fe1aee-...", "name": "research", "description": "Research team", "permissions": {"workspace": {"models": true}},
           "members": ["alice@example.org"]}
diff:
  description: The group before and after, as in C(--diff).
  returned: when changed and in diff mode
  type: dict
"""

from ansible_collections.selfhosted.genai.plugins.module_utils._json_merge import deep_merge
from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_client import OpenWebUIError
from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_module import ResourceManager, run_module
from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_specs import GROUP_SPEC


class GroupManager(ResourceManager):
    RESULT_KEY = "group"

    def run(self) -> dict:
        name = self.params["name"]
        if not name.strip():
            raise OpenWebUIError("a group needs a name that is not empty")
        group = self.client.find_group(name)
        managed_members = self.params["members"]
        wanted_ids = self.client.user_ids(managed_members, f"the members of the group '{name}'") if managed_members is not None else None
        current_ids = self.client.group_member_ids(group["id"]) if group else []
        before = self.view(group, current_ids)

        if self.params["state"] == "absent":
            if group is None:
                return {"changed": False, "group": {}}
            if not self.module.check_mode:
                self.client.call("DELETE", f"/api/v1/groups/id/{group['id']}/delete")
            return self.finish(True, before, {}, before)

        description = self.params["description"]
        permissions = deep_merge((group or {}).get("permissions") or {}, self.params["permissions"] or {})
        body = {
            "name": name,
            "description": description if description is not None else (group or {}).get("description") or "",
            "permissions": permissions,
        }
        after_ids = wanted_ids if wanted_ids is not None else current_ids
        after = self.view(dict(group or {"id": None}, **body), after_ids)
        if group is not None and after == before:
            return {"changed": False, "group": before}
        if not self.module.check_mode:
            if group is None:
                group = self.client.call("POST", "/api/v1/groups/create", body) or {}
                after["id"] = group.get("id")
            elif {key: group.get(key) for key in body} != body:
                self.client.call("POST", f"/api/v1/groups/id/{group['id']}/update", body)
            self.client.change_group_members(
                group["id"], [uid for uid in after_ids if uid not in current_ids], [uid for uid in current_ids if uid not in after_ids]
            )
        return self.finish(True, before, after, after)

    def view(self, group: dict | None, member_ids: list) -> dict:
        if not group:
            return {}
        emails = {user["id"]: user["email"] for user in self.client.users()}
        return {
            "id": group["id"],
            "name": group["name"],
            "description": group.get("description") or "",
            "permissions": group.get("permissions") or {},
            "members": sorted(emails.get(uid, uid) for uid in member_ids),
        }


def main() -> None:
    run_module(GROUP_SPEC, GroupManager)


if __name__ == "__main__":
    main()
