"""Stands in for ansible-test's get-pip bootstrap script, which it downloads from a host that these
machines cannot reach. Bootstraps pip from the interpreter's bundled copy, then installs the versions
ansible-test asks for from the package index that pip is configured with."""

import subprocess
import sys

# get-pip.py options that pip install does not know.
GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}

subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade", *[a for a in sys.argv[1:] if a not in GET_PIP_ONLY]])
