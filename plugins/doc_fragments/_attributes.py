# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This doc fragment is PRIVATE: it may change without notice. Only this collection's modules use it.

from __future__ import annotations


class ModuleDocFragment:
    # The attributes of a module that only reads (the *_info modules).
    INFO_MODULE = r"""
attributes:
  check_mode:
    support: full
    description: The module only reads; it runs the same in check mode.
  diff_mode:
    support: none
    description: Nothing changes, so there is no difference to show.
  idempotent:
    support: full
    description: Reads only.
"""

    # The Open WebUI modules that change something (users, groups, models, settings).
    OPEN_WEBUI_RESOURCE = r"""
attributes:
  check_mode:
    support: full
    description: Reads what Open WebUI has and reports what would change; changes nothing.
  diff_mode:
    support: full
    description: What the module manages, before and after; never a password.
  idempotent:
    support: full
    description: A second run with the same options changes nothing (a password is set again only when asked and different).
"""
