# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: open_webui_entry_problems
short_description: What is wrong with the entries of open_webui_users, open_webui_groups or open_webui_models
version_added: 0.3.0
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
description:
  - Checks each entry against the options of the module that applies it (M(selfhosted.genai.open_webui_user),
    M(selfhosted.genai.open_webui_group), M(selfhosted.genai.open_webui_model)), the same specification the modules
    are built from, so a typo such as C(pasword) is refused before any change.
  - Messages name the variable, the entry's position and name, and the keys; never a value (passwords stay out).
options:
  _input:
    description: The list of entries.
    type: list
    elements: dict
    required: true
  kind:
    description: Which list it is.
    type: str
    choices: [user, group, model]
    required: true
"""

EXAMPLES = r"""
- name: Refuse a wrong account before any change
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('; ') }}"
  vars:
    __problems: "{{ open_webui_users | selfhosted.genai.open_webui_entry_problems('user') }}"
"""

RETURN = r"""
_value:
  description: One message per wrong entry; empty when every entry is right.
  type: list
  elements: str
  sample: ["open_webui_users[0] (grace@example.org): unknown key pasword; known: email, state, name, role, password, update_password, groups"]
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.selfhosted.genai.plugins.module_utils._open_webui_specs import KINDS, entries_problems


def open_webui_entry_problems(entries, kind):
    if kind not in KINDS:
        raise AnsibleFilterError(f"open_webui_entry_problems: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return entries_problems(entries, kind)


class FilterModule:
    def filters(self):
        return {"open_webui_entry_problems": open_webui_entry_problems}
