"""Log filter: identity and mobile numbers never reach a log in clear."""

from __future__ import annotations

import logging

from tuoyu.engines.identifiers import scrub_personal_numbers


class MaskPersonalNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = scrub_personal_numbers(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        return True
