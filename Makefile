# make test: everything from a fresh machine (as root): toolchain, lab, lint, sanity, unit and lab tests.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
BUILD := $(CURDIR)/.build
COLLECTIONS := $(BUILD)/collections
COLLECTION_COPY := $(COLLECTIONS)/ansible_collections/selfhosted/genai
# Collections Galaxy would provide, taken from the pinned Ansible community package on PyPI: galaxy.yml's
# dependencies with theirs, and those only the tests use.
ANSIBLE_PACKAGE := ansible==12.3.0
ANSIBLE_WHEEL := $(BUILD)/downloads/ansible-12.3.0-py3-none-any.whl
TEST_COLLECTIONS := ansible.posix
# make deploy's own virtual environment (requirements.txt only) and the collection installed as Galaxy would.
DEPLOY := $(BUILD)/deploy
DEPLOY_BIN := $(DEPLOY)/venv/bin
GALAXY_INSTALL_TEST := $(BUILD)/galaxy-install-test

export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export GENAI_LAB_CACHE ?= /var/cache/genai-lab
export PATH := $(BIN):$(PATH)

.PHONY: help test setup venv deploy-venv galaxy-install-test collections collection-copy checks lab lab-archives lint sanity units integration lab-tests molecule molecule-upgrade browser bench bench-stack bench-backup bench-open-webui bench-load deploy molecule-deploy molecule-gpu molecule-destroy clean

help: ## this list
	@awk -F ':.*## ' '/^[a-z-]+:.*## / {printf "  %-20s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Cheap checks first, so a lint error shows before the lab's first (long) build. Each stage is timed, against
# the budget of a cold run (80 min with the cluster scenario) and a warm one (50 min).
TEST_STAGES := venv collections checks units lab integration lab-tests molecule
# Ollama's compile (CPU-bound: 13 minutes cold on 2 cores for the pinned release, 7 for the previous one) starts at
# once, beside the checks (single-threaded mostly); the lab stage waits for the pinned release only (tools/lab/lab
# holds a lock per version while it compiles), and the previous one, which only the upgrade scenario runs, goes on
# at the lowest priority behind the tests until that scenario's archive asks for it.
test: ## everything, from a fresh machine (CI runs this)
	@mkdir -p $(BUILD); tools/lab/lab compile >$(BUILD)/lab-compile.log 2>&1 & \
	started=$$(date +%s); times=""; \
	for stage in $(TEST_STAGES); do \
	  stage_started=$$(date +%s); $(MAKE) --no-print-directory $$stage; \
	  times+="$$(printf '  %-20s %5d s' $$stage $$(( $$(date +%s) - stage_started )))"$$'\n'; \
	done; \
	printf 'make test: all checks passed in %d s:\n%s' $$(( $$(date +%s) - started )) "$$times"

setup: venv collections lab ## the toolchain, the collections and the lab, no tests

venv: $(VENV)/.installed ## the pinned toolchain in .venv (requirements-dev.txt)
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

collections: $(COLLECTIONS)/.installed collection-copy ## the collections Galaxy would provide, from the pinned ansible wheel, into .build/
$(COLLECTIONS)/.installed: Makefile galaxy.yml $(ANSIBLE_WHEEL) | venv
	rm -rf $(COLLECTIONS) && mkdir -p $(COLLECTIONS)
	$(BIN)/python -c "$$WHEEL_COLLECTIONS" $(ANSIBLE_WHEEL) $(COLLECTIONS) $(TEST_COLLECTIONS)
	touch $@

# The only place the wheel comes from; any pip will do, the deploy venv's is the smaller one to build.
$(ANSIBLE_WHEEL): | deploy-venv
	$(DEPLOY_BIN)/pip download -q --no-deps -d $(BUILD)/downloads '$(ANSIBLE_PACKAGE)'
	test -f $@

# Extracts from the ansible wheel (argument 1) into a collections path (2) galaxy.yml's dependencies and the
# collections named after them, each with the dependencies its MANIFEST.json declares: what Galaxy would install.
define WHEEL_COLLECTIONS
import json, sys, zipfile, yaml
wheel, dest, *wanted = sys.argv[1:]
with open("galaxy.yml") as galaxy:
    wanted += list(yaml.safe_load(galaxy).get("dependencies") or {})
