"""WARC digests (``sha1:BASE32``, also hex and base64 as some tools write them), verified."""

from __future__ import annotations

import base64
import binascii
import hashlib
import string

_ALGORITHMS = {"sha1": "sha1", "sha-1": "sha1", "sha256": "sha256", "sha-256": "sha256",
               "md5": "md5", "sha512": "sha512", "sha-512": "sha512"}
_CONSTRUCTORS = {name: getattr(hashlib, name) for name in set(_ALGORITHMS.values())}
_EMPTY_SHA1 = "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"  # base32 of the SHA-1 of no bytes
# base32 digits (RFC 4648) as int() reads base 32 ("0-9A-V"); every other letter or digit becomes
# a character int() rejects
_B32_AS_INT = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" "0189" + string.ascii_lowercase,
                            "0123456789ABCDEFGHIJKLMNOPQRSTUV" + "!" * 30)


def decode_digest(value: str, size: int) -> bytes | None:
    """The raw digest of ``value`` (base32, base16 or base64), or None when it is none of them."""
    value = value.strip()
    decoders = (
        lambda v: base64.b32decode(v.upper()),
        lambda v: bytes.fromhex(v),
        lambda v: base64.b64decode(v, validate=True),
        lambda v: base64.urlsafe_b64decode(v),
    )
    for decode in decoders:
        try:
            raw = decode(value)
        except (ValueError, binascii.Error):
            continue
        if len(raw) == size:
            return raw
    return None


class Hasher:
    """Hashes data as it is read and tells whether it matches a declared digest."""

    def __init__(self, algorithm: str, expected: str):
        self.hash = _CONSTRUCTORS[algorithm]()
        self.expected = expected
        self.update = self.hash.update

    @classmethod
    def for_header(cls, value: str | None) -> "Hasher | None":
        """None when there is no digest or its algorithm is unknown (nothing to verify)."""
        declared = _declared(value)
        return cls(*declared) if declared else None

    def matches(self) -> bool:
        """Whether the data hashed matches; a value that decodes to no digest does not."""
        return _matches(self.expected, self.hash.digest())


def _declared(value: str | None) -> tuple[str, str] | None:
    """(hashlib name, expected digest text) of a digest header, None if there is nothing to verify."""
    if not value or ":" not in value:
        return None
    algorithm, _, expected = value.partition(":")
    name = _ALGORITHMS.get(algorithm.strip().lower())
    return (name, expected) if name else None


def _matches(expected: str, digest: bytes) -> bool:
    if _is_base32_of(expected.strip().upper(), digest):
        return True  # the usual form, without decoding
    raw = decode_digest(expected, len(digest))
    if raw is None:
        return False
    return raw == digest


def _is_base32_of(text: str, digest: bytes) -> bool:
    """Whether ``text`` is ``base64.b32encode(digest)`` (compared as numbers where base32 needs
    no padding, as for SHA-1: ``b32encode`` is pure Python, several times slower)."""
    if len(digest) % 5:
        return base64.b32encode(digest).decode("ascii") == text
    if len(text) != len(digest) * 8 // 5 or not (text.isascii() and text.isalnum()):
        return False
    try:
        return int(text.translate(_B32_AS_INT), 32) == int.from_bytes(digest, "big")
    except ValueError:
        return False


def verify(value: str | None, data: bytes) -> bool | None:
    """Whether ``data`` has the digest ``value`` declares; None when there is nothing to verify."""
    if value is not None and value[:5] == "sha1:" and len(value) == 37:  # the usual form, looked up once
        if not data and value[5:] == _EMPTY_SHA1:  # a request's payload
            return True
        return _matches(value[5:], hashlib.sha1(data).digest())
    declared = _declared(value)
    if declared is None:
        return None
    return _matches(declared[1], _CONSTRUCTORS[declared[0]](data).digest())
