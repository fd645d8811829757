#!/usr/bin/env python3
"""Seal a case note the old way, as the portal did before notes were
bound to their meeting: XChaCha20-Poly1305 (Debian's libsodium, through
ctypes) with the fixed associated data "portal supervision case notes
v1", a random 24-byte nonce first, base64.

    seal_old_note.py KEYFILE TEXT    prints the sealed note
"""
import base64
import ctypes
import ctypes.util
import sys

AD = b"portal supervision case notes v1"


def main():
    key = bytes.fromhex(open(sys.argv[1]).read().strip())
    text = sys.argv[2].encode()
    so = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
    if so.sodium_init() < 0:
        sys.exit("libsodium cannot start")
    nonce = ctypes.create_string_buffer(24)
    so.randombytes_buf(nonce, ctypes.c_size_t(24))
    out = ctypes.create_string_buffer(len(text) + 16)
    outlen = ctypes.c_ulonglong(0)
    so.crypto_aead_xchacha20poly1305_ietf_encrypt(
        out, ctypes.byref(outlen), text, ctypes.c_ulonglong(len(text)),
        AD, ctypes.c_ulonglong(len(AD)), None, nonce.raw[:24], key)
    print(base64.b64encode(nonce.raw[:24] + out.raw[:outlen.value]).decode())


if __name__ == "__main__":
    main()
