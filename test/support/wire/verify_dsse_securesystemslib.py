"""Verifies a custody record (DSSE envelope) with securesystemslib, the Secure
Systems Lab's own library, so the test does not grade the worker with code
written beside it.

Usage: python3 verify_dsse_securesystemslib.py <envelope.json> <public-key.pem>
Prints one JSON line {"verified": bool, "path": ..., "payloadType": ..., "statement": {...}}
and exits 0 only when the signature verifies.

securesystemslib >= 0.28 ships the DSSE Envelope (securesystemslib.dsse),
which computes the pre-authentication encoding and checks the signatures
itself; Debian bookworm packages 0.26, which has the ecdsa-sha2-nistp256
verifier but not the Envelope, so there the PAE is built here from the DSSE
protocol text (github.com/secure-systems-lab/dsse, protocol.md) and the
signature checked with securesystemslib's key.
"""

import base64
import hashlib
import json
import sys

from securesystemslib import exceptions
from securesystemslib.signer import Signature, SSlibKey

envelope_path, pem_path = sys.argv[1], sys.argv[2]
with open(envelope_path, "rb") as handle:
    envelope_dict = json.load(handle)
with open(pem_path, "r", encoding="ascii") as handle:
    pem = handle.read()

payload = base64.b64decode(envelope_dict["payload"])
payload_type = envelope_dict["payloadType"]
keyid = envelope_dict["signatures"][0]["keyid"]

try:
    from securesystemslib.dsse import Envelope

    # Envelope.verify pairs signatures with keys by keyid: the key carries the envelope's keyid (the KMS key ARN).
    key = SSlibKey(keyid, "ecdsa", "ecdsa-sha2-nistp256", {"public": pem})
    envelope = Envelope.from_dict(dict(envelope_dict))
    try:
        envelope.verify([key], 1)
        verified = True
    except exceptions.VerificationError:
        verified = False
    path = "securesystemslib.dsse.Envelope"
except ImportError:
    # 0.26 insists on hex key ids; the id only pairs this key with this signature.
    hex_id = hashlib.sha256(keyid.encode("utf-8")).hexdigest()
    key = SSlibKey(hex_id, "ecdsa", "ecdsa-sha2-nistp256", {"public": pem})
    type_bytes = payload_type.encode("utf-8")
    pae = b"DSSEv1 %d %s %d %s" % (len(type_bytes), type_bytes, len(payload), payload)
    verified = False
    for signature in envelope_dict["signatures"]:
        try:
            key.verify_signature(Signature(hex_id, base64.b64decode(signature["sig"]).hex()), pae)
            verified = True
            break
        except exceptions.UnverifiedSignatureError:
            continue
    path = "securesystemslib.signer.SSlibKey over the DSSE PAE"

try:
    statement = json.loads(payload)
except ValueError:
    statement = None
print(json.dumps({"verified": verified, "path": path, "payloadType": payload_type, "statement": statement}))
sys.exit(0 if verified else 1)
