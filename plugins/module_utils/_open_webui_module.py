# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's modules use it.

"""What the Open WebUI modules that change something share: their run, their result and its diff."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_client import (
    CONNECTION_RULES,
    OpenWebUIClient,
    OpenWebUIError,
    connection_argument_spec,
)


class ResourceManager:
    """Makes one resource as wanted; RESULT_KEY names it in the result ("user", "group", "model")."""

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
