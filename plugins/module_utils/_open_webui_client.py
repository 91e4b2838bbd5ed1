# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's modules use it.

"""The one Open WebUI HTTP API client of this collection, on ansible.module_utils.urls.

It signs in at most once per module call (lazily, at the first request that needs it) or uses a token (an API
key, or a session token from an earlier sign-in), and never puts a password, a token or a key in a message."""

from __future__ import annotations

import json
import os
import socket
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode

from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.urls import Request

DEFAULT_URL = "http://127.0.0.1:8080"
URL_ENVIRONMENT = "OPEN_WEBUI_URL"
# The settings endpoints: the admin panel's General page, the default models, and every key of the database.
ADMIN_CONFIG_PATH = "/api/v1/auths/admin/config"
MODELS_CONFIG_PATH = "/api/v1/configs/models"
CONFIG_EXPORT_PATH = "/api/v1/configs/export"


def connection_argument_spec() -> dict:
    """Options every Open WebUI module shares; documented in the selfhosted.genai._open_webui doc fragment."""
    return {
        "open_webui_url": {"type": "str", "default": None},
        "admin_email": {"type": "str", "default": None},
        "admin_password": {"type": "str", "default": None, "no_log": True},
        "token": {"type": "str", "default": None, "no_log": True, "aliases": ["api_key"]},
        "timeout": {"type": "int", "default": 30},
        "validate_certs": {"type": "bool", "default": True},
    }


# For AnsibleModule(**CONNECTION_RULES): a token (an API key or a session's), or an administrator's email and password.
CONNECTION_RULES = {
    "mutually_exclusive": [("token", "admin_password")],
    "required_together": [("admin_email", "admin_password")],
    "required_one_of": [("token", "admin_password")],
}


