# -*- coding: utf-8 -*-
# Copyright: selfhosted.genai contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE: it may change without notice. Only this collection's plugins use it.

"""The fingerprints of the keys in an OpenPGP public key file, computed from its packets (RFC 9580), so that a role
can check a downloaded repository key against the fingerprint its publisher announces before apt trusts it, on a
host that has no gpg. Pure functions."""

from __future__ import annotations

import base64
import binascii
import hashlib

PUBLIC_KEY = 6
PUBLIC_SUBKEY = 14


class OpenPGPError(ValueError):
    pass


def dearmor(text: str) -> bytes:
    """The binary packets of an ASCII-armored block; bytes that are not armored are taken as binary packets."""
    if isinstance(text, bytes):
        if not text.lstrip().startswith(b"-----BEGIN"):
            return text
        text = text.decode("ascii", "replace")
    lines = text.strip().splitlines()
    try:
        begin = next(i for i, line in enumerate(lines) if line.startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----"))
        end = next(i for i, line in enumerate(lines) if i > begin and line.startswith("-----END PGP PUBLIC KEY BLOCK"))
    except StopIteration:
        raise OpenPGPError("no 'BEGIN PGP PUBLIC KEY BLOCK' armor: this is not an OpenPGP public key file") from None
    body = lines[begin + 1:end]
    # Armor headers (Version:, Comment:) end at the first empty line.
    if "" in [line.strip() for line in body]:
        body = body[[line.strip() for line in body].index("") + 1:]
    data = "".join(line.strip() for line in body if line.strip() and not line.startswith("="))
    try:
        return base64.b64decode(data, validate=True)
    except binascii.Error as error:
        raise OpenPGPError(f"the armored key is not valid base64 ({error})") from None


def packets(data: bytes):
    """(tag, body) of each packet, old and new header formats (RFC 9580, 4.2)."""
    offset = 0
    while offset < len(data):
        header = data[offset]
        if not header & 0x80:
            raise OpenPGPError(f"byte {offset} does not start an OpenPGP packet")
        offset += 1
        if header & 0x40:
            tag = header & 0x3F
            first = _byte(data, offset)
            if first < 192:
                length, offset = first, offset + 1
            elif first < 224:
                length, offset = ((first - 192) << 8) + _byte(data, offset + 1) + 192, offset + 2
            elif first == 255:
                length, offset = int.from_bytes(_slice(data, offset + 1, 4), "big"), offset + 5
            else:
                raise OpenPGPError("a partial-length packet, which a key file never has")
        else:
            tag = (header >> 2) & 0x0F
            kind = header & 0x03
            if kind == 3:
                length = len(data) - offset
            else:
                size = (1, 2, 4)[kind]
                length, offset = int.from_bytes(_slice(data, offset, size), "big"), offset + size
        yield tag, _slice(data, offset, length)
        offset += length


def fingerprint(body: bytes) -> str:
    """The fingerprint of a public key packet's body: SHA-1 for version 4 keys, SHA-256 for version 6."""
    version = _byte(body, 0)
    if version == 4:
        digest = hashlib.sha1(b"\x99" + len(body).to_bytes(2, "big") + body)
    elif version == 6:
        digest = hashlib.sha256(b"\x9b" + len(body).to_bytes(4, "big") + body)
    else:
        raise OpenPGPError(f"a version {version} key, which this check does not read (versions 4 and 6)")
    return digest.hexdigest().upper()


def primary_fingerprints(text) -> list:
    """The fingerprints of the primary keys in the file, in order (subkeys are bound to their primary)."""
    found = [fingerprint(body) for tag, body in packets(dearmor(text)) if tag == PUBLIC_KEY]
    if not found:
        raise OpenPGPError("no public key in the file")
    return found


def normalize(fingerprint_text: str) -> str:
    """A fingerprint as publishers write it (spaces, lower case, 0x) in the form primary_fingerprints returns."""
    value = str(fingerprint_text).replace(" ", "").upper()
    return value[2:] if value.startswith("0X") else value


def _byte(data: bytes, offset: int) -> int:
    if offset >= len(data):
        raise OpenPGPError("the key file ends inside a packet")
    return data[offset]


def _slice(data: bytes, offset: int, length: int) -> bytes:
    if offset + length > len(data):
        raise OpenPGPError("the key file ends inside a packet")
    return data[offset:offset + length]


def key_problem(text, expected: str) -> str:
    """'' when the file holds exactly one primary key, with the expected fingerprint; else what it holds instead."""
    try:
        found = primary_fingerprints(text)
    except OpenPGPError as error:
        return f"is not a usable OpenPGP public key file: {error}"
    wanted = normalize(expected)
    if found == [wanted]:
        return ""
    if wanted in found:
        return f"holds other keys beside {wanted} ({', '.join(f for f in found if f != wanted)}), which apt would trust too"
    return f"holds the key {', '.join(found)}, not {wanted}"
