"""Platform text limits; the X cases come from twitter-text's conformance/validate.yml."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kodaira_desktop.domain.text_rules import (
    RULES,
    check_text,
    find_x_url_spans,
    utf16_length,
    x_weighted_length,
)

ZWJ = "\u200d"
FAMILY = ZWJ.join("👨👩👧👦")
ENGLAND_FLAG = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
CJK_160 = (
    "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。朱雀桥边野草花，乌衣巷口夕阳斜。"
    "旧时王谢堂前燕，飞入寻常百姓家。朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。"
    "泪湿罗巾梦不成，夜深前殿按歌声。红颜未老恩先断，斜倚薰笼坐到明。独在异乡为异客，每逢佳节倍思亲。"
    "遥知兄弟登高处，遍插茱萸少一人。"
)
XS = "xxxxxxxxxx-" * 24  # 264 characters
AIUEO = "あいうえおかきくけこ"
PUNCTUATION = (
    "This is a tweet with general punctuation characters: "
    + "".join(chr(cp) for cp in range(0x2000, 0x200C))
    + " ‐ ‑ ‒ – — ― ‖  ‗ ‘ ’ ‚ ‛ “ ” „ ‟ ′ ″ ‴ ‵ ‶ ‷"
)


def _long_invalid_url_text() -> str:
    long_url = "https://" + "somesuperlongurl" * 249 + ".com/foo"
    return (
        "Long url with invalid domain labels and a short url: "
        + " ".join([long_url] * 3)
        + " https://validurl.com"
    )


# (description from validate.yml, text, expected weightedLength) —
# WeightedTweetsWithDiscountedEmojiCounterTest and UnicodeDirectionalMarkerCounterTest.
CONFORMANCE = [
    ("Regular Tweet with url", "Hi http://test.co", 26),
    ("Just url", "http://test.co", 23),
    ("Long tweet, overflow at char index 280", "285 chars-" + XS + "xxxxxxxxxx-", 285),
    ("Long tweet with url in the middle", "285 chars- http://www.twitter.com/jack " + XS, 299),
    ("Long tweet with url at the end", XS + " http://www.twitter.com/jack ", 289),
    ("10 url string, no overflow", "https://www.twitter.com/aloha " * 10, 240),
    ("160 CJK char", CJK_160, 320),
    ("160 emoji char", "😷" * 160, 320),
    ("3 latin char + 160 CJK char", "the" + CJK_160, 323),
    ("'Á' is normalized into 1 char", "A\u0301B", 2),
    ("שּׁ is normalized into 3 chars", "A\ufb2c", 4),
    ("282 chars with a normalized character", "282 chars-" + XS + "xxxxxA\u0301x", 281),
    ("mix of single and double word characters", "H🐱☺" + FAMILY, 7),
    ("emoji chars inside the BMP", "😷👾😡🔥💩", 10),
    ("emoji with skin tone modifiers", "🙋🏽👨" + ZWJ + "🎤", 4),
    ("General Punctuation, no ZWJ/ZWNJ", PUNCTUATION, 110),
    ("long url with invalid domain labels", _long_invalid_url_text(), 12079),
    ("64 character domain without protocol", "randomurl" * 7 + "s.com", 68),
    ("CJK host over 63 punycode chars", AIUEO * 12 + " http://" + AIUEO * 5 + "あいう.com", 358),
    ("CJK host under 63 punycode chars", AIUEO * 12 + " http://" + AIUEO * 5 + "あい.com", 264),
    ("140 family emoji", FAMILY * 140, 280),
    ("Unicode 10.0 emoji", "Unicode 10.0 emoji: 🤪; 🧕; 🧕🏾; " + ENGLAND_FLAG, 34),
    ("Unicode 9.0 emoji", "Unicode 9.0 emoji: 🤠; 💃; 💃🏾", 29),
    ("Handle invalid characters", "ABC\u202a\uffffABC\ufffe", 12),
    ("directional characters", "\u2066\u202ahttp://foobar.پاکستان/\u202c\u2069", 31),
    # "lengths" section
    ("Count a URL without protocol", "test.com", 23),
    ("Count multiple URLs", "Test https://test.com test https://test.com test.com test", 86),
    ("chars outside the BMP", "\U00010000\U0010ffff", 4),
    ("Korean syllables", "저찀쯿쿿", 8),
]


@pytest.mark.parametrize(("description", "text", "expected"), CONFORMANCE)
def test_x_weighted_length_matches_twitter_text(description: str, text: str, expected: int) -> None:
    assert x_weighted_length(text) == expected, description


def test_japanese_140_is_exactly_280_and_141_is_over() -> None:
    ok = check_text("x", "小" * 140)
    over = check_text("x", "小" * 141)
    assert (ok.count, ok.ok) == (280, True)
    assert (over.count, over.ok) == (282, False)
    assert "282" in over.problems[0]
    assert "280" in over.problems[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("🇯🇵", 2),  # flag = two regional indicators
        ("1️⃣#⃣", 4),  # keycaps with and without VS16
        ("❤️", 2),  # VS16 is absorbed
        ("©", 1),  # text-style © stays light
        ("©️", 2),  # emoji-style ©
        ("👍🏿", 2),
        ("🏳️‍🌈", 2),
        ("小平市", 6),
        ("ｶﾀｶﾅ", 8),  # half-width katakana are outside the light ranges
        ("ABC", 3),
        (FAMILY + ZWJ + "👦", 5),  # a fifth joined pictograph starts a new count
    ],
)
def test_x_emoji_and_cjk_weights(text: str, expected: int) -> None:
    assert x_weighted_length(text) == expected


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("詳細はkodaira.lg.jp をご覧ください", ["kodaira.lg.jp"]),
        (
            "https://www.city.kodaira.tokyo.jp/a/b.html。",
            ["https://www.city.kodaira.tokyo.jp/a/b.html"],
        ),
        ("（https://example.com/a）", ["https://example.com/a"]),
        ("see https://w.org/wiki/Primer_(film).", ["https://w.org/wiki/Primer_(film)"]),
        ("(https://example.com/foo)", ["https://example.com/foo"]),
        ("HTTPS://www.ExaMPLE.COM/index.html", ["HTTPS://www.ExaMPLE.COM/index.html"]),
        ("t.co and foo.co.jp", ["t.co", "foo.co.jp"]),
        ("example.jp alone is not linked", []),
        ("example.jp/path is", ["example.jp/path"]),
        ("mail@kodaira.lg.jp", []),
        ("ftp://www.example.com/", []),
        ("version 1.2.3 and 10.0", []),
        ("http://domain-dash_2314352345_dfasd.foo-cow_4352.com", []),
        ("http://test_underscore.twitter.com", ["http://test_underscore.twitter.com"]),
    ],
)
def test_x_url_recognition(text: str, urls: list[str]) -> None:
    assert [text[start:end] for start, end in find_x_url_spans(text)] == urls


def test_x_invalid_character_is_a_problem() -> None:
    assert not check_text("x", "ABC\ufffe").ok


@pytest.mark.parametrize("platform", ["x", "line", "facebook"])
@pytest.mark.parametrize("text", ["", "  \n\u3000"])
def test_empty_body_is_a_problem(platform: str, text: str) -> None:
    result = check_text(platform, text)
    assert not result.ok
    assert "空" in result.problems[0]


def test_line_counts_utf16_units() -> None:
    assert utf16_length("𠮷野家") == 4
    assert check_text("line", "𠮷" * 2500).ok
    over = check_text("line", "𠮷" * 2500 + "a")
    assert (over.count, over.limit, over.ok) == (5001, 5000, False)
    assert check_text("line", "あ" * 5000).ok


def test_facebook_limit() -> None:
    assert check_text("facebook", "a" * 63_206).ok
    assert not check_text("facebook", "a" * 63_207).ok


def test_youtube_description_is_limited_in_utf8_bytes() -> None:
    fits = check_text("youtube", "あ" * 1666 + "ab", title="小平市のお知らせ")
    assert (fits.count, fits.ok) == (5000, True)
    over = check_text("youtube", "あ" * 1667, title="小平市のお知らせ")
    assert (over.count, over.limit, over.ok) == (5001, 5000, False)
    assert "半角文字分（全角は3）" in over.problems[0]


def test_youtube_empty_description_is_fine_but_title_is_required() -> None:
    assert check_text("youtube", "", title="市報").ok
    assert not check_text("youtube", "", title=None).ok
    assert not check_text("youtube", "", title="  ").ok


def test_youtube_title_length() -> None:
    assert check_text("youtube", "", title="題" * 100).ok
    result = check_text("youtube", "", title="題" * 101)
    assert not result.ok
    assert (result.title_count, result.title_limit) == (101, 100)


@pytest.mark.parametrize(("title", "description"), [("<速報>", "本文"), ("速報", "a > b")])
def test_youtube_refuses_angle_brackets(title: str, description: str) -> None:
    result = check_text("youtube", description, title=title)
    assert not result.ok
    assert any("「<」「>」" in problem for problem in result.problems)


def test_rules_describe_every_platform() -> None:
    assert {name: rule.limit for name, rule in RULES.items()} == {
        "x": 280,
        "line": 5000,
        "facebook": 63_206,
        "youtube": 5000,
    }
    result = check_text("x", "こんにちは")
    assert f"{result.count} / {result.limit}" == "10 / 280"
    assert result.unit_ja == "文字（全角2・URL 23換算）"


def test_unknown_platform() -> None:
    with pytest.raises(ValueError, match="instagram"):
        check_text("instagram", "hi")


@given(st.text())
def test_x_length_is_never_negative_and_nfc_invariant(text: str) -> None:
    length = x_weighted_length(text)
    assert length >= 0
    assert x_weighted_length(unicodedata.normalize("NFD", text)) == length


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_utf16_length_bounds(text: str) -> None:
    assert len(text) <= utf16_length(text) <= 2 * len(text)


@given(st.text(alphabet="あいう小平市", max_size=200))
def test_japanese_counts_double(text: str) -> None:
    assert x_weighted_length(text) == 2 * len(text)