class OpenWebUIError(Exception):
    """An error a person can act on: what went wrong and, where known, how to fix it."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class OpenWebUINotFound(OpenWebUIError):
    """The API answered 404."""


def _detail(body: bytes) -> str:
    text = to_text(body, errors="surrogate_or_replace").strip()
    try:
        payload = json.loads(text)
    except ValueError:
        return text[:300]
    if isinstance(payload, dict):
        detail = payload.get("detail") or payload.get("message") or payload.get("error")
        if isinstance(detail, list):
            # FastAPI's validation errors: [{"loc": [...], "msg": ..., ...}]
            return "; ".join(f"{'.'.join(str(part) for part in item.get('loc', []))}: {item.get('msg')}" for item in detail if isinstance(item, dict))
        if detail:
            return to_text(detail)
    return text[:300]


class OpenWebUIClient:
    def __init__(
        self,
        url: str | None = None,
        admin_email: str | None = None,
        admin_password: str | None = None,
        token: str | None = None,
        timeout: int = 30,
        validate_certs: bool = True,
    ) -> None:
        self.url = (url or os.environ.get(URL_ENVIRONMENT) or DEFAULT_URL).rstrip("/")
        self.timeout = timeout
        self.validate_certs = validate_certs
        self._email = admin_email
        self._password = admin_password
        self._token = token
        self._users: list | None = None
        self._groups: list | None = None
        self._request = Request(validate_certs=validate_certs, timeout=timeout, http_agent="selfhosted.genai")

    @classmethod
    def from_module(cls, module) -> OpenWebUIClient:
        params = module.params
        return cls(
            params["open_webui_url"], params["admin_email"], params["admin_password"], params["token"], params["timeout"], params["validate_certs"]
        )

    # --- transport ---------------------------------------------------------------------------------

    def _send(self, method: str, path: str, payload=None, query: dict | None = None, token: str | None = None):
        url = self.url + path + (("?" + urlencode(query)) if query else "")
        headers = {"Accept": "application/json"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            response = self._request.open(method, url, data=body, headers=headers)
        except HTTPError as exc:
            detail = _detail(exc.read() if exc.fp else b"") or exc.reason
            error_class = OpenWebUINotFound if exc.code == 404 else OpenWebUIError
            raise error_class(f"Open WebUI at {self.url} answered {method} {path} with HTTP {exc.code}: {detail}", exc.code) from exc
        except (URLError, OSError, socket.timeout) as exc:
            reason = getattr(exc, "reason", exc)
            raise OpenWebUIError(
                f"cannot reach Open WebUI at {self.url} ({reason}): is it running, and is open_webui_url the address the managed host reaches it at?"
            ) from exc
        try:
            raw = response.read()
        finally:
            response.close()
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise OpenWebUIError(
                f"Open WebUI at {self.url} sent something that is not JSON for {method} {path}: {to_text(raw)[:200]!r};"
                " is open_webui_url the Open WebUI itself (not a proxy's sign-in page)?"
            ) from exc

    def _auth_token(self) -> str:
        if self._token is None:
            self._token = self.sign_in(self._email, self._password)
        return self._token

    def call(self, method: str, path: str, payload=None, query: dict | None = None):
        """An authenticated request to /api/...; the parsed JSON answer (None when empty)."""
        return self._send(method, path, payload, query, token=self._auth_token())

    # --- API -----------------------------------------------------------------------------------------

    def sign_in(self, email: str | None, password: str | None, require_admin: bool = True) -> str:
        """Signs in and returns the session token; wrong credentials name the account, never the password.

        Open WebUI allows 15 sign-ins per account in 3 minutes, successful ones included."""
        try:
            answer = self._send("POST", "/api/v1/auths/signin", {"email": email or "", "password": password or ""})
        except OpenWebUIError as exc:
            if exc.status in (400, 401, 403):
                raise OpenWebUIError(
                    f"cannot sign in to Open WebUI at {self.url} as {email}: the email or the password is wrong, or the account"
                    f" is not active (HTTP {exc.status}). Check admin_email and admin_password (the open_webui role keeps a"
                    " generated password in its secrets folder).",
                    exc.status,
                ) from exc
            raise
        if not isinstance(answer, dict) or not answer.get("token"):
            raise OpenWebUIError(f"Open WebUI at {self.url} answered the sign-in of {email} without a token")
        if require_admin and answer.get("role") != "admin":
            raise OpenWebUIError(
                f"{email} signed in to Open WebUI at {self.url}, but is a '{answer.get('role')}', not an admin; use an administrator's account"
            )
        return answer["token"]

    def version(self) -> str:
        answer = self._send("GET", "/api/version") or {}
        return answer.get("version", "")

    # Users. Emails are stored in lower case; there is no lookup by exact email, so the full list is read once.
    def users(self) -> list:
        if self._users is None:
            self._users = (self.call("GET", "/api/v1/users/all") or {}).get("users") or []
        return self._users

    def find_user(self, email: str) -> dict | None:
        wanted = email.strip().lower()
        return next((user for user in self.users() if (user.get("email") or "").lower() == wanted), None)

    def user_ids(self, emails: list, what: str) -> list:
        """The ids of these users; an unknown email is an error that says how to create the account."""
        return self._ids(emails, self.find_user, what, "user with the email {}; create it first (selfhosted.genai.open_webui_user)")

    def user_group_ids(self, user_id: str) -> list:
        return [group["id"] for group in self.call("GET", f"/api/v1/users/{quote(user_id, safe='')}/groups") or []]

    # Groups. Open WebUI allows two groups with one name; the modules refuse to guess between them.
    def groups(self) -> list:
        if self._groups is None:
            self._groups = self.call("GET", "/api/v1/groups/") or []
        return self._groups

    def find_group(self, name: str) -> dict | None:
        found = [group for group in self.groups() if group.get("name") == name]
        if len(found) > 1:
            raise OpenWebUIError(
                f"Open WebUI has {len(found)} groups named '{name}' (ids {', '.join(group['id'] for group in found)}); rename or"
                " delete all but one in the admin panel, then run again"
            )
        return found[0] if found else None

    def group_ids(self, names: list, what: str) -> list:
        return self._ids(names, self.find_group, what, "group named '{}'; create it first (selfhosted.genai.open_webui_group)")

    @staticmethod
    def _ids(keys: list, find, what: str, missing: str) -> list:
        ids = []
        for key in keys:
            found = find(key)
            if found is None:
                raise OpenWebUIError(f"{what}: Open WebUI has no {missing.format(key)}")
            ids.append(found["id"])
        return ids

    def group_member_ids(self, group_id: str) -> list:
        return (self.call("GET", f"/api/v1/groups/id/{quote(group_id, safe='')}/export") or {}).get("user_ids") or []

    def change_group_members(self, group_id: str, add: list, remove: list) -> None:
        path = f"/api/v1/groups/id/{quote(group_id, safe='')}/users"
        if add:
            self.call("POST", path + "/add", {"user_ids": add})
        if remove:
            self.call("POST", path + "/remove", {"user_ids": remove})

    # Models: the database rows (presets and overrides) and the list users get (providers' models included).
    def model_row(self, model_id: str) -> dict | None:
        try:
            return self.call("GET", "/api/v1/models/model", query={"id": model_id})
        except OpenWebUINotFound:
            return None

    def available_models(self) -> list:
        return (self.call("GET", "/api/models", query={"refresh": "true"}) or {}).get("data") or []