found = set()
with zipfile.ZipFile(wheel) as archive:
    members = archive.namelist()
    while wanted:
        fqcn = wanted.pop()
        prefix = "ansible_collections/" + fqcn.replace(".", "/") + "/"
        if fqcn in found:
            continue
        if prefix + "MANIFEST.json" not in members:
            sys.exit(f"{fqcn} is not in {wheel}")
        found.add(fqcn)
        archive.extractall(dest, [m for m in members if m.startswith(prefix)])
        wanted += list(json.loads(archive.read(prefix + "MANIFEST.json"))["collection_info"]["dependencies"])
print(f"{dest}: " + " ".join(sorted(found)))
endef
export WHEEL_COLLECTIONS

# ansible-test needs the collection under ansible_collections/<namespace>/<name>: a copy of the tracked tree,
# made a git repository of its own because ansible-test lists files with git, and .build/ is ignored here.
collection-copy: | $(COLLECTIONS)/.installed
	rm -rf $(COLLECTION_COPY) && mkdir -p $(COLLECTION_COPY)
	git ls-files -z --cached --others --exclude-standard | \
	  while IFS= read -r -d '' f; do [ -e "$$f" ] && printf '%s\0' "$$f"; done | \
	  tar --null -T - -cf - | tar -xf - -C $(COLLECTION_COPY)
	cd $(COLLECTION_COPY) && git init -q && git add -A
	# Molecule installs the project's collection into ~/.ansible/collections, and ansible-lint finds that copy
	# before this one: a stale copy there hides modules added since.
	rm -rf $(HOME)/.ansible/collections/ansible_collections/selfhosted/genai

# ansible-lint and ansible-test sanity are single-threaded mostly: side by side on two cores, each one's output whole
# when it ends.
checks: ## lint, galaxy-install-test and sanity side by side
	$(MAKE) --no-print-directory -j2 --output-sync=target lint galaxy-install-test sanity

lab: ## the offline lab: Docker engine, images, model mirror (tools/lab/lab up)
	tools/lab/lab up

lint: | venv collections ## ansible-lint (production profile) and ruff (ruff.toml)
	ansible-lint --nocolor
	ruff check --no-cache .

