#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_daemon_config
short_description: Merge settings into Docker's daemon.json without losing the others
version_added: 0.1.0
description:
  - Lays O(settings) over the JSON object in O(path). Nested objects (such as C(runtimes) or C(log-opts)) merge
    key by key, other values are replaced, and keys not mentioned are kept. Settings written by other tools or
    by hand survive.
  - The file is written only when the merged settings differ from what it holds, so its formatting is kept
    when nothing changes.
  - A file that is not a JSON object is an error, and the file is left untouched.
  - The Docker engine reads the file when it starts; restart it when this module reports a change.
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
attributes:
  check_mode:
    support: full
    description: Reports the change and the diff without writing.
  diff_mode:
    support: full
    description: Shows the file's settings before and after, as sorted JSON.
  idempotent:
    support: full
    description: A second run with the same settings finds them in place and writes nothing.
options:
  path:
    description: The daemon configuration file.
    type: path
    default: /etc/docker/daemon.json
  settings:
    description: Settings to lay over the file's.
    type: dict
    default: {}
  remove:
    description:
      - Keys to remove before merging, each a dotted path into nested objects (V(runtimes.nvidia)).
      - Keys that are not there are ignored.
    type: list
    elements: str
    default: []
  backup:
    description: Keep a timestamped copy of the previous file when it changes.
    type: bool
    default: false
  mode:
    description: Permissions of the file when it is written.
    type: raw
    default: "0644"
seealso:
  - name: Docker daemon configuration file
    description: Every key daemon.json accepts.
    link: https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file
"""

EXAMPLES = r"""
- name: Rotate container logs, keep whatever else daemon.json holds
  selfhosted.genai.docker_daemon_config:
    settings:
      log-driver: json-file
      log-opts:
        max-size: 10m
        max-file: "3"
  notify: Restart docker

- name: Add the NVIDIA runtime next to the existing runtimes
  selfhosted.genai.docker_daemon_config:
    settings:
      runtimes:
        nvidia:
          path: nvidia-container-runtime
          args: []

- name: Drop a registry mirror that is no longer used
  selfhosted.genai.docker_daemon_config:
    remove: [registry-mirrors]
"""

RETURN = r"""
settings:
  description: The file's settings after the run (or, in check mode, after a real run).
  returned: always
  type: dict
  sample: {"log-driver": "json-file", "log-opts": {"max-file": "3", "max-size": "10m"}}
backup_file:
  description: The copy of the previous file.
  returned: when O(backup=true) and the file changed
  type: str
  sample: /etc/docker/daemon.json.12345.2026-11-25@16:00:00~
"""

import os
import tempfile

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.selfhosted.genai.plugins.module_utils._json_merge import (
    MalformedJson,
    deep_merge,
    parse_existing,
    remove_keys,
    render,
)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "default": "/etc/docker/daemon.json"},
            "settings": {"type": "dict", "default": {}},
            "remove": {"type": "list", "elements": "str", "default": []},
            "backup": {"type": "bool", "default": False},
            "mode": {"type": "raw", "default": "0644"},
        },
        supports_check_mode=True,
    )
    path = module.params["path"]
    text = None
    if os.path.exists(path):
        if not os.path.isfile(path):
            module.fail_json(msg=f"{path} exists but is not a regular file")
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    try:
        current = parse_existing(text, path)
    except MalformedJson as exc:
        module.fail_json(msg=str(exc))

    paths = [entry.split(".") for entry in module.params["remove"] if entry]
    wanted = deep_merge(remove_keys(current, paths), module.params["settings"])
    result = {"changed": wanted != current, "settings": wanted}
    result["diff"] = {
        "before": render(current) if text is not None else "",
        "after": render(wanted) if (text is not None or wanted) else "",
        "before_header": path,
        "after_header": path,
    }
    if result["changed"] and not module.check_mode:
        directory = os.path.dirname(path) or "."
        if not os.path.isdir(directory):
            os.makedirs(directory, mode=0o755)
        if module.params["backup"] and text is not None:
            result["backup_file"] = module.backup_local(path)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".daemon.json.")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(render(wanted))
        module.atomic_move(temporary, path)
    if not module.check_mode and os.path.exists(path):
        file_args = module.load_file_common_arguments({"path": path, "mode": module.params["mode"]})
        result["changed"] = module.set_fs_attributes_if_different(file_args, result["changed"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
