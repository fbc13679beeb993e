"""Hostile input, fuzzed with hypothesis: each is either accepted exactly as given or refused
with one clear sentence (exit 2, or 1 for a failure that is not the input's), never a
traceback, and a refusal writes nothing. CI-sized example counts; raise them with
``HYPOTHESIS_PROFILE=thorough``."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import Office, assert_clear_refusal, run_cli
from tests.samples import jpeg_bytes, mp4_bytes, png_bytes

settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: Control characters, lone surrogates, bidi controls, zero-width and markup.
NASTY = st.one_of(
    st.characters(codec=None, categories=("Cc", "Cs", "Cf", "Zl", "Zp", "Co")),
    st.sampled_from(["\u202e", "\u2066", "\u200f", "\ufeff", "\x00", "\r", "<", ">", "&", "\\"]),
    st.characters(),
)
TEXTS = st.text(NASTY, min_size=0, max_size=300) | st.sampled_from(
    ["<script>alert(1)</script>", "{{7*7}}", "'; DROP TABLE entries; --", "%s%n", "\u202eevil"]
)


def accepted_exactly(office: Office, item_id: str, text: str) -> None:
    rows = json.loads(office.run("queue", "list", "--json").out)
    mine = [row for row in rows if str(row["item_id"]) == item_id]
    assert mine
    assert {row["text"] for row in mine} == {text}


@given(text=TEXTS)
@example(text="あ" * (1024 * 1024))  # 1 MB
@example(text="\ud800")  # a lone surrogate
@example(text="お知らせ\x00です")
@example(text="\u202eお知らせ")
def test_texts(office: Office, text: str) -> None:
    before = office.snapshot()
    outcome = office.run("queue", "add", "--channel", "x-city", "--channel", "line",
                         "--text", text)  # fmt: skip
    if outcome.code == 0:
        accepted_exactly(office, outcome.out.strip(), text)
    else:
        assert_clear_refusal(outcome)
        assert office.snapshot() == before


@given(data=st.binary(max_size=4096))
@example(data=b"\xff\xfe\x00bad utf-8")
def test_text_files(office: Office, data: bytes) -> None:
    path = office.home / "text.txt"
    path.write_bytes(data)
    before = office.snapshot()
    outcome = office.run("queue", "add", "--channel", "facebook", "--text-file", str(path))
    if outcome.code == 0:
        accepted_exactly(office, outcome.out.strip(), data.decode("utf-8"))
    else:
        assert_clear_refusal(outcome)
        assert office.snapshot() == before


def media_bodies() -> st.SearchStrategy[bytes]:
    good = [png_bytes(40, 30), jpeg_bytes(64, 48), mp4_bytes(payload_size=2000)]
    truncated = st.sampled_from(good).flatmap(
        lambda body: st.integers(0, len(body) - 1).map(lambda n: body[:n])
    )
    corrupt = st.sampled_from(good).flatmap(
        lambda body: st.tuples(st.integers(0, len(body) - 1), st.integers(0, 255)).map(
            lambda pair: body[: pair[0]] + bytes([pair[1]]) + body[pair[0] + 1 :]
        )
    )
    return st.one_of(st.binary(max_size=2048), truncated, corrupt, st.sampled_from(good))


@given(body=media_bodies(), suffix=st.sampled_from([".png", ".jpg", ".gif", ".webp", ".mp4",
                                                   ".mov", ".txt", ""]))  # fmt: skip
@example(body=b"", suffix=".png")
@example(body=png_bytes(40, 30), suffix=".mp4")  # mislabelled
def test_media(office: Office, body: bytes, suffix: str) -> None:
    path = office.home / f"upload{suffix}"
    path.write_bytes(body)
    before = office.snapshot()
    outcome = office.run("queue", "add", "--channel", "x-city", "--text", "写真です",
                         "--media", str(path))  # fmt: skip
    if outcome.code != 0:
        assert_clear_refusal(outcome)
        assert office.snapshot() == before


def test_oversized_and_special_media(office: Office) -> None:
    huge = office.home / "huge.png"
    with huge.open("wb") as out:  # a PNG header, then 64 MB of nothing (sparse)
        out.write(png_bytes(40, 30))
        out.truncate(64 * 1024 * 1024)
    folder = office.home / "folder.png"
    folder.mkdir()
    before = office.snapshot()
    for path in (huge, folder, office.home / "missing.png", Path("/dev/null")):
        outcome = office.run("queue", "add", "--channel", "x-city", "--text", "大きい写真",
                             "--media", str(path))  # fmt: skip
        assert_clear_refusal(outcome)
        assert office.snapshot() == before


TOML_BITS = st.sampled_from([
    "[policy]\n", "timezone = ", "start = ", "end = ", "weekdays = ", "holidays = ",
    "year_end_closure = ", "extra_closed_days = ", '"08:30"', '"25:00"', '"Asia/Tokyo"',
    '"Mars/Olympus"', '["mon"]', '["xyz"]', "[]", '["12-29", "01-03"]', '["02-30"]', "1e999",
    "true", "\n", "\x00", '"\ud800"', "[[policy]]", "= =", '"JP"', '"none"', '"2027-13-01"',
])  # fmt: skip


@given(pieces=st.lists(TOML_BITS, max_size=20), raw=st.binary(max_size=200))
def test_policy_files(office: Office, pieces: list[str], raw: bytes) -> None:
    path = office.home / "policy.toml"
    text = "".join(pieces)
    path.write_bytes(text.encode("utf-8", "surrogatepass") + (raw if len(text) % 2 else b""))
    before = office.snapshot()
    outcome = run_cli(["--database", office.url, "--policy", str(path), "queue", "list"])
    if outcome.code != 0:
        assert_clear_refusal(outcome, codes=(2,))
    assert office.snapshot() == before


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(NASTY, max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=20), inner, max_size=5)
    ),
    max_leaves=12,
)


@given(
    channel=st.sampled_from(["x-city", "line", "facebook", "youtube", "nope", "../x", ""]),
    payload=st.one_of(
        JSON_VALUES.map(json.dumps),
        st.text(NASTY, max_size=200),
        st.fixed_dictionaries({"channel_access_token": st.text(NASTY, max_size=3000)}).map(
            json.dumps
        ),
    ),
)
@example(channel="line", payload='{"channel_access_token": "' + "a" * 5000 + '"}')
@example(channel="x-city", payload="[1, 2, 3]")
def test_credential_json(office: Office, channel: str, payload: str) -> None:
    before = office.snapshot()
    outcome = office.run("credentials", "set", channel, user="kacho", stdin=payload, chief=True)
    if outcome.code != 0:
        assert_clear_refusal(outcome)
        assert office.snapshot() == before


COMMANDS = [
    ["queue", "list"], ["queue", "add"], ["queue", "cancel"], ["queue", "mark"],
    ["approvals", "approve"], ["approvals", "reject"], ["users", "add"], ["channels", "suspend"],
    ["audit", "verify"], ["audit", "export"], ["db", "import"], ["users", "list"],
    ["dispatch", "--once"],
]  # fmt: skip
ARGS = st.one_of(
    st.text(NASTY, max_size=30),
    st.sampled_from(
        [
            "--at",
            "--channel",
            "--text",
            "--media",
            "-1",
            "99999999999999999999",
            "--json",
            "--as",
            "--reason",
            "x-city",
            "--",
            "-",
            "--output",
            "2026-02-30T10:00+09:00",
            "nan",
            "0x10",
            "--role",
        ]
    ),
)


@given(command=st.sampled_from(COMMANDS), args=st.lists(ARGS, max_size=6))
def test_command_line_arguments(office: Office, command: list[str], args: list[str]) -> None:
    outcome = office.run(*command, *args)
    assert "Traceback" not in outcome.err
    if outcome.code != 0:
        assert_clear_refusal(outcome)


URLS = st.one_of(
    st.text(NASTY, max_size=60),
    st.sampled_from(
        [
            "mysql://root@127.0.0.1/db",
            "postgresql://u:p@127.0.0.1:1/db",
            "sqlite:///",
            "sqlite:////proc/nope/queue.sqlite3",
            "postgresql+psycopg://@[::1:5432/x",
            "://",
            "sqlite:///%00",
            "postgresql://127.0.0.1:99999/x",
            "oracle://x",
            "sqlite://",
            "postgresql://u@127.0.0.1:1/db?sslmode=bogus",
            "http://example.com/",
        ]
    ),
    st.integers(1, 65535).map(lambda port: f"postgresql://kodaira@127.0.0.1:{port}/kodaira"),
)


@given(url=URLS)
def test_database_urls(office: Office, url: str) -> None:
    before = office.snapshot()
    outcome = run_cli(["--database", url, "--user", "tanaka", "queue", "list"])
    assert "Traceback" not in outcome.err
    if outcome.code != 0:
        assert_clear_refusal(outcome)
    assert office.snapshot() == before
