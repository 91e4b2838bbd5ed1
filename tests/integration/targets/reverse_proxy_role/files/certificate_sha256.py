"""Prints the SHA-256 of a certificate's DER: the one a TLS server sends for a name (host port name), or the first
one in a PEM file (a path)."""

import hashlib
import socket
import ssl
import sys

if len(sys.argv) == 4:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30) as raw, context.wrap_socket(raw, server_hostname=sys.argv[3]) as tls:
        der = tls.getpeercert(binary_form=True)
else:
    with open(sys.argv[1], encoding="ascii") as pem:
        der = ssl.PEM_cert_to_DER_cert(pem.read())
print(hashlib.sha256(der).hexdigest())
