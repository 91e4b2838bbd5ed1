# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This doc fragment is PRIVATE: it may change without notice. Only this collection's modules use it.

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  open_webui_url:
    description:
      - Base URL of Open WebUI, as seen from the managed host, without C(/api).
      - When not set, the E(OPEN_WEBUI_URL) environment variable is used, then V(http://127.0.0.1:8080).
      - The M(selfhosted.genai.open_webui) role's container is not published on the host; the role passes the
        container's address on its private network, which the host reaches.
    type: str
  admin_email:
    description:
      - Email of an administrator account to sign in with. The module signs in once per call.
      - Required with O(admin_password); mutually exclusive with O(token).
    type: str
  admin_password:
    description:
      - That administrator's password. Never logged; keep it in Ansible Vault.
    type: str
  token:
    description:
      - Instead of O(admin_email) and O(admin_password), an administrator's API key (V(sk-...); API keys must be
        allowed, C(ENABLE_API_KEYS)) or the token of an administrator's session (C(/api/v1/auths/signin) answers it).
      - Open WebUI allows 15 sign-ins per account in 3 minutes, successful ones included. A play that calls these
        modules more often signs in once and passes the token, as the M(selfhosted.genai.open_webui) role does.
      - Never logged.
    type: str
    aliases: [api_key]
  timeout:
    description:
      - Seconds to wait for an answer to one API request.
    type: int
    default: 30
  validate_certs:
    description:
      - Verify the TLS certificate when O(open_webui_url) uses HTTPS.
    type: bool
    default: true
notes:
  - The module talks to the API from the managed host with Python's standard library; it needs no extra package.
  - Set these options once for a play with C(module_defaults) and the action group C(group/selfhosted.genai.open_webui).
  - Written against the API of Open WebUI 0.12.4.
"""
