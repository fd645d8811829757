# An aiosmtpd handler that keeps each message byte for byte as the
# client sent it (aiosmtpd's Mailbox re-serialises it, re-encoding
# headers), in a Maildir's new/ folder. For tests/integration/mail.test.mjs:
#   python3 -m aiosmtpd -n -l HOST:PORT -c raw_maildir.RawMaildir DIR
# with PYTHONPATH=tests/reference.
import os
import uuid


class RawMaildir:
    def __init__(self, mail_dir):
        self.new = os.path.join(mail_dir, "new")
        os.makedirs(self.new, exist_ok=True)
        os.makedirs(os.path.join(mail_dir, "tmp"), exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("RawMaildir needs the Maildir folder")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex
        tmp = os.path.join(os.path.dirname(self.new), "tmp", name)
        with open(tmp, "wb") as f:
            f.write(envelope.original_content)
        os.rename(tmp, os.path.join(self.new, name))
        return "250 OK"
