# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's modules use it.

"""Ollama model references: parsed, validated and compared with the same rules as the Ollama server."""

from __future__ import annotations

DEFAULT_HOST = "registry.ollama.ai"
DEFAULT_NAMESPACE = "library"
DEFAULT_TAG = "latest"
DEFAULT_SCHEME = "https"

_MAX_LENGTH = {"host": 350, "namespace": 80, "model": 80, "tag": 80}


class InvalidModelName(ValueError):
    """A model reference that the Ollama server would refuse."""


def _check_part(kind: str, value: str, reference: str) -> None:
    where = f"invalid model name '{reference}': the {kind}"
    if not value:
        raise InvalidModelName(f"{where} is empty (expected [[host/]namespace/]model[:tag], e.g. 'gemma3:270m')")
    if len(value) > _MAX_LENGTH[kind]:
        raise InvalidModelName(f"{where} '{value[:20]}...' is longer than {_MAX_LENGTH[kind]} characters")
    first = value[0]
    if not (first.isascii() and (first.isalnum() or first == "_")):
        raise InvalidModelName(f"{where} '{value}' must start with a letter, a digit or '_'")
    for char in value[1:]:
        if char.isascii() and (char.isalnum() or char in "_-"):
            continue
        if char == "." and kind != "namespace":
            continue
        if char == ":" and kind == "host":
            continue
        allowed = "letters, digits, '_', '-'"
        if kind != "namespace":
            allowed += ", '.'"
        if kind == "host":
            allowed += ", ':' (port)"
        raise InvalidModelName(f"{where} '{value}' contains '{char}'; allowed: {allowed}")


class ModelName:
    """host/namespace/model:tag with Ollama's defaults; equality ignores case, as Ollama's lookups do."""

    __slots__ = ("host", "model", "namespace", "scheme", "tag")

    def __init__(self, host: str, namespace: str, model: str, tag: str, scheme: str = DEFAULT_SCHEME) -> None:
        self.host = host
        self.namespace = namespace
        self.model = model
        self.tag = tag
        self.scheme = scheme

    @classmethod
    def parse(cls, reference: str) -> ModelName:
        if not isinstance(reference, str) or not reference.strip():
            raise InvalidModelName("invalid model name: it is empty (expected [[host/]namespace/]model[:tag], e.g. 'gemma3:270m')")
        if reference != reference.strip() or any(char.isspace() for char in reference):
            raise InvalidModelName(f"invalid model name '{reference}': it contains white space")
        rest = reference
        tag = DEFAULT_TAG
        # A ':' after the last '/' starts the tag; one before it belongs to the host's port.
        if rest.rfind(":") > rest.rfind("/"):
            rest, tag = rest.rsplit(":", 1)
            if not tag:
                raise InvalidModelName(f"invalid model name '{reference}': the tag after ':' is empty")
        # Cut from the right, as Ollama does: model, then namespace, and whatever is left is the host.
        parts = rest.rsplit("/", 2)
        model = parts[-1]
        namespace = parts[-2] if len(parts) >= 2 else DEFAULT_NAMESPACE
        host = parts[-3] if len(parts) == 3 else DEFAULT_HOST
        scheme = DEFAULT_SCHEME
        if "://" in host:
            scheme, host = host.split("://", 1)
            if scheme not in ("http", "https"):
                raise InvalidModelName(f"invalid model name '{reference}': the scheme must be http or https, not '{scheme}'")
        if "/" in host:
            raise InvalidModelName(
                f"invalid model name '{reference}': too many '/' (expected at most host/namespace/model[:tag])"
            )
        for kind, value in (("host", host), ("namespace", namespace), ("model", model), ("tag", tag)):
            _check_part(kind, value, reference)
        return cls(host, namespace, model, tag, scheme)

    def key(self) -> tuple:
        return (self.host.lower(), self.namespace.lower(), self.model.lower(), self.tag.lower())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ModelName) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:
        return f"ModelName({self.full!r})"

    @property
    def full(self) -> str:
        return f"{self.host}/{self.namespace}/{self.model}:{self.tag}"

    @property
    def shortest(self) -> str:
        """The form Ollama lists in /api/tags: default host and namespace left out."""
        if self.host.lower() != DEFAULT_HOST:
            return f"{self.host}/{self.namespace}/{self.model}:{self.tag}"
        if self.namespace.lower() != DEFAULT_NAMESPACE:
            return f"{self.namespace}/{self.model}:{self.tag}"
        return f"{self.model}:{self.tag}"

    def manifest_url(self, insecure: bool = False) -> str:
        """Where the registry serves this tag's manifest (the same request Ollama makes when it pulls)."""
        scheme = "http" if insecure else self.scheme
        return f"{scheme}://{self.host}/v2/{self.namespace}/{self.model}/manifests/{self.tag}"

    def spelled_as(self, existing: list) -> ModelName:
        """This name as Ollama spells it when it pulls (server/routes.go getExistingName in 0.24.0).

        Ollama takes each part (host, namespace, model, tag) in the case of a model it already has with that part
        equal regardless of case, and asks the registry with the result; parts it knows no model for keep the case
        given. Ollama picks among several spellings of a part in no fixed order; this prefers the spelling of the
        model itself, then the first listed."""
        same = [other for other in existing if other == self]
        candidates = same + [other for other in existing if other not in same]
        parts = {}
        for part in ("host", "namespace", "model", "tag"):
            wanted = getattr(self, part)
            spellings = [getattr(other, part) for other in candidates if getattr(other, part).lower() == wanted.lower()]
            parts[part] = spellings[0] if spellings else wanted
        return ModelName(parts["host"], parts["namespace"], parts["model"], parts["tag"], self.scheme)


def name_problem(reference) -> str:
    """Why Ollama would refuse this model reference, or an empty string when it is valid."""
    try:
        ModelName.parse(reference)
    except InvalidModelName as exc:
        return str(exc)
    return ""
