#!/usr/bin/python3
# Parse a mail as delivered (a Maildir file) with Python's email package
# and print what a mail program would read from it, as JSON: the decoded
# subject, the text and calendar parts decoded, their transfer encodings,
# and the longest line in octets. Used by tests/integration/mail.test.mjs.
import json
import sys
from email import policy
from email.parser import BytesParser

with open(sys.argv[1], "rb") as f:
    raw = f.read()
msg = BytesParser(policy=policy.default).parsebytes(raw)
parts = {}
for part in msg.walk():
    if part.get_content_maintype() == "multipart":
        continue
    parts[part.get_content_type()] = {
        "text": part.get_content(),
        "encoding": str(part.get("content-transfer-encoding")),
    }
header_end = raw.find(b"\r\n\r\n")
print(json.dumps({
    "subject": str(msg["subject"]),
    "headers_ascii": all(b < 0x80 for b in raw[:header_end]),
    "longest_line": max(len(l) for l in raw.split(b"\r\n")),
    "defects": [str(d) for d in msg.defects],
    "parts": parts,
}))
