# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's modules use it.

"""What the Open WebUI modules share: their run, their result and its diff, and how a model's access reads."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_client import (
    CONNECTION_RULES,
    OpenWebUIClient,
    OpenWebUIError,
    connection_argument_spec,
)

# A model's access grants as (principal_type, principal_id, permission); this one shares it with every user.
EVERYONE = ("user", "*", "read")
GRANT_FIELDS = ("principal_type", "principal_id", "permission")


def grants_of(row: dict | None) -> set:
    return {tuple(grant[field] for field in GRANT_FIELDS) for grant in (row or {}).get("access_grants") or []}


def read_grants(row: dict | None) -> set:
    """Who may use the model: only read grants decide (write alone does not let a user chat)."""
    return {grant for grant in grants_of(row) if grant[2] == "read"}


def grant_list(grants: set) -> list:
    return [dict(zip(GRANT_FIELDS, grant)) for grant in sorted(grants)]


def access_view(row: dict | None, client: OpenWebUIClient) -> dict:
    """Who may use the model besides administrators, with group names and emails instead of ids."""
    grants = read_grants(row)
    groups = {group["id"]: group["name"] for group in client.groups()}
    emails = {user["id"]: user["email"] for user in client.users()}
    return {
        "everyone": EVERYONE in grants,
        "groups": sorted(groups.get(pid, pid) for kind, pid, _permission in grants if kind == "group"),
        "users": sorted(emails.get(pid, pid) for kind, pid, _permission in grants if kind == "user" and pid != "*"),
    }


class ResourceManager:
    """Makes one resource as wanted (reads it, for an info module); RESULT_KEY names it in the result."""

    RESULT_KEY = "resource"

    def __init__(self, module: AnsibleModule, client: OpenWebUIClient) -> None:
        self.module = module
        self.client = client
        self.params = module.params

    def run(self) -> dict:
        raise NotImplementedError

    def finish(self, changed: bool, before: dict, after: dict, shown: dict) -> dict:
        result = {"changed": changed, self.RESULT_KEY: shown}
        if changed and self.module._diff:
            result["diff"] = {"before": before, "after": after}
        return result


def run_module(options: dict, manager_class) -> None:
    """The module's main(): the connection options and these, then the manager's run, or its error."""
    spec = connection_argument_spec()
    spec.update(options)
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **CONNECTION_RULES)
    try:
        result = manager_class(module, OpenWebUIClient.from_module(module)).run()
    except OpenWebUIError as exc:
        module.fail_json(msg=str(exc))
    module.exit_json(**result)