# ansible-test sanity --venv downloads get-pip from a host this machine cannot reach; the stand-in runs
# ensurepip and then pip with the same arguments, which is all ansible-test asks of it.
sanity: collection-copy ## ansible-test sanity
	pip_version=$$(grep -oP "pip='\K[0-9.]+" $(VENV)/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py); \
	  mkdir -p ~/.ansible/test/cache; \
	  cp tools/get_pip_offline.py ~/.ansible/test/cache/get_pip_$${pip_version//./_}.py
	cd $(COLLECTION_COPY) && ansible-test sanity --venv --python 3.11 --color no

units: collection-copy ## unit tests (pure logic) and the lab's own tests
	$(BIN)/pytest -q -p no:cacheprovider tests/lab/test_model_mirror.py tests/lab/test_versions.py tests/roles
	cd $(COLLECTION_COPY) && if [ -n "$$(find tests/unit -name 'test_*.py')" ]; then \
	  ansible-test units --venv --python 3.11 --color no; fi

# ansible-test passes no environment through, so the lab's location goes in its integration_config.yml.
# --local: the targets start containers with community.docker, which needs the docker SDK of this venv.
integration: collection-copy ## ansible-test integration against the lab's real Ollama and mirror
	echo "genai_lab_cache: $(GENAI_LAB_CACHE)" > $(COLLECTION_COPY)/tests/integration/integration_config.yml
	cd $(COLLECTION_COPY) && ansible-test integration --local --python 3.11 --color no

lab-tests: | venv ## the lab smoke test: real Ollama, model and both Open WebUI images
	$(BIN)/pytest -v -p no:cacheprovider tests/lab/test_smoke.py

# The stack on Debian 12 and 13 targets that run their own Docker engine; the lab images reach it as archives
# through the roles' own archive option, the model comes from the lab's mirror.
LAB_ARCHIVES := $(GENAI_LAB_CACHE)/archives
MOLECULE_ENV := export GENAI_LAB_ARCHIVES=$(LAB_ARCHIVES) GENAI_SCREENSHOT_DIR=$(CURDIR)/tests/output/screenshots \
	  GENAI_LAB_MIRROR_IP=$$(docker inspect -f '{{ (index .NetworkSettings.Networks "genai-lab").IPAddress }}' genai-lab-mirror)
MOLECULE_UPGRADE := molecule test -s upgrade --platform-name genai-upgrade-debian12
# upgrade runs on one platform of the shared two: the roles' behaviour on both releases is the tls scenario's.
# Every archive a Molecule target or the stack benchmark loads into its own engine, in one place; each is saved
# again only when its images changed.
lab-archives: lab ## the lab's images as archives for nested engines: the stack, and the upgrade tests' releases
	tools/lab/lab export $(LAB_ARCHIVES) stack
	$(LAB_UPGRADE_ARCHIVES)
# The upgrade tests' releases: the previous Ollama is compiled (or its compile waited for) here, so `molecule` asks
# for them only before the upgrade scenario, the last.
LAB_UPGRADE_ARCHIVES := tools/lab/lab export $(LAB_ARCHIVES) upgrade

molecule: collection-copy lab browser ## every Molecule scenario but gpu
	tools/lab/lab export $(LAB_ARCHIVES) stack
	$(MOLECULE_ENV); molecule test --all --exclude gpu --exclude upgrade && $(LAB_UPGRADE_ARCHIVES) && $(MOLECULE_UPGRADE)

molecule-upgrade: collection-copy lab-archives ## the upgrade scenario alone (backup, restore, upgrade and rollback)
	$(MOLECULE_ENV); $(MOLECULE_UPGRADE)

# The deploy command of the README: this host, local connection, with the collection installed as a user without
# a clone would install it (GALAXY_INSTALL below), and only requirements.txt.
deploy: deploy-venv $(ANSIBLE_WHEEL) ## deploy the stack on this host (requirements.txt only, the collection installed as from Galaxy)
	$(call GALAXY_INSTALL,$(DEPLOY)/install)
	ANSIBLE_COLLECTIONS_PATH=$(DEPLOY)/install/collections \
	  $(DEPLOY_BIN)/ansible-playbook -i inventories/local selfhosted.genai.site

deploy-venv: $(DEPLOY)/venv/.installed
$(DEPLOY)/venv/.installed: requirements.txt
	rm -rf $(DEPLOY)/venv
	$(PYTHON) -m venv $(DEPLOY)/venv
	$(DEPLOY_BIN)/pip install -q -r requirements.txt
	touch $@

# $(call GALAXY_INSTALL,DIR): the collection's tarball built into DIR, then installed into the empty DIR/collections
# with the dependencies galaxy.yml declares, resolved and version-checked by ansible-galaxy. Offline, they come from
# the ansible wheel; where Galaxy answers, `ansible-galaxy collection install -p DIR/collections TARBALL` fetches them.
# ANSIBLE_COLLECTIONS_PATH is DIR/collections alone: collections found elsewhere would count as installed.
define GALAXY_INSTALL
rm -rf $(1) && mkdir -p $(1)/dependencies/ansible_collections
$(DEPLOY_BIN)/ansible-galaxy collection build --output-path $(1) .
$(DEPLOY_BIN)/python -c "$$WHEEL_COLLECTIONS" $(ANSIBLE_WHEEL) $(1)/dependencies
ANSIBLE_COLLECTIONS_PATH=$(1)/collections $(DEPLOY_BIN)/ansible-galaxy collection install --offline \
  -p $(1)/collections $(1)/selfhosted-genai-*.tar.gz \
  $$(find $(1)/dependencies/ansible_collections -mindepth 2 -maxdepth 2 -type d)
endef

# The Galaxy path, checked: installed as above into an empty path, site.yml must load from there with the example
# inventory shipped in the tarball, and every module its roles name (also in tasks that are only included at run
# time, which --syntax-check does not load) must be found with its documentation. ansible-doc exits 0 on a module
# it cannot find, hence the grep.
galaxy-install-test: deploy-venv $(ANSIBLE_WHEEL) ## build the tarball, install it into an empty path, syntax-check the playbook from there
	$(call GALAXY_INSTALL,$(GALAXY_INSTALL_TEST))
	cd $(GALAXY_INSTALL_TEST) && export ANSIBLE_COLLECTIONS_PATH=$(GALAXY_INSTALL_TEST)/collections && \
	  installed=collections/ansible_collections/selfhosted/genai && \
	  $(DEPLOY_BIN)/ansible-playbook --syntax-check selfhosted.genai.site -i $$installed/inventories/example && \
	  modules=$$(grep -rhoE '^\s*(- )?[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+:' $$installed/roles/*/tasks \
	    $$installed/roles/*/handlers $$installed/playbooks | grep -oE '[a-z0-9_.]+' | sort -u) && \
	  { $(DEPLOY_BIN)/ansible-doc selfhosted.genai.ollama_model $$modules 2>&1 >/dev/null | \
	    { ! grep -E 'not found|ERROR'; }; }
	@echo "galaxy-install-test: $$(du -h $(GALAXY_INSTALL_TEST)/selfhosted-genai-*.tar.gz | cut -f1) tarball installs and loads"

# The same playbook into the Debian 12 Molecule target, for machines without systemd or a registry.
molecule-deploy: collection-copy lab-archives ## deploy the stack into the Debian 12 and 13 Molecule targets (machines without systemd)
	$(MOLECULE_ENV); molecule converge -s tls

# The gpu scenario on a real NVIDIA GPU host of yours, over SSH: GENAI_GPU_HOST=... [GENAI_GPU_USER=...] make molecule-gpu
molecule-gpu: collection-copy ## the gpu scenario on your GPU host: GENAI_GPU_HOST=... make molecule-gpu
	@test -n "$${GENAI_GPU_HOST:-}" || { echo "set GENAI_GPU_HOST (and GENAI_GPU_USER) to a GPU host reachable over SSH"; exit 2; }
	molecule test -s gpu

molecule-destroy: | venv ## remove the target of molecule-deploy
	molecule destroy -s tls

browser:
	command -v chromium >/dev/null && command -v certutil >/dev/null || { apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium libnss3-tools; }

# Not part of the tests: each prints a table (see the scripts' docstrings).
# The benchmarks read the lab's description through tools/lab/describe.py, as the tests do (pytest.ini).
BENCH := PYTHONPATH=$(CURDIR)/tools/lab $(BIN)/python
bench: collections ## benchmark tables: Ollama's previous and pinned releases (load, first token, tokens/s); ollama_model against the CLI; the stack (bench-stack)
	tools/lab/lab ollama
	$(BENCH) tests/benchmarks/ollama_versions.py
	$(BENCH) tests/benchmarks/ollama_model.py
	$(MAKE) bench-stack

bench-stack: collection-copy lab-archives ## benchmark tables: the stack (converge, re-run and where its time goes, first token, tokens/s)
	$(MOLECULE_ENV); $(BENCH) tests/benchmarks/stack.py

bench-backup: | venv lab ## benchmark table: backup, verify and restore of 10 000 messages
	$(BENCH) tests/benchmarks/backup.py

bench-load: collection-copy lab-archives ## benchmark table: 1, 4 and 16 users chatting through a cluster's front proxy, on 1 and 2 Ollama nodes
	$(MOLECULE_ENV); $(BENCH) tests/benchmarks/load.py

bench-open-webui: collection-copy lab ## benchmark table: a no-op run of the Open WebUI modules over 20 users and 10 presets
	$(BENCH) tests/benchmarks/open_webui_modules.py

clean: ## remove .build and tests/output
	rm -rf $(BUILD) tests/output
