# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: openpgp_key_problem
short_description: What is wrong with a downloaded repository key, or an empty string when it is the expected one
version_added: 0.3.0
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
description:
  - Computes the fingerprints of the primary keys in an OpenPGP public key file (ASCII-armored or binary; version 4
    and 6 keys) from its packets, so a role can compare a key it downloaded with the fingerprint the publisher
    announces before apt trusts it. No gpg is needed on the host.
  - The file must hold exactly that one primary key (with its subkeys), since another key in the same file would be
    trusted by apt too.
options:
  _input:
    description: The key file's content.
    type: raw
    required: true
  fingerprint:
    description: The expected fingerprint; spaces, lower case and a C(0x) prefix are ignored.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Download the key
  ansible.builtin.uri:
    url: https://developer.download.nvidia.com/compute/cuda/repos/debian12/x86_64/3bf863cc.pub
    return_content: true
  register: key

- name: Refuse a key that is not NVIDIA's
  ansible.builtin.assert:
    that: __problem == ''
    fail_msg: "The key {{ __problem }}."
  vars:
    __problem: "{{ key.content | selfhosted.genai.openpgp_key_problem('EB693B3035CD5710E231E123A4B469963BF863CC') }}"
"""

RETURN = r"""
_value:
  description: An empty string, or what the file holds instead (to follow "The key at URL ...").
  type: str
  sample: holds the key 686056303C7B01C5D88611A068814A9232BD7D7F, not EB693B3035CD5710E231E123A4B469963BF863CC
"""

from ansible_collections.selfhosted.genai.plugins.module_utils._openpgp import key_problem


class FilterModule:
    def filters(self):
        return {"openpgp_key_problem": key_problem}
