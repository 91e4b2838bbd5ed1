#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: open_webui_user
short_description: Create, update and remove Open WebUI user accounts through its API
version_added: 0.1.0
description:
  - Makes one Open WebUI account exist as wanted, keyed by its email, and changes nothing when it already does.
  - Only the options given are compared and changed; an option left out keeps the account's value.
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
extends_documentation_fragment:
  - selfhosted.genai._open_webui
  - selfhosted.genai._attributes.OPEN_WEBUI_RESOURCE
options:
  email:
    description:
      - The account's email, its key. Open WebUI stores it in lower case; it is compared that way.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the account, V(absent) deletes it and everything it owns (chats included).
    type: str
    choices: [present, absent]
    default: present
  name:
    description:
      - The name shown in the UI. On creation, defaults to the part of O(email) before the C(@).
    type: str
  role:
    description:
      - V(admin), V(user), or V(pending) (signed up, waiting for an administrator). On creation, defaults to V(user).
    type: str
    choices: [admin, user, pending]
  password:
    description:
      - The password; required to create an account. Never logged, and never in the diff; keep it in Ansible Vault.
      - Set on creation only, unless O(update_password=always).
    type: str
  update_password:
    description:
      - V(on_create) sets O(password) only when the account is created, so a user can change it.
      - V(always) signs in as the user with O(password) and sets it when that fails. Setting a password signs the
        user out of every session.
    type: str
    choices: [always, on_create]
    default: on_create
  groups:
    description:
      - Names of the groups the account is a direct member of; the account leaves groups not named. Left out, the
        memberships are not managed. The groups must exist (M(selfhosted.genai.open_webui_group)).
    type: list
    elements: str
seealso:
  - module: selfhosted.genai.open_webui_group
  - module: selfhosted.genai.open_webui_info
"""

EXAMPLES = r"""
- name: Alice may chat, in the research group
  selfhosted.genai.open_webui_user:
    open_webui_url: http://127.0.0.1:8080
    admin_email: admin@example.org
    admin_password: "{{ vault_open_webui_admin_password }}"
    email: alice@example.org
    name: Alice
    role: user
    password: "{{ vault_alice_password }}"
    groups: [research]

- name: Bob left the team
  selfhosted.genai.open_webui_user:
    email: bob@example.org
    state: absent
  module_defaults:
    group/selfhosted.genai.open_webui:
      open_webui_url: http://127.0.0.1:8080
      token: "{{ vault_open_webui_api_key }}"
"""

RETURN = r"""
user:
  description: The account after the run (before it, when O(state=absent)); empty when there is none.
  returned: always
  type: dict
  sample: {"id": "a6b5c0de-...", "email": "alice@example.org", "name": "Alice", "role": "user", "groups": ["research"]}
password_changed:
  description: Whether the password was set (at creation, or with O(update_password=always) when it differed).
  returned: when O(state=present)
  type: bool
  sample: false
diff:
  description: The account before and after, as in C(--diff).
  returned: when changed and in diff mode
  type: dict
"""

import re

from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_client import OpenWebUIClient, OpenWebUIError
from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_module import ResourceManager, run_module
from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_specs import USER_SPEC

# The shape Open WebUI itself accepts (a dot in the domain, or localhost), checked here to fail before any change.
EMAIL = re.compile(r"^[^@\s]+@([^@\s]+\.[^@\s]+|localhost)$")


def view(user: dict | None, group_names: list | None) -> dict:
    if not user:
        return {}
    shown = {"id": user["id"], "email": user["email"], "name": user.get("name"), "role": user.get("role")}
    if group_names is not None:
        shown["groups"] = sorted(group_names)
    return shown


class UserManager(ResourceManager):
    RESULT_KEY = "user"

    def __init__(self, module, client) -> None:
        super().__init__(module, client)
        self.email = self.params["email"].strip().lower()

    def run(self) -> dict:
        if not EMAIL.match(self.email):
            raise OpenWebUIError(f"'{self.params['email']}' is not an email address (name@domain.tld or name@localhost)")
        user = self.client.find_user(self.email)
        managed_groups = self.params["groups"]
        wanted_group_ids, current_group_ids, current_group_names = None, [], None
        if managed_groups is not None:
            wanted_group_ids = self.client.group_ids(managed_groups, f"the groups of {self.email}")
            current_group_ids = self.client.user_group_ids(user["id"]) if user else []
            names_by_id = {group["id"]: group["name"] for group in self.client.groups()}
            current_group_names = [names_by_id.get(gid, gid) for gid in current_group_ids]
        before = view(user, current_group_names)

        if self.params["state"] == "absent":
            if user is None:
                return {"changed": False, "user": {}}
            if not self.module.check_mode:
                self.client.call("DELETE", f"/api/v1/users/{user['id']}")
            return self.finish(True, before, {}, before)

        if user is None:
            return self.create(wanted_group_ids, managed_groups)

        changes = {}
        for option in ("name", "role"):
            if self.params[option] is not None and self.params[option] != user.get(option):
                changes[option] = self.params[option]
        password_changes = self.params["update_password"] == "always" and self.params["password"] and not self.password_works()
        if password_changes:
            changes["password"] = self.params["password"]
        add = [gid for gid in wanted_group_ids or [] if gid not in current_group_ids]
        remove = [gid for gid in current_group_ids if wanted_group_ids is not None and gid not in wanted_group_ids]
        after_user = dict(user, **{key: value for key, value in changes.items() if key != "password"})
        after = view(after_user, managed_groups)
        changed = bool(changes or add or remove)
        if changed and not self.module.check_mode:
            if changes:
                self.client.call("POST", f"/api/v1/users/{user['id']}/update", changes)
            for gid in add:
                self.client.change_group_members(gid, [user["id"]], [])
            for gid in remove:
                self.client.change_group_members(gid, [], [user["id"]])
        result = self.finish(changed, before, after, after)
        result["password_changed"] = bool(password_changes)
        return result

    def create(self, wanted_group_ids: list | None, managed_groups: list | None) -> dict:
        if not self.params["password"]:
            raise OpenWebUIError(f"creating the Open WebUI account {self.email} needs a password (option password)")
        body = {
            "email": self.email,
            "name": self.params["name"] or self.email.split("@", 1)[0],
            "role": self.params["role"] or "user",
            "password": self.params["password"],
        }
        after = {"id": None, "email": self.email, "name": body["name"], "role": body["role"]}
        if managed_groups is not None:
            after["groups"] = sorted(managed_groups)
        if not self.module.check_mode:
            created = self.client.call("POST", "/api/v1/auths/add", body) or {}
            after["id"] = created.get("id")
            for gid in wanted_group_ids or []:
                self.client.change_group_members(gid, [after["id"]], [])
        result = self.finish(True, {}, after, after)
        result["password_changed"] = True
        return result

    def password_works(self) -> bool:
        try:
            own_client = OpenWebUIClient(self.client.url, timeout=self.client.timeout, validate_certs=self.client.validate_certs)
            own_client.sign_in(self.email, self.params["password"], require_admin=False)
        except OpenWebUIError as exc:
            if exc.status in (400, 401, 403):
                return False
            raise
        return True


def main() -> None:
    run_module(USER_SPEC, UserManager)


if __name__ == "__main__":
    main()
