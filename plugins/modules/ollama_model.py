#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: ollama_model
short_description: Pull, update, remove, import and customise Ollama models through the HTTP API
version_added: 0.1.0
description:
  - Makes one Ollama model exist as wanted, through the Ollama HTTP API, and changes nothing when it already does.
  - "Models from a registry: O(state=present) pulls only a missing model and then never asks the registry again;
    O(state=latest) compares the registry's manifest digest with the local one and downloads only when they differ;
    O(state=absent) deletes."
  - "Models built here: from a GGUF file on the managed host (O(source)), uploaded only when Ollama lacks the blob;
    or from another model (O(from)) with a system prompt, template, parameters and messages. The model is (re)created
    only when what Ollama shows differs from what is asked."
  - Names follow Ollama's rules and defaults (V(registry.ollama.ai), V(library), V(latest)) and compare without
    regard to case, so V(gemma3), V(gemma3:latest) and V(registry.ollama.ai/library/gemma3:latest) are one model.
    An invalid name is refused before any request.
author:
  - selfhosted.genai maintainers (@selfhosted-genai)
extends_documentation_fragment:
  - selfhosted.genai._ollama
attributes:
  check_mode:
    support: full
    description: Predicts the action; for a pull it asks the registry whether the tag exists but downloads nothing.
  diff_mode:
    support: full
    description: Shows the model's digest, or for a created model its weights, system, template, parameters and messages.
  idempotent:
    support: full
    description: A second run with the same options reports no change; tests run every state twice.
