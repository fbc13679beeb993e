"""Issue 15, finding 7: control characters, bidi overrides/isolates and lone surrogates are
refused in texts and titles, with the character's position."""

from __future__ import annotations

import pytest

from kodaira_desktop.domain.text_rules import check_text
from kodaira_desktop.domain.text_safety import refused_characters, safety_problems

REFUSED = [chr(c) for c in range(0x20) if chr(c) not in "\n\t"]
REFUSED += [chr(c) for c in range(0x7F, 0xA0)]
REFUSED += [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
REFUSED += ["\ud800", "\udfff"]


@pytest.mark.parametrize("ch", REFUSED, ids=lambda ch: f"U+{ord(ch):04X}")
@pytest.mark.parametrize("platform", ["x", "line", "facebook", "youtube"])
def test_each_refused_character_is_named_with_its_position(platform: str, ch: str) -> None:
    result = check_text(platform, f"お知らせ{ch}です", title="題名")
    (problem,) = [p for p in result.problems if f"U+{ord(ch):04X}" in p]
    assert "5 文字目" in problem


def test_newline_tab_and_ordinary_text_pass() -> None:
    text = "小平市からのお知らせ\n\t・避難所 🏫 https://www.city.kodaira.tokyo.jp/ \u200d"
    assert refused_characters(text) == []
    for platform in ("x", "line", "facebook"):
        assert check_text(platform, text).ok


def test_a_youtube_title_is_checked_too() -> None:
    result = check_text("youtube", "説明", title="小平\u2067の四季")
    assert any("タイトルの 3 文字目" in p and "U+2067" in p for p in result.problems)


def test_a_lone_surrogate_is_refused_not_a_crash() -> None:
    result = check_text("line", "a\udc80b")
    assert result.count == 3
    assert any("U+DC80" in p for p in result.problems)


def test_many_refused_characters_give_one_sentence() -> None:
    (problem,) = safety_problems("\x01\x02\x03\x04\x05", "本文")
    assert "1 文字目" in problem
    assert "3 文字目" in problem
    assert "ほか 2 か所" in problem
