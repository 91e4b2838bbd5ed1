#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: open_webui_model
short_description: Settings, presets and access of Open WebUI models through its API
version_added: 0.1.0
description:
  - "Without O(base_model): the settings Open WebUI keeps for a model it gets from Ollama (keyed by Ollama's name,
    for example V(gemma3:270m)): name, description, system prompt, parameters, capabilities, who may use it."
  - "With O(base_model): a preset, a model of its own built on that one, with its own system prompt and parameters."
  - Only the options given are compared and changed; everything else the model has in Open WebUI is kept.
  - Users other than administrators see only the models shared with them (O(access)). A model Open WebUI gets from
    Ollama without settings here is visible to administrators only.
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
extends_documentation_fragment:
  - selfhosted.genai._open_webui
  - selfhosted.genai._attributes.OPEN_WEBUI_RESOURCE
options:
  id:
    description:
      - The model's id. For a model from Ollama, Ollama's full name with its tag (V(gemma3:270m)). For a preset, a
        new id without spaces (V(research-assistant)).
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the settings; V(absent) removes them (a preset is gone; a model from Ollama
        keeps running, visible to administrators only).
    type: str
    choices: [present, absent]
    default: present
  base_model:
    description:
      - Makes O(id) a preset built on this model (a model from Ollama or another preset), which must exist.
      - Users who may use the preset must also be able to use its base model, or their chats fail with "Model not
        found"; the module warns when they cannot.
    type: str
  name:
    description:
      - The name shown in the UI. On creation, defaults to O(id).
    type: str
  description:
    description:
      - The description shown under the name.
    type: str
  system:
    description:
      - The system prompt Open WebUI adds to every chat with this model.
    type: str
  params:
    description:
      - "Generation parameters, for example C({temperature: 0.2, num_ctx: 8192, top_p: 0.9, seed: 42}). Open WebUI
        passes them to Ollama as options."
      - Laid over the model's current parameters; keys not given keep their value.
    type: dict
  capabilities:
    description:
      - "What the UI offers with this model, for example C({vision: false, builtin_tools: false, web_search: false})."
      - V(builtin_tools=false) keeps Open WebUI's built-in tools (time, notes, ...) away from a model that does not
        support tools (Ollama then refuses the chat with "does not support tools").
      - Laid over the model's current capabilities; keys not given keep their value.
    type: dict
  tool_ids:
    description:
      - Ids of the Open WebUI tools attached to the model (the admin panel's Tools).
    type: list
    elements: str
  access:
    description:
      - Who may use the model besides administrators. Left out, access is not managed (a new model is then private).
    type: dict
    suboptions:
      everyone:
        description: Every signed-in user.
        type: bool
        default: false
      groups:
        description: Names of groups whose members may use it (M(selfhosted.genai.open_webui_group)).
        type: list
        elements: str
        default: []
      users:
        description: Emails of users who may use it (M(selfhosted.genai.open_webui_user)).
        type: list
        elements: str
        default: []
  active:
    description:
      - V(false) hides the model from everyone, administrators included. On creation, defaults to V(true).
    type: bool
seealso:
  - module: selfhosted.genai.ollama_model
  - module: selfhosted.genai.open_webui_group
"""

EXAMPLES = r"""
- name: Everyone may chat with gemma3, without built-in tools (it does not support them)
  selfhosted.genai.open_webui_model:
    open_webui_url: http://127.0.0.1:8080
    admin_email: admin@example.org
    admin_password: "{{ vault_open_webui_admin_password }}"
    id: gemma3:270m
    capabilities: {builtin_tools: false}
    access: {everyone: true}

- name: A preset for the research group
  selfhosted.genai.open_webui_model:
    open_webui_url: http://127.0.0.1:8080
    admin_email: admin@example.org
    admin_password: "{{ vault_open_webui_admin_password }}"
    id: research-assistant
    base_model: gemma3:270m
    name: Research assistant
    system: You are a terse research assistant. Cite your sources.
    params: {temperature: 0.2, num_ctx: 8192}
    access: {groups: [research]}
"""

RETURN = r"""
model:
  description: The managed settings after the run (before it, when O(state=absent)); empty when there are none.
  returned: always
  type: dict
  sample:
    id: research-assistant
    base_model: gemma3:270m
    name: Research assistant
    description: null
    system: You are a terse research assistant.
    params: {temperature: 0.2, num_ctx: 8192}
    capabilities: {builtin_tools: false}
    tool_ids: []
    access: {everyone: false, groups: [research], users: []}
    active: true
diff:
  description: The settings before and after, as in C(--diff).
  returned: when changed and in diff mode
  type: dict
"""

from ansible_collections.selfhosted.genai.plugins.module_utils._json_merge import deep_merge
from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_client import OpenWebUIError
from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_module import (
    EVERYONE,
    ResourceManager,
    access_view,
    grant_list,
    grants_of,
    read_grants,
    run_module,
)
from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_specs import MODEL_SPEC


class ModelManager(ResourceManager):
    RESULT_KEY = "model"

    def __init__(self, module, client) -> None:
        super().__init__(module, client)
        self.model_id = self.params["id"]

    def run(self) -> dict:
        if not self.model_id or any(character.isspace() for character in self.model_id):
            raise OpenWebUIError(f"'{self.model_id}' is not a model id: it must be one word, without spaces")
        row = self.client.model_row(self.model_id)
        before = self.view(row)
        if self.params["state"] == "absent":
            if row is None:
                return {"changed": False, "model": {}}
            if not self.module.check_mode:
                self.client.call("POST", "/api/v1/models/model/delete", {"id": self.model_id})
            return self.finish(True, before, {}, before)

        available = {model["id"] for model in self.client.available_models()}
        base_model = self.params["base_model"] if self.params["base_model"] is not None else (row or {}).get("base_model_id")
        self.check_exists(base_model, row, available)
        wanted = self.wanted_row(row, base_model)
        grants = self.wanted_grants(row)
        granted = grant_list(grants)
        after = self.view(dict(wanted, access_grants=granted))
        if row is not None and after == before:
            return {"changed": False, "model": before}
        if base_model:
            self.warn_about_base(base_model, grants)
        if not self.module.check_mode:
            if row is None:
                self.client.call("POST", "/api/v1/models/create", dict(wanted, access_grants=granted))
            else:
                if {key: row.get(key) for key in wanted} != wanted:
                    self.client.call("POST", "/api/v1/models/model/update", wanted)
                if grants != grants_of(row):
                    self.client.call("POST", "/api/v1/models/model/access/update", {"id": self.model_id, "name": wanted["name"], "access_grants": granted})
        return self.finish(True, before, after, after)

    def check_exists(self, base_model: str | None, row: dict | None, available: set) -> None:
        if base_model:
            if base_model == self.model_id:
                raise OpenWebUIError(f"the preset {self.model_id} cannot be built on itself; leave base_model out to set the model's own settings")
            if base_model not in available:
                raise OpenWebUIError(
                    f"cannot build the preset {self.model_id} on {base_model}: Open WebUI has no such model (it has: {', '.join(sorted(available)) or 'none'})."
                    " Pull it into Ollama first (selfhosted.genai.ollama_model), with the name as Ollama lists it, tag included."
                )
        elif row is None and self.model_id not in available:
            raise OpenWebUIError(
                f"Open WebUI has no model {self.model_id} (it has: {', '.join(sorted(available)) or 'none'}). Pull it into Ollama first"
                " (selfhosted.genai.ollama_model), or set base_model to make a preset of that id."
            )

    def wanted_row(self, row: dict | None, base_model: str | None) -> dict:
        current = row or {}
        meta_changes = {"capabilities": self.params["capabilities"] or {}}
        if self.params["description"] is not None:
            meta_changes["description"] = self.params["description"]
        if self.params["tool_ids"] is not None:
            meta_changes["toolIds"] = self.params["tool_ids"]
        param_changes = dict(self.params["params"] or {})
        if self.params["system"] is not None:
            param_changes["system"] = self.params["system"]
        active = self.params["active"]
        return {
            "id": self.model_id,
            "base_model_id": base_model or None,
            "name": self.params["name"] or current.get("name") or self.model_id,
            "meta": deep_merge(current.get("meta") or {}, meta_changes),
            "params": deep_merge(current.get("params") or {}, param_changes),
            "is_active": active if active is not None else current.get("is_active", True),
        }

    def wanted_grants(self, row: dict | None) -> set:
        current = grants_of(row)
        access = self.params["access"]
        if access is None:
            return current
        grants = current - read_grants(row)
        if access["everyone"]:
            grants.add(EVERYONE)
        what = f"who may use {self.model_id}"
        grants.update(("group", gid, "read") for gid in self.client.group_ids(access["groups"], what))
        grants.update(("user", uid, "read") for uid in self.client.user_ids(access["users"], what))
        return grants

    def warn_about_base(self, base_model: str, grants: set) -> None:
        base_grants = read_grants(self.client.model_row(base_model))
        if EVERYONE not in base_grants and {grant for grant in grants if grant[2] == "read"} - base_grants:
            self.module.warn(
                f"not every user who may use the preset {self.model_id} may use its base model {base_model}: their chats will fail with"
                f" 'Model not found'. Share {base_model} with them too (open_webui_model id={base_model} with the same access)."
            )

    def view(self, row: dict | None) -> dict:
        if not row:
            return {}
        meta = row.get("meta") or {}
        params = dict(row.get("params") or {})
        system = params.pop("system", None)
        return {
            "id": row["id"],
            "base_model": row.get("base_model_id"),
            "name": row.get("name"),
            "description": meta.get("description"),
            "system": system,
            "params": params,
            "capabilities": meta.get("capabilities") or {},
            "tool_ids": meta.get("toolIds") or [],
            "access": access_view(row, self.client),
            "active": row.get("is_active", True),
        }


def main() -> None:
    run_module(MODEL_SPEC, ModelManager)


if __name__ == "__main__":
    main()
