#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: nvidia_host_info
short_description: NVIDIA GPUs, Secure Boot and the driver's state, read from sysfs
version_added: 0.1.0
description:
  - Finds NVIDIA display devices on the PCI bus (vendor 0x10de, class 0x03xxxx) without any NVIDIA tool, says
    whether Secure Boot is on and whether the C(nvidia) kernel module is loaded, and decides whether the driver
    should be installed.
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
extends_documentation_fragment:
  - selfhosted.genai._attributes.INFO_MODULE
options:
  install:
    description:
      - The wish to weigh against the hardware (a role's C(*_install) variable); V(auto) installs only where a GPU
        is found.
    type: str
    choices: [auto, "true", "false"]
    default: auto
  sysfs:
    description: Where sysfs is mounted (another root is for tests).
    type: path
    default: /sys
"""

EXAMPLES = r"""
- name: What does this host have?
  selfhosted.genai.nvidia_host_info:
  register: nvidia

- name: Say so
  ansible.builtin.debug:
    msg: "{{ nvidia.gpus | length }} GPU(s); install the driver: {{ nvidia.install }} ({{ nvidia.reason }})"
"""

RETURN = r"""
gpus:
  description: NVIDIA display devices.
  returned: always
  type: list
  elements: dict
  sample: [{"address": "0000:00:03.0", "device_id": "0x27b8", "class": "0x030200", "driver": "nvidia"}]
install:
  description: Whether the driver should be installed here.
  returned: always
  type: bool
  sample: true
reason:
  description: Why.
  returned: always
  type: str
  sample: 1 NVIDIA GPU(s) found on the PCI bus
secure_boot:
  description: Whether Secure Boot is on; null when the machine has no EFI variables.
  returned: always
  type: bool
  sample: false
nvidia_module_loaded:
  description: Whether the nvidia kernel module is loaded.
  returned: always
  type: bool
  sample: true
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.selfhosted.genai.plugins.module_utils._nvidia_host import (
    decide_install,
    module_loaded,
    nvidia_gpus,
    secure_boot,
)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "install": {"type": "str", "default": "auto", "choices": ["auto", "true", "false"]},
            "sysfs": {"type": "path", "default": "/sys"},
        },
        supports_check_mode=True,
    )
    sysfs = module.params["sysfs"]
    gpus = nvidia_gpus(sysfs)
    install, reason = decide_install(module.params["install"], gpus)
    module.exit_json(
        changed=False,
        gpus=gpus,
        install=install,
        reason=reason,
        secure_boot=secure_boot(sysfs),
        nvidia_module_loaded=module_loaded("nvidia", sysfs),
    )


if __name__ == "__main__":
    main()
