"""Log filters: secrets in URLs never reach the log.

Django logs the path of every 4xx/5xx request ("Bad Request: /r/<token>/topics/"); a personal
link's token or a badge's check-in code in a log file would let whoever reads the log change
a registration or check someone in.
"""

import logging
import re

SECRET_IN_PATH = re.compile(r"(/(?:r|invitation)/|/checkin/)(?!walk-in/)[^/\s'\"?]+")


def mask_secrets(text: str) -> str:
    return SECRET_IN_PATH.sub(r"\1…", text)


class MaskSecretLinks(logging.Filter):
    """Replaces the secret part of personal, invitation and check-in links with '…'."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        record.msg = mask_secrets(str(record.msg))
        return True
