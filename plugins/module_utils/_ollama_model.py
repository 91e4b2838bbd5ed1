# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's modules use it.

"""What ollama_model decides, as pure functions: the options of one model (the module's and the ollama role's
ollama_models entries, one spec for both), which action a state needs, and whether a created model already has
exactly the wanted customisation. No I/O here, so every rule has a unit test."""

from __future__ import annotations

import json
import re

# Actions, in the words the module reports.
NOTHING = "none"
PULL = "pull"
DELETE = "delete"
CREATE = "create"

_BLOB_DIGEST = re.compile(r"sha256[-:]([0-9a-f]{64})")

CUSTOMISATIONS = ("quantize", "system", "template", "parameters", "messages")

# What /api/create quantizes an F16, BF16 or F32 model to in Ollama 0.34.0 (fs/ggml ParseFileType), in the spelling
# /api/show reports as details.quantization_level; Q4_K is Ollama's other name for Q4_K_M.
QUANTIZE_TYPES = {"Q4_K_M": "Q4_K_M", "Q4_K": "Q4_K_M", "Q4_K_S": "Q4_K_S", "Q8_0": "Q8_0", "F16": "F16", "BF16": "BF16", "F32": "F32"}
MUTUALLY_EXCLUSIVE = [("source", "from")]


def model_argument_spec() -> dict:
    """The options of one model: ollama_model's own (beside the connection options and registry_hosts), and the
    keys an entry of the ollama role's ollama_models may have. The role validates entries with this spec."""
    return {
        "name": {"type": "str", "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "latest", "absent"]},
        "insecure": {"type": "bool", "default": False},
        "source": {"type": "path"},
        "from": {"type": "str"},
        "quantize": {"type": "str"},
        "system": {"type": "str"},
        "template": {"type": "str"},
        "parameters": {"type": "dict"},
        "messages": {
            "type": "list",
            "elements": "dict",
            "options": {
                "role": {"type": "str", "required": True, "choices": ["system", "user", "assistant"]},
                "content": {"type": "str", "required": True},
            },
        },
        "retries": {"type": "int", "default": 3},
        "stream_timeout": {"type": "int", "default": 900},
    }


def option_problems(params: dict) -> list:
    """The rules between options that a type check cannot express, as messages naming the options."""
    problems = []
    creating = params.get("source") is not None or params.get("from") is not None
    state = params.get("state") or "present"
    if state == "latest" and creating:
        problems.append("state=latest is for models pulled from a registry; a model built with source or from is kept with state=present")
    given = [key for key in CUSTOMISATIONS if key != "quantize" and params.get(key) is not None]
    if given and not creating and state != "absent":
        problems.append(f"{', '.join(given)} need 'from' (a model to build on) or 'source' (a GGUF file)")
    if params.get("quantize") is not None and params.get("from") is not None:
        problems.append("quantize works with 'source' (an F16, BF16 or F32 GGUF file), not with 'from'")
    elif params.get("quantize") is not None and params.get("source") is None and state != "absent":
        problems.append("quantize needs 'source' (an F16, BF16 or F32 GGUF file to quantize)")
    if params.get("quantize") is not None and quantize_type(params["quantize"]) is None:
        problems.append(
            f"quantize {params['quantize']!r} is not a type Ollama quantizes to; one of "
            f"{', '.join(sorted(set(QUANTIZE_TYPES.values())))} (any case)"
        )
    if params.get("stream_timeout") is not None and params["stream_timeout"] <= 0:
        problems.append(f"stream_timeout must be a positive number of seconds, not {params['stream_timeout']}")
    if params.get("retries") is not None and params["retries"] < 0:
        problems.append(f"retries must be 0 or more, not {params['retries']}")
    return problems


def quantize_type(value) -> str | None:
    """The quantization type as /api/show reports it, or None for one Ollama does not quantize to."""
    return QUANTIZE_TYPES.get(str(value).strip().upper()) if value is not None else None


def plan_registry_model(state: str, local_digest: str | None, remote_digest: str | None = None) -> str:
    """The action for a model that comes from a registry.

    local_digest: the digest Ollama lists for the model, None when it is not there.
    remote_digest: the registry manifest's digest; only state=latest with the model present needs it.
    """
    if state == "absent":
        return DELETE if local_digest is not None else NOTHING
    if local_digest is None:
        return PULL
    if state == "present":
        return NOTHING
    if state == "latest":
        if remote_digest is None:
            raise ValueError("state=latest with the model present needs the registry's digest")
        return NOTHING if remote_digest == local_digest else PULL
    raise ValueError(f"unknown state {state!r}")


def _canonical_scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(float(value))
    text = str(value)
    try:
        number = float(text)
    except ValueError:
        lowered = text.lower()
        return lowered if lowered in ("true", "false") else text
    return repr(number)


def normalise_parameters(parameters: dict | None) -> dict:
    """{name: [canonical values]} so that 0, 0.0 and "0" compare equal, and a lone stop equals a list of one."""
    result = {}
    for key, value in (parameters or {}).items():
        values = value if isinstance(value, (list, tuple)) else [value]
        result[str(key)] = [_canonical_scalar(item) for item in values]
    return result


def parse_parameters_text(text: str | None) -> dict:
    """Parses the 'parameters' text of /api/show ("name   value" lines; strings quoted; repeated names)."""
    parsed: dict = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        key, _sep, raw = line.partition(" ")
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            try:
                value = json.loads(raw)
            except ValueError:
                value = raw[1:-1]
        else:
            value = raw
        parsed.setdefault(key, []).append(value)
    return {key: values if len(values) > 1 else values[0] for key, values in parsed.items()}


def model_blob_digest(show: dict | None) -> str | None:
    """The sha256 of the model's weights blob, read from the FROM line of /api/show's modelfile."""
    if not show:
        return None
    for line in (show.get("modelfile") or "").splitlines():
        if line.startswith("FROM "):
            match = _BLOB_DIGEST.search(line)
            if match:
                return "sha256:" + match.group(1)
    return None


def weights_made_from(blob: str | None, source: str, record: dict) -> bool:
    """Whether a model's weights blob came from the GGUF whose digest is `source`.

    Up to 0.29 Ollama stores an uploaded GGUF as it is: the blob is the upload. From 0.30 /api/create passes it
    through llama-quantize (a COPY when no quantisation is asked), which writes a new file, and nothing Ollama shows
    names the upload. So ollama_model records, for each blob it saw Ollama make, the upload it was made from
    (`record`: blob digest -> source digest, kept on the managed host) and counts that blob as the source's."""
    return blob is not None and (blob == source or record.get(blob) == source)


def record_problem(record) -> str:
    """Why a loaded source record is not one ({"sha256:<blob>": "sha256:<source>"}), or ''."""
    if not isinstance(record, dict):
        return "it is not a JSON object"
    for blob, source in record.items():
        if not (_BLOB_DIGEST.fullmatch(str(blob)) and _BLOB_DIGEST.fullmatch(str(source))):
            return f"the entry {blob!r}: {source!r} is not two sha256 digests"
    return ""


def customisation_of(show: dict | None) -> dict:
    """The parts of an existing model that ollama_model manages, in comparable form."""
    show = show or {}
    return {
        "weights": model_blob_digest(show),
        "quantization": str((show.get("details") or {}).get("quantization_level") or "").upper(),
        "system": show.get("system") or "",
        "template": show.get("template") or "",
        "parameters": normalise_parameters(parse_parameters_text(show.get("parameters"))),
        "messages": [{"role": m.get("role"), "content": m.get("content")} for m in show.get("messages") or []],
    }


def expected_customisation(wanted: dict, base: dict | None = None, weights: str | None = None) -> dict:
    """What a model created from `wanted` will show.

    base: customisation_of() the `from` model: Ollama starts from its template, system, messages and
    parameters, and the wanted parameters override it name by name.
    weights: the GGUF's digest when the model is created from a file. Ollama may derive a template and its
    stop parameters from the GGUF's metadata, so then the template is compared only when given, and only
    the parameters given are compared.
    """
    start = base or {"system": "", "template": None, "parameters": {}, "messages": []}
    parameters = dict(start["parameters"])
    parameters.update(normalise_parameters(wanted.get("parameters")))
    return {
        "weights": weights if weights is not None else start.get("weights"),
        # Managed only when asked for: otherwise the model keeps the type of its file or base.
        "quantization": quantize_type(wanted.get("quantize")),
        "system": wanted["system"] if wanted.get("system") is not None else start["system"],
        "template": wanted["template"] if wanted.get("template") is not None else start["template"],
        "parameters": parameters,
        "messages": wanted["messages"] if wanted.get("messages") is not None else start["messages"],
        "only_given_parameters": base is None,
    }


def customisation_differences(expected: dict, current: dict) -> list:
    """Names of the managed parts that differ; a None in `expected` means 'not managed'."""
    differences = []
    for key in ("weights", "quantization", "system", "template", "messages"):
        if expected[key] is not None and current.get(key) != expected[key]:
            differences.append(key)
    current_parameters = current.get("parameters") or {}
    if expected["only_given_parameters"]:
        current_parameters = {key: current_parameters.get(key) for key in expected["parameters"]}
    if current_parameters != expected["parameters"]:
        differences.append("parameters")
    return differences


def create_request(name: str, wanted: dict, weights: str | None = None, file_name: str = "model.gguf") -> dict:
    """The /api/create body for a model from another model (wanted['from']) or from an uploaded GGUF blob."""
    request: dict = {"model": name}
    if weights is not None:
        request["files"] = {file_name: weights}
    else:
        request["from"] = wanted["from"]
    for key in CUSTOMISATIONS:
        if wanted.get(key) is not None:
            request[key] = quantize_type(wanted[key]) if key == "quantize" else wanted[key]
    return request


def summarise_pull(events: list) -> int:
    """Bytes of the layers this pull downloaded.

    Ollama reports a layer it already has once, complete; a download every 60 ms while it runs, so its first
    report is still short of the total. A layer small enough to arrive within 60 ms may not be reported at all.
    """
    first: dict = {}
    totals: dict = {}
    for event in events:
        digest = event.get("digest")
        if not digest or "completed" not in event or "total" not in event:
            continue
        first.setdefault(digest, event["completed"])
        totals[digest] = event["total"]
    return sum(total for digest, total in totals.items() if first[digest] < total)
