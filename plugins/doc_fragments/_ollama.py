# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This doc fragment is PRIVATE: it may change without notice. Only this collection's modules use it.

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  ollama_url:
    description:
      - Base URL of the Ollama HTTP API, as seen from the managed host.
      - When not set, the E(OLLAMA_URL) environment variable is used, then V(http://127.0.0.1:11434).
      - Ollama has no authentication; keep its API on loopback or a private network.
    type: str
  timeout:
    description:
      - Seconds to wait for an answer to one API request.
    type: int
    default: 30
  validate_certs:
    description:
      - Verify TLS certificates when O(ollama_url) (or a registry) uses HTTPS.
    type: bool
    default: true
  headers:
    description:
      - Extra HTTP headers sent with every request to Ollama, for example the credentials of an authenticating
        reverse proxy in front of it. Never logged, and never sent to a model registry (the registry requests of
        O(selfhosted.genai.ollama_model#module:state=latest) and of check mode use a client of their own).
    type: dict
    default: {}
notes:
  - The module talks to the API from the managed host with Python's standard library; it needs no extra package.
  - Set these options once for a play with C(module_defaults) and the action group C(group/selfhosted.genai.ollama).
"""
