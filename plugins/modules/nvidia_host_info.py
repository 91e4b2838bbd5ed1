#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: nvidia_host_info
short_description: NVIDIA GPUs, Secure Boot and the driver's state, read from sysfs and nvidia-smi
version_added: 0.1.0
description:
  - Finds NVIDIA display devices on the PCI bus (vendor 0x10de, class 0x03xxxx) without any NVIDIA tool, says
    whether Secure Boot is on and whether the C(nvidia) kernel module is loaded, and decides whether the driver
    should be installed.
  - Where the driver is loaded, also the driver's version, and from C(nvidia-smi) (when it is installed) each card's
    name and compute capability, which decide whether a CUDA program such as Ollama uses the card.
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
  nvidia_smi:
    description:
      - The C(nvidia-smi) command, a name looked up in the E(PATH) or a path. Not found, the cards' names and compute
        capabilities are V(null).
    type: str
    default: nvidia-smi
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
  sample: [{"address": "0000:00:03.0", "device_id": "0x27b8", "class": "0x030200", "driver": "nvidia",
            "name": "NVIDIA L4", "compute_capability": "8.9"}]
  contains:
    name:
      description: The card's name as nvidia-smi says it; null without nvidia-smi.
      type: str
    compute_capability:
      description: The card's CUDA compute capability (V(8.9) for an L4); null without nvidia-smi or with a driver
        older than 510.
      type: str
driver_version:
  description: The version of the loaded nvidia kernel module (or, failing that, what nvidia-smi says); null when
    no driver is loaded.
  returned: always
  type: str
  sample: 550.163.01
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
    NVIDIA_SMI_FIELDS,
    decide_install,
    loaded_driver_version,
    merge_nvidia_smi,
    module_loaded,
    nvidia_gpus,
    nvidia_smi_arguments,
    parse_nvidia_smi,
    secure_boot,
)


def ask_nvidia_smi(module: AnsibleModule) -> list:
    """What nvidia-smi says of each GPU; [] when it is not installed or does not answer (no driver loaded)."""
    command = module.get_bin_path(module.params["nvidia_smi"])
    if not command:
        return []
    for fields in (NVIDIA_SMI_FIELDS, NVIDIA_SMI_FIELDS[:-1]):
        rc, out, _err = module.run_command([command] + nvidia_smi_arguments(fields))
        if rc == 0:
            return parse_nvidia_smi(out, fields)
    return []


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "install": {"type": "str", "default": "auto", "choices": ["auto", "true", "false"]},
            "sysfs": {"type": "path", "default": "/sys"},
            "nvidia_smi": {"type": "str", "default": "nvidia-smi"},
        },
        supports_check_mode=True,
    )
    sysfs = module.params["sysfs"]
    gpus = nvidia_gpus(sysfs)
    install, reason = decide_install(module.params["install"], gpus)
    answered = ask_nvidia_smi(module) if gpus else []
    driver_version = loaded_driver_version(sysfs) or next((gpu["driver_version"] for gpu in answered if gpu["driver_version"]), None)
    module.exit_json(
        changed=False,
        gpus=merge_nvidia_smi(gpus, answered),
        driver_version=driver_version,
        install=install,
        reason=reason,
        secure_boot=secure_boot(sysfs),
        nvidia_module_loaded=module_loaded("nvidia", sysfs),
    )


if __name__ == "__main__":
    main()
