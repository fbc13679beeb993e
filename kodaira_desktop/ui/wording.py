"""What the window says: Japanese only, even where a service message is bilingual.

The services write one sentence for both front doors, often 「日本語 (English)」 so that IT
reading a terminal or a log understands it too. The window shows the Japanese part alone.
"""

from __future__ import annotations

import re

#: A trailing parenthesis of plain ASCII after Japanese text: the English gloss.
_ENGLISH_GLOSS = re.compile(r"\s*\((?=[^()]*[A-Za-z])[\x20-\x7e]*\)\s*$")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def for_window(message: str) -> str:
    """「パスワードが違います (wrong password for chief)」 → 「パスワードが違います」.

    A message with no Japanese in it is left whole (it may be all the user gets)."""
    head = _ENGLISH_GLOSS.sub("", message)
    if head != message and _JAPANESE.search(head):
        return head.rstrip()
    return message
