# make test: everything from a fresh machine (as root): toolchain, lab, lint, sanity, unit and lab tests.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
BUILD := $(CURDIR)/.build
COLLECTIONS := $(BUILD)/collections
COLLECTION_COPY := $(COLLECTIONS)/ansible_collections/selfhosted/genai
# Collections Galaxy would provide, taken from the pinned Ansible community package on PyPI.
ANSIBLE_PACKAGE := ansible==12.3.0
GALAXY_COLLECTIONS := community/docker ansible/posix community/library_inventory_filtering_v1

export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export GENAI_LAB_CACHE ?= /var/cache/genai-lab
export PATH := $(BIN):$(PATH)

.PHONY: test setup venv collections collection-copy lab lint sanity units integration lab-tests molecule browser bench bench-stack deploy molecule-deploy molecule-gpu molecule-destroy clean

# Cheap checks first, so a lint error shows before the lab's first (long) build.
test: venv collections lint sanity units lab integration lab-tests molecule
	@echo "make test: all checks passed"

setup: venv collections lab

venv: $(VENV)/.installed
$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

collections: $(COLLECTIONS)/.installed collection-copy
$(COLLECTIONS)/.installed: Makefile | venv
	rm -rf $(COLLECTIONS) && mkdir -p $(BUILD)/downloads $(COLLECTIONS)
	$(BIN)/pip download -q --no-deps -d $(BUILD)/downloads '$(ANSIBLE_PACKAGE)'
	cd $(COLLECTIONS) && unzip -q $(BUILD)/downloads/ansible-*.whl $(foreach c,$(GALAXY_COLLECTIONS),'ansible_collections/$(c)/*')
	touch $@

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

lab:
	tools/lab/lab up

lint: | venv collections
	ansible-lint --nocolor

# ansible-test sanity --venv downloads get-pip from a host this machine cannot reach; the stand-in runs
# ensurepip and then pip with the same arguments, which is all ansible-test asks of it.
sanity: collection-copy
	pip_version=$$(grep -oP "pip='\K[0-9.]+" $(VENV)/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py); \
	  mkdir -p ~/.ansible/test/cache; \
	  cp tools/get_pip_offline.py ~/.ansible/test/cache/get_pip_$${pip_version//./_}.py
	cd $(COLLECTION_COPY) && ansible-test sanity --venv --python 3.11 --color no

units: collection-copy
	$(BIN)/pytest -q -p no:cacheprovider tests/lab/test_model_mirror.py tests/lab/test_versions.py
	cd $(COLLECTION_COPY) && if [ -n "$$(find tests/unit -name 'test_*.py')" ]; then \
	  ansible-test units --venv --python 3.11 --color no; fi

# ansible-test passes no environment through, so the lab's location goes in its integration_config.yml.
# --local: the targets start containers with community.docker, which needs the docker SDK of this venv.
integration: collection-copy
	echo "genai_lab_cache: $(GENAI_LAB_CACHE)" > $(COLLECTION_COPY)/tests/integration/integration_config.yml
	cd $(COLLECTION_COPY) && ansible-test integration --local --python 3.11 --color no

lab-tests: | venv
	$(BIN)/pytest -v -p no:cacheprovider tests/lab/test_smoke.py

# The stack on Debian 12 and 13 targets that run their own Docker engine; the lab images reach it as archives
# through the roles' own archive option, the model comes from the lab's mirror.
LAB_ARCHIVES := $(GENAI_LAB_CACHE)/archives
MOLECULE_ENV := export GENAI_LAB_ARCHIVES=$(LAB_ARCHIVES) GENAI_SCREENSHOT_DIR=$(CURDIR)/tests/output/screenshots \
	  GENAI_LAB_MIRROR_IP=$$(docker inspect -f '{{ (index .NetworkSettings.Networks "genai-lab").IPAddress }}' genai-lab-mirror)
molecule: collection-copy lab browser
	tools/lab/lab export $(LAB_ARCHIVES) stack
	$(MOLECULE_ENV); molecule test --all --exclude gpu

# The deploy command of the README: this host, local connection.
deploy: venv collections
	ansible-playbook -i inventories/local playbooks/site.yml

# The same playbook into the Debian 12 Molecule target, for machines without systemd or a registry.
molecule-deploy: collection-copy lab
	tools/lab/lab export $(LAB_ARCHIVES) stack
	$(MOLECULE_ENV); molecule converge -s default

# The gpu scenario on a real NVIDIA GPU host of yours, over SSH: GENAI_GPU_HOST=... [GENAI_GPU_USER=...] make molecule-gpu
molecule-gpu: collection-copy
	@test -n "$${GENAI_GPU_HOST:-}" || { echo "set GENAI_GPU_HOST (and GENAI_GPU_USER) to a GPU host reachable over SSH"; exit 2; }
	molecule test -s gpu

molecule-destroy: | venv
	molecule destroy -s default

browser:
	command -v chromium >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# Not part of the tests: each prints a table (see the scripts' docstrings).
bench: collections
	$(BIN)/python tests/benchmarks/ollama_model.py

bench-stack: collection-copy lab
	tools/lab/lab export $(LAB_ARCHIVES) stack
	$(MOLECULE_ENV); $(BIN)/python tests/benchmarks/stack.py

clean:
	rm -rf $(BUILD) tests/output
