# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fingerprints computed from key packets, against what gpg printed for the same keys (fixtures/README.md), and the
refusals a role relies on: another key, a second key in the file, a file that is no key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible_collections.selfhosted.genai.plugins.module_utils._openpgp import (
    OpenPGPError,
    key_problem,
    normalize,
    primary_fingerprints,
)

FIXTURES = Path(__file__).parent / "fixtures"
RSA = "4539A4FA3707FE9D15F1D804268075337F190DEA"
ED25519 = "85CCB16F730196D45AEADC307663388176D9F50C"
ED25519_SUBKEY = "185CAD8C6886687E6F22BFCC02E18F0252446A51"


def armored(name):
    return (FIXTURES / name).read_text()


def test_an_rsa_key_has_the_fingerprint_gpg_gives():
    assert primary_fingerprints(armored("rsa2048.asc")) == [RSA]


def test_a_binary_key_file_reads_the_same():
    assert primary_fingerprints((FIXTURES / "rsa2048.gpg").read_bytes()) == [RSA]


def test_an_ed25519_key_with_a_subkey_lists_the_primary_only():
    assert primary_fingerprints(armored("ed25519-with-subkey.asc")) == [ED25519]


def test_the_expected_key_is_no_problem_written_as_publishers_write_it():
    spaced = " ".join(ED25519[i:i + 4] for i in range(0, 40, 4)).lower()
    assert key_problem(armored("ed25519-with-subkey.asc"), spaced) == ""
    assert key_problem(armored("rsa2048.asc"), "0x" + RSA) == ""


def test_another_key_is_named():
    problem = key_problem(armored("rsa2048.asc"), ED25519)
    assert problem == f"holds the key {RSA}, not {ED25519}"


def test_a_subkey_fingerprint_is_not_the_key():
    assert key_problem(armored("ed25519-with-subkey.asc"), ED25519_SUBKEY).startswith(f"holds the key {ED25519}")


def test_a_second_key_in_the_file_is_refused():
    two = (FIXTURES / "rsa2048.gpg").read_bytes() + __import__("base64").b64decode(
        "".join(line for line in armored("ed25519-with-subkey.asc").splitlines()[2:-2] if not line.startswith("="))
    )
    assert primary_fingerprints(two) == [RSA, ED25519]
    assert "which apt would trust too" in key_problem(two, RSA)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("<html>404 Not Found</html>", "no 'BEGIN PGP PUBLIC KEY BLOCK' armor"),
        ("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!!\n-----END PGP PUBLIC KEY BLOCK-----\n", "not valid base64"),
        (b"\x99\x01", "ends inside a packet"),
        (b"\x01\x02", "does not start an OpenPGP packet"),
    ],
)
def test_what_is_no_key_says_why(text, reason):
    with pytest.raises(OpenPGPError, match=reason):
        primary_fingerprints(text)
    assert reason in key_problem(text, RSA)


def test_a_truncated_armored_key_is_refused():
    lines = armored("rsa2048.asc").splitlines()
    cut = "\n".join(lines[:4] + lines[-1:])
    assert key_problem(cut, RSA) != ""


def test_normalize():
    assert normalize("0xeb69 3b30 35cd 5710 e231  e123 a4b4 6996 3bf8 63cc") == "EB693B3035CD5710E231E123A4B469963BF863CC"
