"""How long each platform thinks a text is, and whether it fits.

X follows the twitter-text v3 configuration (weighted length, URLs as 23, emoji
sequences as 2); LINE counts UTF-16 code units; YouTube limits the description in
UTF-8 bytes. Pure functions only: the GUI shows ``count / limit`` from `check_text`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from kodaira_desktop.domain.text_safety import safety_problems

# --- X: twitter-text v3 -------------------------------------------------------------

X_MAX_WEIGHTED_LENGTH: Final = 280
X_URL_LENGTH: Final = 23
_X_SCALE: Final = 100
_X_DEFAULT_WEIGHT: Final = 200
_X_LIGHT_WEIGHT: Final = 100
_X_LIGHT_RANGES: Final = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
#: Characters twitter-text refuses outright (BOM and the two non-characters).
_X_INVALID_CHARS: Final = frozenset("\ufffe\ufeff\uffff")

# Extended_Pictographic from Unicode emoji-data.txt (Unicode 14).
_PICTOGRAPHIC_RANGES: Final = (
    (0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049),
    (0x2122, 0x2122), (0x2139, 0x2139), (0x2194, 0x2199), (0x21A9, 0x21AA),
    (0x231A, 0x231B), (0x2328, 0x2328), (0x2388, 0x2388), (0x23CF, 0x23CF),
    (0x23E9, 0x23F3), (0x23F8, 0x23FA), (0x24C2, 0x24C2), (0x25AA, 0x25AB),
    (0x25B6, 0x25B6), (0x25C0, 0x25C0), (0x25FB, 0x25FE), (0x2600, 0x2605),
    (0x2607, 0x2612), (0x2614, 0x2685), (0x2690, 0x2705), (0x2708, 0x2712),
    (0x2714, 0x2714), (0x2716, 0x2716), (0x271D, 0x271D), (0x2721, 0x2721),
    (0x2728, 0x2728), (0x2733, 0x2734), (0x2744, 0x2744), (0x2747, 0x2747),
    (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755), (0x2757, 0x2757),
    (0x2763, 0x2767), (0x2795, 0x2797), (0x27A1, 0x27A1), (0x27B0, 0x27B0),
    (0x27BF, 0x27BF), (0x2934, 0x2935), (0x2B05, 0x2B07), (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x3030, 0x3030), (0x303D, 0x303D),
    (0x3297, 0x3297), (0x3299, 0x3299), (0x1F000, 0x1F0FF), (0x1F10D, 0x1F10F),
    (0x1F12F, 0x1F12F), (0x1F16C, 0x1F171), (0x1F17E, 0x1F17F), (0x1F18E, 0x1F18E),
    (0x1F191, 0x1F19A), (0x1F1AD, 0x1F1E5), (0x1F201, 0x1F20F), (0x1F21A, 0x1F21A),
    (0x1F22F, 0x1F22F), (0x1F232, 0x1F23A), (0x1F23C, 0x1F23F), (0x1F249, 0x1F3FA),
    (0x1F400, 0x1F53D), (0x1F546, 0x1F64F), (0x1F680, 0x1F6FF), (0x1F774, 0x1F77F),
    (0x1F7D5, 0x1F7FF), (0x1F80C, 0x1F80F), (0x1F848, 0x1F84F), (0x1F85A, 0x1F85F),
    (0x1F888, 0x1F88F), (0x1F8AE, 0x1F8FF), (0x1F90C, 0x1F93A), (0x1F93C, 0x1F945),
    (0x1F947, 0x1FAFF), (0x1FC00, 0x1FFFD),
)  # fmt: skip
_PICTOGRAPHIC_STARTS: Final = tuple(start for start, _ in _PICTOGRAPHIC_RANGES)
# © and ® look like text unless VS16 (or a modifier/ZWJ) asks for the emoji form.
_TEXT_BY_DEFAULT: Final = frozenset("\u00a9\u00ae")
_ZWJ: Final = "\u200d"
_VS16: Final = "\ufe0f"
_KEYCAP: Final = "\u20e3"
_KEYCAP_BASES: Final = frozenset("0123456789#*")
_CANCEL_TAG: Final = "\U000e007f"
# No recommended ZWJ sequence joins more than four pictographs (e.g. the family emoji);
# without the full RGI list, longer chains are split rather than counted as one.
_MAX_ZWJ_ELEMENTS: Final = 4


def _is_pictographic(ch: str) -> bool:
    cp = ord(ch)
    index = bisect_right(_PICTOGRAPHIC_STARTS, cp) - 1
    return index >= 0 and cp <= _PICTOGRAPHIC_RANGES[index][1]


def _is_regional_indicator(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def _is_skin_tone(ch: str) -> bool:
    return "\U0001f3fb" <= ch <= "\U0001f3ff"


def _is_tag(ch: str) -> bool:
    return "\U000e0020" <= ch <= "\U000e007e"


def _emoji_element_end(text: str, start: int) -> int | None:
    """End of one pictograph with its VS16, skin tone and tag characters, if any."""
    if _is_skin_tone(text[start]):
        return start + 1
    if not _is_pictographic(text[start]):
        return None
    end = start + 1
    if end < len(text) and text[end] == _VS16:
        end += 1
    if end < len(text) and _is_skin_tone(text[end]):
        end += 1
    while end < len(text) and _is_tag(text[end]):
        end += 1
    if end < len(text) and text[end] == _CANCEL_TAG:
        end += 1
    return end


def _emoji_length_at(text: str, start: int) -> int:
    """Code points of the emoji sequence starting at ``start`` (0 when there is none)."""
    first = text[start]
    following = text[start + 1] if start + 1 < len(text) else ""
    if _is_regional_indicator(first):
        return 2 if following and _is_regional_indicator(following) else 0
    if first in _KEYCAP_BASES:
        keycap_at = start + 1 + (following == _VS16)
        return keycap_at + 1 - start if text[keycap_at : keycap_at + 1] == _KEYCAP else 0
    end = _emoji_element_end(text, start)
    if end is None:
        return 0
    elements = 1
    while elements < _MAX_ZWJ_ELEMENTS and end + 1 < len(text) and text[end] == _ZWJ:
        joined_end = _emoji_element_end(text, end + 1)
        if joined_end is None:
            break
        end = joined_end
        elements += 1
    if end == start + 1 and first in _TEXT_BY_DEFAULT:
        return 0
    return end - start


def _char_weight(ch: str) -> int:
    cp = ord(ch)
    if any(low <= cp <= high for low, high in _X_LIGHT_RANGES):
        return _X_LIGHT_WEIGHT
    return _X_DEFAULT_WEIGHT


def _plain_weight(text: str) -> int:
    """Weight (in 1/100 units) of text that holds no URL."""
    total = 0
    index = 0
    while index < len(text):
        emoji_length = _emoji_length_at(text, index)
        if emoji_length:
            total += _X_DEFAULT_WEIGHT
            index += emoji_length
        else:
            total += _char_weight(text[index])
            index += 1
    return total


# --- X: URL recognition (a close approximation of twitter-text's extractor) -----------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_CC_TLDS: Final = _word_set(
    """ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br
    bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz
    ec ee eg er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw
    gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky
    kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw
    mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa
    re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg
    th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm
    zw"""
)
# Common generic TLDs, plus the Japanese regional ones a Tokyo city is likely to meet.
_GENERIC_TLDS: Final = _word_set(
    """com net org info biz edu gov mil int name pro mobi asia aero coop cat jobs museum tel
    travel app dev page blog news shop store online site website xyz top club live tech cloud
    link world today space art design events city school health media network group center
    tokyo osaka nagoya yokohama kyoto okinawa ryukyu google youtube"""
)
# Internationalised TLDs in Unicode form (any "xn--" punycode TLD is accepted as well).
_IDN_TLDS: Final = _word_set(
    """みんな コム 世界 中国 中國 香港 台湾 台灣 新加坡 公司 网络 在线 한국 рф бел укр срб
    қаз ไทย भारत السعودية امارات مصر پاکستان"""
)
_SPECIAL_SHORT_CC_TLDS: Final = frozenset({"co", "tv"})

_TLD_PATTERN: Final = "|".join(
    re.escape(tld) for tld in sorted(_CC_TLDS | _GENERIC_TLDS | _IDN_TLDS, key=len, reverse=True)
)
_LATIN_ACCENTS: Final = r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"
_ASCII_LABEL: Final = (
    rf"[a-z0-9{_LATIN_ACCENTS}](?:[a-z0-9_\-{_LATIN_ACCENTS}]*[a-z0-9{_LATIN_ACCENTS}])?"
)
_UNICODE_LABEL: Final = r"[^\W_](?:[\w\-]*[^\W_])?"
_TLD: Final = rf"(?:{_TLD_PATTERN}|xn--[a-z0-9\-]+)(?![a-z0-9@])"
_PATH_CHARS: Final = rf"a-z0-9!*';:=+,.$/%#\[\]\-_~|&@(){_LATIN_ACCENTS}\u0400-\u04ff"
_QUERY_CHARS: Final = r"a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@"
_URL_RE: Final = re.compile(
    rf"""
    (?:
        (?<![a-z0-9@＠$#＃])(?P<scheme>https?://)(?P<unicode_host>(?:{_UNICODE_LABEL}\.)+{_TLD})
      | (?<![a-z0-9@＠$#＃._/\-])(?P<ascii_host>(?:{_ASCII_LABEL}\.)+{_TLD})
    )
    (?::[0-9]+)?
    (?P<path>/[{_PATH_CHARS}]*)?
    (?P<query>\?[{_QUERY_CHARS}]*)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_URL_END_CHARS: Final = frozenset("=_#/+-&")


def _label_fits(label: str) -> bool:
    """DNS allows 63 octets a label; non-ASCII labels are measured in punycode."""
    if label.isascii():
        return len(label) <= 63
    return len("xn--") + len(label.lower().encode("punycode")) <= 63


def _host_is_valid(host: str, has_scheme: bool, has_path: bool) -> bool:
    labels = host.split(".")
    if not all(_label_fits(label) for label in labels):
        return False
    if "_" in labels[-2]:  # underscores are tolerated in subdomains only
        return False
    tld = labels[-1].lower()
    is_short_cc_domain = len(labels) == 2 and tld in _CC_TLDS - _SPECIAL_SHORT_CC_TLDS
    # twitter-text ignores a bare "name.cc" without scheme or path (too many false hits).
    return has_scheme or has_path or not is_short_cc_domain


def _trimmed_url_end(text: str, start: int, end: int) -> int:
    """Drop trailing punctuation (and unbalanced ")") the way twitter-text does."""
    while end > start:
        last = text[end - 1]
        url = text[start:end]
        if last == ")" and url.count("(") >= url.count(")"):
            return end
        if last.isalnum() or last in _URL_END_CHARS:
            return end
        end -= 1
    return end


def find_x_url_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every URL that X would shorten to a t.co link."""
    spans: list[tuple[int, int]] = []
    for match in _URL_RE.finditer(text):
        host = match.group("unicode_host") or match.group("ascii_host")
        has_path = bool(match.group("path") or match.group("query"))
        if not _host_is_valid(host, bool(match.group("scheme")), has_path):
            continue
        end = _trimmed_url_end(text, match.start(), match.end()) if has_path else match.end()
        spans.append((match.start(), end))
    return spans


def x_weighted_length(text: str) -> int:
    """Weighted length of a post on X, by the twitter-text v3 rules."""
    normalized = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for start, end in find_x_url_spans(normalized):
        total += _plain_weight(normalized[position:start]) + X_URL_LENGTH * _X_SCALE
        position = end
    total += _plain_weight(normalized[position:])
    return total // _X_SCALE


# --- LINE, Facebook, YouTube ----------------------------------------------------------


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units (astral characters such as 𠮷 or 😀 count 2)."""
    # surrogatepass: a lone surrogate is counted (and refused by text_safety), not a crash.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


LINE_TEXT_LIMIT: Final = 5_000
LINE_MAX_BUBBLES: Final = 5
FACEBOOK_TEXT_LIMIT: Final = 63_206
YOUTUBE_TITLE_LIMIT: Final = 100
YOUTUBE_DESCRIPTION_BYTE_LIMIT: Final = 5_000
_YOUTUBE_FORBIDDEN: Final = ("<", ">")


@dataclass(frozen=True)
class TextRule:
    """One platform's body-text limit, as the GUI shows it: ``count / limit unit``."""

    platform: str
    name_ja: str
    limit: int
    unit_ja: str
    count: Callable[[str], int]


RULES: Final[Mapping[str, TextRule]] = MappingProxyType(
    {
        "x": TextRule(
            "x",
            "X",
            X_MAX_WEIGHTED_LENGTH,
            "文字（全角2・URL 23換算）",
            x_weighted_length,
        ),
        "line": TextRule("line", "LINE", LINE_TEXT_LIMIT, "文字", utf16_length),
        # Facebook documents "characters"; counting UTF-16 units errs on the safe side.
        "facebook": TextRule("facebook", "Facebook", FACEBOOK_TEXT_LIMIT, "文字", utf16_length),
        "youtube": TextRule(
            "youtube",
            "YouTube",
            YOUTUBE_DESCRIPTION_BYTE_LIMIT,
            "半角文字分（全角は3）",
            utf8_length,
        ),
    }
)


@dataclass(frozen=True)
class TextCheck:
    """Result of `check_text`. For YouTube, count/limit describe the description."""

    platform: str
    count: int
    limit: int
    unit_ja: str
    problems: tuple[str, ...]
    title_count: int | None = None
    title_limit: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _over_limit(what: str, count: int, limit: int, unit: str) -> str:
    return f"{what}が {count:,} {unit}で、上限 {limit:,} を {count - limit:,} 超えています。"


def _youtube_title_problems(title: str | None) -> list[str]:
    if title is None or not title.strip():
        return ["YouTube のタイトルが空です。1〜100 文字で入力してください。"]
    problems = []
    if len(title) > YOUTUBE_TITLE_LIMIT:
        problems.append(_over_limit("YouTube のタイトル", len(title), YOUTUBE_TITLE_LIMIT, "文字"))
    if any(mark in title for mark in _YOUTUBE_FORBIDDEN):
        problems.append("YouTube のタイトルに「<」「>」は使えません。")
    return problems


def check_text(platform: str, text: str, *, title: str | None = None) -> TextCheck:
    """Check a body text (and, for YouTube, the title) against one platform's limits."""
    try:
        rule = RULES[platform]
    except KeyError:
        raise ValueError(f"unknown platform: {platform!r}") from None
    count = rule.count(text)
    problems: list[str] = []
    if platform == "youtube":
        problems += _youtube_title_problems(title)
        if any(mark in text for mark in _YOUTUBE_FORBIDDEN):
            problems.append("YouTube の説明文に「<」「>」は使えません。")
    elif not text.strip():
        problems.append(f"{rule.name_ja} の本文が空です。")
    if count > rule.limit:
        what = "YouTube の説明文" if platform == "youtube" else f"{rule.name_ja} の本文"
        problems.append(_over_limit(what, count, rule.limit, rule.unit_ja))
    body = "YouTube の説明文" if platform == "youtube" else f"{rule.name_ja} の本文"
    problems += safety_problems(text, body)
    if platform == "youtube" and title is not None:
        problems += safety_problems(title, "YouTube のタイトル")
    if platform == "x" and any(ch in _X_INVALID_CHARS for ch in text):
        problems.append("X では使えない文字（U+FEFF・U+FFFE・U+FFFF）が含まれています。")
    is_youtube = platform == "youtube"
    return TextCheck(
        platform=platform,
        count=count,
        limit=rule.limit,
        unit_ja=rule.unit_ja,
        problems=tuple(problems),
        title_count=len(title) if is_youtube and title is not None else None,
        title_limit=YOUTUBE_TITLE_LIMIT if is_youtube else None,
    )