options:
  name:
    description:
      - The model, as V([[host/]namespace/]model[:tag]).
      - For a model from a plain-HTTP registry, set O(insecure=true).
    type: str
    required: true
  state:
    description:
      - V(present) makes sure the model exists; a model that exists is left as it is.
      - V(latest) also updates a model from a registry when the registry has a newer manifest for its tag.
        Only for models from a registry (neither O(source) nor O(from)).
      - V(absent) deletes the model.
    type: str
    choices: [present, latest, absent]
    default: present
  insecure:
    description:
      - Allow a registry over plain HTTP (an internal mirror, for example).
    type: bool
    default: false
  source:
    description:
      - Path of a GGUF file on the managed host to create the model from.
      - The file is uploaded only when Ollama does not already have a blob with its sha256.
      - "How the module knows the model holds this file's weights: up to Ollama 0.29 the model's weights blob is the
        upload itself (same sha256). From 0.30 Ollama passes an uploaded GGUF through llama-quantize and stores the
        file it writes, whose sha256 differs and which names the upload nowhere; so after a create the module
        records on the managed host which blob Ollama made from which upload (O(source_record)), and counts that
        blob as the file's. A changed file has another sha256 and is detected either way. A model made elsewhere
        (another host, by hand) from the same file is created once more, then recorded."
    type: path
  source_record:
    description:
      - Where the module keeps, on the managed host, which weights blob Ollama made from which uploaded GGUF (a
        JSON object of sha256 digests; see O(source)). Read in check mode, written only after a create.
    type: path
    default: ~/.local/state/selfhosted.genai/ollama_model_sources.json
  from:
    description:
      - The model to build O(name) from; it must already exist in Ollama.
      - Template, system prompt and messages not given are inherited from it; O(parameters) override its
        parameters one by one.
    type: str
  quantize:
    description:
      - Quantize the weights while creating the model, to one of V(Q4_K_M) (or V(Q4_K)), V(Q4_K_S), V(Q8_0),
        V(F16), V(BF16), V(F32) (any case; what Ollama 0.34.0 accepts). Needs O(source); not with O(from), whose
        weights the module could then no longer compare.
      - Ollama quantizes only an F16, BF16 or F32 model (a GGUF file already quantized, such as a Q4_K_M download, is
        refused with Ollama's message); the model then keeps no copy of the unquantized weights.
      - Compared with the model's C(details.quantization_level), so a changed O(quantize) recreates the model. Not
        given, the model keeps the type of its file or base model and it is not compared.
    type: str
  system:
    description:
      - The system prompt. Needs O(source) or O(from).
    type: str
  template:
    description:
      - The prompt template (Go template syntax, as in a Modelfile). Needs O(source) or O(from).
    type: str
  parameters:
    description:
      - Model parameters such as V(temperature), V(num_ctx) or V(stop) (a list for several values).
        Needs O(source) or O(from).
      - "Each is checked, before any change, against the type Ollama expects (the parameters of Ollama 0.34.0):
        numbers V(temperature), V(top_p), V(min_p), V(typical_p), V(repeat_penalty), V(presence_penalty),
        V(frequency_penalty); integers V(num_ctx), V(num_batch), V(num_gpu), V(main_gpu), V(num_thread),
        V(draft_num_predict) (new in 0.30's llama-server engine), V(num_keep), V(seed), V(num_predict), V(top_k),
        V(repeat_last_n); boolean V(use_mmap); V(stop), a string or a list of strings."
      - A numeric string such as V("0.2") is converted; an unknown name or a value of another type is refused,
        because Ollama would store it and then fail every generation of the model.
      - For a model from O(source), only the parameters given here are compared; Ollama may add stop words it
        derives from the GGUF.
    type: dict
  messages:
    description:
      - A conversation the model starts from. Needs O(source) or O(from).
    type: list
    elements: dict
    suboptions:
      role:
        description: Who speaks.
        type: str
        choices: [system, user, assistant]
        required: true
      content:
        description: What is said.
        type: str
        required: true
  retries:
    description:
      - How many times to retry a pull or an upload after a transient failure (connection lost, Ollama
        restarting, a pull stream that ends before Ollama reports success). Ollama resumes a partial download
        where it stopped.
      - Retry N waits 6 x N seconds, so the default 3 retries wait 36 seconds in all, enough for a restarting Ollama.
    type: int
    default: 3
  stream_timeout:
    description:
      - Seconds to wait for the next progress message of a pull or a create, or for an upload to progress.
        Checking the digest of a large model can take minutes without a message.
    type: int
    default: 900
  registry_hosts:
    description:
      - Registry host names mapped to IP addresses, the same mapping as the Ollama container's C(/etc/hosts)
        (for example the ollama role's C(ollama_etc_hosts)).
      - O(state=latest) and check mode ask the registry from the managed host, while Ollama pulls from inside its
        container; with this mapping a registry or mirror known only through the container's C(/etc/hosts) is asked at
        the address Ollama uses. Only the connection goes to the mapped address; the HTTP Host header, TLS server
        name and certificate check keep the name.
      - Other names are resolved as usual.
    type: dict
    default: {}
seealso:
  - module: selfhosted.genai.ollama_model_info
  - name: Ollama API
    description: The HTTP API this module uses.
    link: https://github.com/ollama/ollama/blob/main/docs/api.md
"""

EXAMPLES = r"""
- name: Pull a model once (no registry request when it is already there)
  selfhosted.genai.ollama_model:
    name: gemma3:270m

- name: Keep a model up to date with its registry tag
  selfhosted.genai.ollama_model:
    name: llama3.2:3b
    state: latest

- name: Pull from an internal plain-HTTP mirror
  selfhosted.genai.ollama_model:
    name: mirror.example.internal:5000/library/gemma3:270m
    insecure: true

- name: Keep up to date from a mirror that only the Ollama container's /etc/hosts knows
  selfhosted.genai.ollama_model:
    name: models.lan:5000/library/gemma3:270m
    insecure: true
    state: latest
    registry_hosts:
      models.lan: 10.0.0.7

- name: Import a GGUF file from the managed host
  selfhosted.genai.ollama_model:
    name: acme/support-bot:v1
    source: /srv/models/support-bot-q4_k_m.gguf
    template: "{{ .System }} {{ .Prompt }}"

- name: Import an F16 export of a fine-tune, quantized to Q4_K_M on the way in
  selfhosted.genai.ollama_model:
    name: acme/support-bot:v2
    source: /srv/models/support-bot-f16.gguf
    quantize: q4_K_M

- name: A customised model on top of a pulled one
  selfhosted.genai.ollama_model:
    name: terse-assistant
    from: gemma3:270m
    system: You answer in one short sentence.
    parameters:
      temperature: 0.2
      num_ctx: 8192
      stop: ["<end_of_turn>"]

- name: Remove a model
  selfhosted.genai.ollama_model:
    name: gemma3:270m
    state: absent

- name: Talk to an Ollama API that is not on this host's loopback, for the whole play
  hosts: gpu_nodes
  module_defaults:
    group/selfhosted.genai.ollama:
      ollama_url: http://10.0.0.5:11434
  tasks:
    - name: Pull the model on every node
      selfhosted.genai.ollama_model:
        name: gemma3:270m
"""

RETURN = r"""
action:
  description: What the module did (or, in check mode, would do).
  returned: always
  type: str
  choices: [none, pull, create, delete]
  sample: pull
model:
  description: The model as Ollama lists it after the run; empty when it does not exist.
  returned: always
  type: dict
  contains:
    name:
      description: The name as Ollama lists it (default host and namespace left out).
      type: str
      sample: gemma3:270m
    digest:
      description: sha256 of the model's manifest.
      type: str
      sample: 9a754356e7c923ad4d9302d4ba4f4e27996a22221aa163269a860c684192eb36
    size:
      description: Bytes on disk.
      type: int
      sample: 253113526
    modified_at:
      description: When Ollama last wrote the model.
      type: str
      sample: "2026-11-25T15:46:01.161907547Z"
    details:
      description: Format, family, parameter size and quantization, as Ollama reports them.
      type: dict
      sample: {"format": "gguf", "family": "gemma3", "quantization_level": "Q4_K_M"}
  sample: {"name": "gemma3:270m", "digest": "9a75...eb36", "size": 253113526}
pull:
  description: Transfer figures of a pull this run made.
  returned: when the module pulled
  type: dict
  contains:
    bytes:
      description: Size of the layers downloaded; layers Ollama already had count 0.
      type: int
      sample: 253113024
    seconds:
      description: Wall time of the pull, verification included.
      type: float
      sample: 4.2
    bytes_per_second:
      description: bytes / seconds.
      type: float
      sample: 60265005.7
    attempts:
      description: 1, plus the retries that were needed.
      type: int
      sample: 1
  sample: {"bytes": 253113024, "seconds": 4.2, "bytes_per_second": 60265005.7, "attempts": 1}
upload:
  description: Figures of a GGUF upload this run made.
  returned: when the module uploaded O(source)
  type: dict
  contains:
    bytes:
      description: Bytes uploaded.
      type: int
      sample: 253113024
    seconds:
      description: Wall time of the upload.
      type: float
      sample: 0.9
  sample: {"bytes": 253113024, "seconds": 0.9}
weights_blob:
  description:
    - For a model from O(source), the digest of the weights blob Ollama holds. It differs from the GGUF's own sha256
      (the diff's C(weights)) when Ollama rewrote the upload (from 0.30).
  returned: when O(source) is set and the model exists
  type: str
  sample: sha256:a5fd3b6246f3a1b7c6b3f0c1d1e0a1b2c3d4e5f60718293a4b5c6d7e8f906818
differences:
  description: For a created model, the managed parts that differed before the run.
  returned: when O(source) or O(from) is set and the model existed
  type: list
  elements: str
  sample: [system, parameters]
diff:
  description: The model before and after, as in C(--diff).
  returned: always
  type: dict
  sample: {"before": {"state": "absent"}, "after": {"state": "present", "digest": "9a75...eb36"}}
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_client import (
    OllamaClient,
    OllamaError,
    OllamaNotFound,
    Stopwatch,
    connection_argument_spec,
    sha256_of_file,
    with_retries,
)
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_model import (
    CREATE,
    CUSTOMISATIONS,
    DELETE,
    MUTUALLY_EXCLUSIVE,
    NOTHING,
    PULL,
    create_request,
    customisation_differences,
    customisation_of,
    expected_customisation,
    model_argument_spec,
    option_problems,
    plan_registry_model,
    record_problem,
    summarise_pull,
    weights_made_from,
)
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_name import InvalidModelName, ModelName
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_parameters import ParameterProblem, check_parameters
from ansible_collections.selfhosted.genai.plugins.module_utils._ollama_registry import RegistryClient, explain_pull_error


def argument_spec() -> dict:
    spec = connection_argument_spec()
    spec.update(model_argument_spec())
    spec["registry_hosts"] = {"type": "dict", "default": {}}
    spec["source_record"] = {"type": "path", "default": "~/.local/state/selfhosted.genai/ollama_model_sources.json"}
    return spec


class ModelManager:
    def __init__(self, module: AnsibleModule, client: OllamaClient, name: ModelName) -> None:
        self.module = module
        self.client = client
        self.name = name
        self.params = module.params
        self.result: dict = {"changed": False, "action": NOTHING, "model": {}}

    # --- shared ------------------------------------------------------------------------------------

    def listed(self) -> list:
        """(name, entry) for every model Ollama lists under a valid name."""
        models = []
        for entry in self.client.list_models():
            try:
                models.append((ModelName.parse(entry.get("name", "")), entry))
            except InvalidModelName:
                continue
        return models

    def find(self) -> dict | None:
        return next((entry for name, entry in self.listed() if name == self.name), None)

    @staticmethod
    def describe(entry: dict | None) -> dict:
        if not entry:
            return {}
        return {key: entry.get(key) for key in ("name", "digest", "size", "modified_at", "details")}

    def retrying(self, operation):
        return with_retries(
            operation,
            self.params["retries"],
            on_retry=lambda attempt, exc: self.module.warn(f"retry {attempt} of {self.params['retries']} after: {exc}"),
        )

    def finish(self, action: str, before: dict, after: dict, entry: dict | None) -> dict:
        self.result.update(action=action, changed=action != NOTHING, model=self.describe(entry))
        self.result["diff"] = {"before": before, "after": after}
        return self.result

    # --- registry models ---------------------------------------------------------------------------

    def manifest_url(self) -> str:
        """The manifest URL Ollama would ask, with the name spelled as Ollama spells it for a pull."""
        spelled = self.name.spelled_as([name for name, _entry in self.listed()])
        return spelled.manifest_url(self.params["insecure"])

    def registry_digest(self) -> str:
        registry = RegistryClient(self.params["timeout"], self.params["validate_certs"], self.params["registry_hosts"])
        try:
            return registry.manifest_digest(self.manifest_url())
        except OllamaNotFound as exc:
            raise OllamaError(
                f"model '{self.params['name']}' not found: {exc}. Check the name and tag, and that the registry has it."
            ) from exc

    def pull(self) -> dict:
        events: list = []
        attempts = {"count": 0, "manifest_fetched": False}

        def attempt() -> None:
            attempts["count"] += 1
            attempts["manifest_fetched"] = False
            last_log = 0.0
            watch = Stopwatch()
            for event in self.client.pull(self.name.full, self.params["insecure"], timeout=self.params["stream_timeout"]):
                events.append(event)
                attempts["manifest_fetched"] |= event.get("status") != "pulling manifest"
                if watch.seconds - last_log >= 30:
                    last_log = watch.seconds
                    self.module.log(f"ollama_model: pulling {self.name.shortest}: {event.get('status')} {event.get('completed', '')}/{event.get('total', '')}")

        watch = Stopwatch()
        try:
            self.retrying(attempt)
        except OllamaError as exc:
            if "file does not exist" in str(exc) or "not found" in str(exc):
                raise OllamaError(f"{exc}. Is '{self.params['name']}' spelled right, and does the registry have that tag?") from exc
            explained = exc.stream_error and explain_pull_error(exc.stream_error, self.manifest_url(), attempts["manifest_fetched"])
            if explained:
                raise OllamaError(f"pulling {self.name.shortest}: {explained}", exc.status) from exc
            raise
        seconds = watch.seconds
        transferred = summarise_pull(events)
        return {
            "bytes": transferred,
            "seconds": seconds,
            "bytes_per_second": round(transferred / seconds, 1) if seconds else 0.0,
            "attempts": attempts["count"],
        }

    def registry_model(self) -> dict:
        state = self.params["state"]
        entry = self.find()
        local = entry.get("digest") if entry else None
        before = {"name": self.name.shortest, "state": "present", "digest": local} if entry else {"name": self.name.shortest, "state": "absent"}
        remote = self.registry_digest() if state == "latest" and entry else None
        action = plan_registry_model(state, local, remote)

        if action == NOTHING:
            return self.finish(NOTHING, before, before, entry)
        if action == DELETE:
            after = {"name": self.name.shortest, "state": "absent"}
            if not self.module.check_mode:
                self.client.delete(entry["name"])
            return self.finish(DELETE, before, after, None)

        # PULL
        if self.module.check_mode:
            remote = remote or self.registry_digest()
            return self.finish(PULL, before, {"name": self.name.shortest, "state": "present", "digest": remote}, entry)
        self.result["pull"] = self.pull()
        entry = self.find()
        if entry is None:
            raise OllamaError(f"Ollama reported a successful pull of '{self.params['name']}' but does not list the model")
        after = {"name": self.name.shortest, "state": "present", "digest": entry.get("digest")}
        # A pull that found nothing new (the tag moved back, or another client updated first) changes nothing.
        return self.finish(PULL if after["digest"] != local else NOTHING, before, after, entry)

    # --- created models ----------------------------------------------------------------------------

    def wanted(self) -> dict:
        wanted = {key: self.params[key] for key in CUSTOMISATIONS}
        wanted["from"] = self.params["from"]
        if wanted["messages"] is not None:
            wanted["messages"] = [{"role": m["role"], "content": m["content"]} for m in wanted["messages"]]
        return wanted

    def source_weights(self) -> str:
        source = self.params["source"]
        if not os.path.isfile(source):
            raise OllamaError(f"source '{source}' is not a file on the managed host: give the path of a GGUF model file")
        with open(source, "rb") as handle:
            magic = handle.read(4)
        if magic != b"GGUF":
            raise OllamaError(f"source '{source}' is not a GGUF file (it does not start with 'GGUF'); convert it to GGUF first")
        return "sha256:" + sha256_of_file(source)

    def source_record(self) -> dict:
        path = self.params["source_record"]
        remedy = "remove it (the module then creates the models from source once more)"
        try:
            with open(path, encoding="utf-8") as handle:
                record = json.load(handle)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise OllamaError(f"source_record {path} cannot be read ({exc}): {remedy}, or fix it") from exc
        problem = record_problem(record)
        if problem:
            raise OllamaError(f"source_record {path} is not what ollama_model writes ({problem}): {remedy}")
        return record

    def remember_source(self, record: dict, blob: str, source: str) -> None:
        """Notes that Ollama made `blob` from the upload `source`, atomically, beside the other entries."""
        path = self.params["source_record"]
        record = dict(record, **{blob: source})
        try:
            os.makedirs(os.path.dirname(path) or ".", mode=0o700, exist_ok=True)
            partial = f"{path}.partial"
            with open(partial, "w", encoding="utf-8") as handle:
                json.dump(record, handle, indent=1, sort_keys=True)
            os.replace(partial, path)
        except OSError as exc:
            self.module.warn(f"could not record in {path} that Ollama made {blob} from {source} ({exc}): the next run will create the model again")

    def created_model(self) -> dict:
        wanted = self.wanted()
        weights = None
        base = None
        if self.params["source"]:
            weights = self.source_weights()
        else:
            base_name = self.params["from"]
            try:
                ModelName.parse(base_name)
            except InvalidModelName as exc:
                raise OllamaError(f"from: {exc}") from exc
            base_show = self.client.show(base_name)
            if base_show is None:
                raise OllamaError(
                    f"the base model '{base_name}' (from) does not exist in Ollama: pull or create it first,"
                    f" for example with selfhosted.genai.ollama_model name={base_name}"
                )
            base = customisation_of(base_show)
        expected = expected_customisation(wanted, base, weights)

        entry = self.find()
        current = customisation_of(self.client.show(entry["name"])) if entry else None
        record = self.source_record() if weights is not None else {}
        if current is not None and weights is not None:
            self.result["weights_blob"] = current["weights"]
            if weights_made_from(current["weights"], weights, record):
                current["weights"] = weights
        visible = ("weights", "quantization", "system", "template", "parameters", "messages")
        before = {"name": self.name.shortest, "state": "absent"}
        if current is not None:
            before = dict({"name": self.name.shortest, "state": "present"}, **{key: current[key] for key in visible})
        after = dict({"name": self.name.shortest, "state": "present"}, **{key: expected[key] for key in visible})
        if current is not None:
            if expected["template"] is None:
                after["template"] = current["template"]
            if expected["quantization"] is None:
                after["quantization"] = current["quantization"]
            if expected["only_given_parameters"]:
                after["parameters"] = dict(current["parameters"], **expected["parameters"])
            differences = customisation_differences(expected, current)
            self.result["differences"] = differences
            if not differences:
                return self.finish(NOTHING, before, before, entry)
        if self.module.check_mode:
            return self.finish(CREATE, before, after, entry)

        if weights is not None and not self.client.has_blob(weights):
            watch = Stopwatch()
            self.retrying(lambda: self.client.push_blob(weights, self.params["source"], timeout=self.params["stream_timeout"]))
            self.result["upload"] = {"bytes": os.path.getsize(self.params["source"]), "seconds": watch.seconds}
        request = create_request(self.name.shortest, wanted, weights, os.path.basename(self.params["source"] or "model.gguf"))
        for _event in self.client.create(request, timeout=self.params["stream_timeout"]):
            pass
        entry = self.find()
        if entry is None:
            raise OllamaError(f"Ollama reported creating '{self.params['name']}' but does not list the model")
        created = customisation_of(self.client.show(entry["name"]))
        if weights is not None:
            self.result["weights_blob"] = created["weights"]
            if created["weights"] is not None and created["weights"] != weights:
                self.remember_source(record, created["weights"], weights)
                created["weights"] = weights
        left = customisation_differences(expected, created)
        if left:
            self.module.warn(f"created {entry['name']}, but Ollama shows {', '.join(left)} differently than asked; the next run will report a change")
        return self.finish(CREATE, before, after, entry)


def validate(module: AnsibleModule) -> ModelName:
    """Refuses bad input before any request; converts parameters to the types Ollama expects."""
    params = module.params
    try:
        name = ModelName.parse(params["name"])
    except InvalidModelName as exc:
        module.fail_json(msg=str(exc))
    problems = option_problems(params)
    if params["timeout"] <= 0:
        problems.append(f"timeout must be a positive number of seconds, not {params['timeout']}")
    if problems:
        module.fail_json(msg="; ".join(problems))
    try:
        params["parameters"] = check_parameters(params["parameters"]) if params["parameters"] is not None else None
    except ParameterProblem as exc:
        module.fail_json(msg=str(exc))
    return name


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(),
        supports_check_mode=True,
        mutually_exclusive=MUTUALLY_EXCLUSIVE,
    )
    name = validate(module)
    manager = ModelManager(module, OllamaClient.from_module(module), name)
    try:
        if module.params["state"] == "absent" or (module.params["source"] is None and module.params["from"] is None):
            result = manager.registry_model()
        else:
            result = manager.created_model()
    except OllamaError as exc:
        module.fail_json(msg=str(exc), **{key: value for key, value in manager.result.items() if key not in ("changed", "diff")})
    module.exit_json(**result)


if __name__ == "__main__":
    main()
