"""Plan a month in a spreadsheet: import a CSV of posts (all or nothing) and export the queue.

Every row becomes a :class:`~kodaira_desktop.services.compose.ComposeRequest` and is checked by
:func:`compose.check`, exactly as ``queue add`` checks one item. Column names, encodings and
date formats are in the README ("CSV").
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kodaira_desktop.domain.records import Item, User
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import compose, media
from kodaira_desktop.services.accounts import acting_user
from kodaira_desktop.services.context import AppContext, ServiceError

#: A month's plan is a few hundred rows; anything this big is the wrong file.
MAX_CSV_BYTES = 5 * 1024 * 1024

#: Column key -> the names accepted in the header (Japanese first: the export writes those).
COLUMNS: dict[str, tuple[str, ...]] = {
    "at": ("日時", "at"),
    "channels": ("媒体", "channels"),
    "text": ("本文", "text"),
    "title": ("タイトル", "title"),
    "media": ("添付", "media"),
    "image_url": ("画像URL", "image_url"),
    "category": ("分類", "category"),
    "alt_text": ("代替テキスト", "alt_text"),
    # Written by the export, ignored by the import.
    "state": ("状態", "state"),
    "url": ("公開URL", "url"),
}
REQUIRED = ("at", "channels", "text")
EXPORT_ONLY = ("state", "url")
#: A channel's own text (instead of 本文 on that channel): 本文_x-city or text_x-city.
OVERRIDE_PREFIXES = ("本文_", "text_")
_OVERRIDE_KEY = "text:"

_CHANNEL_SEPARATORS = re.compile(r"[;；、,\s]+")
_SLASH_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


@dataclass(frozen=True)
class RowCheck:
    """One CSV row as checked: ``line`` is its line number in the file (header = 1)."""

    line: int
    channels: tuple[str, ...]
    scheduled_at: datetime | None
    problems: tuple[str, ...]
    request: compose.ComposeRequest | None

    @property
    def ok(self) -> bool:
        return not self.problems and self.request is not None

    def reason(self) -> str:
        return " / ".join(self.problems)


@dataclass(frozen=True)
class ImportCheck:
    rows: tuple[RowCheck, ...]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and all(row.ok for row in self.rows)

    @property
    def refused(self) -> tuple[RowCheck, ...]:
        return tuple(row for row in self.rows if not row.ok)


# -- reading -------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Shift_JIS as Excel writes it (CP932)."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ServiceError(
        "CSVファイルを UTF-8 でも Shift_JIS でも読めません "
        "(the CSV file is neither UTF-8 nor Shift_JIS/CP932)",
        invalid=True,
    )


def _read_bytes(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise ServiceError(
                f"CSVファイル {path} がありません (no such file: {path})", invalid=True
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_CSV_BYTES + 1)
    except OSError as error:
        raise ServiceError(
            f"CSVファイル {path} を読めません (cannot read {path}: {error.strerror})",
            invalid=True,
        ) from error
    if len(data) > MAX_CSV_BYTES:
        raise ServiceError(
            f"CSVファイルが大きすぎます（{MAX_CSV_BYTES // (1024 * 1024)} MB まで）"
            f" (the CSV file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB)",
            invalid=True,
        )
    return data


def _header_map(header: Sequence[str]) -> dict[str, int]:
    names = {name.casefold(): key for key, found in COLUMNS.items() for name in found}
    mapping: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = raw.strip().lstrip("\ufeff")
        if not name:
            continue
        key = names.get(name.casefold()) or _override_key(name)
        if key is None:
            raise ServiceError(
                f"1行目: 列「{name}」は使えません（使える列: "
                f"{', '.join('/'.join(n) for n in COLUMNS.values())}, 本文_<媒体キー>）",
                invalid=True,
            )
        if key in mapping:
            raise ServiceError(f"1行目: 列「{name}」が二つあります", invalid=True)
        mapping[key] = index
    if missing := [COLUMNS[key][0] for key in REQUIRED if key not in mapping]:
        raise ServiceError(
            f"1行目: 必要な列がありません: {', '.join(missing)} (missing columns)", invalid=True
        )
    return mapping


def _override_key(name: str) -> str | None:
    """``本文_x-city`` / ``text_x-city`` -> the key of that channel's own text column."""
    for prefix in OVERRIDE_PREFIXES:
        if name.casefold().startswith(prefix.casefold()) and name[len(prefix) :].strip():
            return _OVERRIDE_KEY + name[len(prefix) :].strip()
    return None


def _overrides(cells: dict[str, str], channels: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Each channel's own text from its 本文_<channel> cell (blank: the common text)."""
    found: dict[str, str] = {}
    problems: list[str] = []
    for key, value in cells.items():
        if not key.startswith(_OVERRIDE_KEY) or not value.strip():
            continue
        channel = key[len(_OVERRIDE_KEY) :]
        if channel not in channels:
            problems.append(
                f"列「本文_{channel}」に本文がありますが、媒体に {channel} がありません"
            )
        found[channel] = value.replace("\r\n", "\n").replace("\r", "\n")
    return found, problems


def parse_when(value: str, zone: ZoneInfo) -> datetime:
    """ISO 8601, or ``2027/04/05 9:00`` as Excel writes it; without an offset, ``zone``."""
    text = value.strip()
    match = _SLASH_DATE.match(text)
    try:
        if match:
            year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
            if match.group(4) is None:
                raise ValueError("no time")
            when = datetime(year, month, day, hour, minute, second)
        else:
            when = datetime.fromisoformat(text)
            if len(text) <= 10:  # a date alone
                raise ValueError("no time")
    except ValueError as error:
        raise ValueError(
            f"日時「{value}」を読めません（例: 2027/04/05 9:00 または 2027-04-05T09:00+09:00）"
        ) from error
    return when.replace(tzinfo=zone) if when.tzinfo is None else when


def split_channels(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for key in _CHANNEL_SEPARATORS.split(value.strip()) if key))


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _row_request(
    cells: dict[str, str], base_dir: Path, zone: ZoneInfo
) -> tuple[compose.ComposeRequest | None, tuple[str, ...], datetime | None, list[str]]:
    problems: list[str] = []
    channels = split_channels(cells.get("channels", ""))
    when: datetime | None = None
    if not cells.get("at", "").strip():
        problems.append("日時が空です")
    else:
        try:
            when = parse_when(cells["at"], zone)
        except ValueError as error:
            problems.append(str(error))
    # A line break inside a cell: Excel writes LF, other tools CRLF; the posts use LF.
    text = cells.get("text", "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        problems.append("本文が空です")
    overrides, override_problems = _overrides(cells, channels)
    problems += override_problems
    if problems:
        return None, channels, when, problems
    files = tuple(
        path if path.is_absolute() else base_dir / path
        for path in (Path(p) for p in _split_list(cells.get("media", "")))
    )
    request = compose.ComposeRequest(
        text=text,
        channels=channels,
        overrides=overrides,
        title=cells.get("title", "").strip() or None,
        media=files,
        image_urls=tuple(_split_list(cells.get("image_url", ""))),
        alt_texts=tuple(part.strip() for part in cells.get("alt_text", "").split(";"))
        if cells.get("alt_text", "").strip()
        else (),
        category=cells.get("category", "").strip() or "お知らせ",
        at=when,
    )
    return request, channels, when, problems


def check_csv(ctx: AppContext, path: Path) -> ImportCheck:
    """Read and check every row of ``path``; nothing is written."""
    return check_text(ctx, decode(_read_bytes(path)), path.resolve().parent)


def check_text(ctx: AppContext, content: str, base_dir: Path) -> ImportCheck:
    user = acting_user(ctx)
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ServiceError("CSVファイルが空です (the CSV file is empty)", invalid=True)
        columns = _header_map(header)
        rows: list[RowCheck] = []
        line = reader.line_num + 1
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            cells = {key: record[i] if i < len(record) else "" for key, i in columns.items()}
            if any(cell.strip() for cell in record[len(header) :]):
                rows.append(_extra_cells(start, cells))
                continue
            rows.append(_check_row(ctx, user, start, cells, base_dir))
    except csv.Error as error:
        raise ServiceError(
            f"{reader.line_num}行目: CSVとして読めません ({error})", invalid=True
        ) from error
    if not rows:
        raise ServiceError("CSVファイルに投稿の行がありません (no rows)", invalid=True)
    return ImportCheck(tuple(rows))


def _extra_cells(line: int, cells: dict[str, str]) -> RowCheck:
    """More cells than the header has columns: an unquoted comma would cut the text."""
    return RowCheck(
        line,
        split_channels(cells.get("channels", "")),
        None,
        ('見出しより列が多い行です（本文に「,」を含めるときは、セルを "…" で囲んでください）',),
        None,
    )


def _check_row(
    ctx: AppContext, user: User, line: int, cells: dict[str, str], base_dir: Path
) -> RowCheck:
    request, channels, when, problems = _row_request(cells, base_dir, ctx.policy.zone)
    if request is None:
        return RowCheck(line, channels, when, tuple(problems), None)
    result = compose.check(ctx, request, user)
    found = list(result.problems)
    found += [f"{key}: {p}" for key, ps in result.channel_problems.items() for p in ps]
    return RowCheck(line, channels, result.scheduled_at or when, tuple(found), request)


def import_checked(ctx: AppContext, checked: ImportCheck) -> list[int]:
    """Queue every row of a check that passed; all or nothing.

    Each row is submitted through :func:`compose.submit` (which checks it again). Should a row
    be refused now (the clock or the queue moved since the check), the items already created
    by this import are cancelled again and the refusal is raised.
    """
    if not checked.ok:
        raise ServiceError(
            f"{len(checked.refused)}行が受け付けられないため、何も取り込みませんでした "
            "(nothing imported)",
            invalid=True,
        )
    created: list[int] = []
    try:
        for row in checked.rows:
            assert row.request is not None
            try:
                created.append(compose.submit(ctx, row.request).item_id)
            except ServiceError as error:
                raise ServiceError(
                    f"{row.line}行目: {error}（何も取り込みませんでした）", invalid=error.invalid
                ) from error
    except BaseException:
        for item_id in created:
            compose.cancel_item(ctx, item_id)
        raise
    return created


# -- export --------------------------------------------------------------------------------


EXPORT_HEADER = [COLUMNS[key][0] for key in COLUMNS]


class ExportRows(list[list[str]]):
    """The exported rows and the header they are written under: the fixed columns, then one
    ``本文_<channel>`` column per channel that has its own text in any row."""

    def __init__(self, rows: Iterable[list[str]], header: Sequence[str]) -> None:
        super().__init__(rows)
        self.header = list(header)


def export_rows(ctx: AppContext, first: date | None, last: date | None) -> ExportRows:
    """One row per item with an entry scheduled from ``first`` to ``last`` (whole days, the
    policy's zone); items whose every entry is cancelled are left out."""
    zone = ctx.policy.zone
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone) if first else None
    end = (
        datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone)
        if last
        else None
    )
    item_ids = dict.fromkeys(e.item_id for e in ctx.store.list_entries(start=start, end=end))
    rows = []
    for item_id in item_ids:
        item = ctx.store.get_item(item_id)
        if item is None or all(e.state == EntryState.CANCELLED for e in item.entries):
            continue
        rows.append((_export_row(ctx, item), _own_texts(item)))
    channels = sorted({key for _row, own in rows for key in own})
    return ExportRows(
        (row + [own.get(key, "") for key in channels] for row, own in rows),
        EXPORT_HEADER + [OVERRIDE_PREFIXES[0] + key for key in channels],
    )


def _own_texts(item: Item) -> dict[str, str]:
    return {
        e.channel_key: e.text_override
        for e in item.entries
        if e.state != EntryState.CANCELLED and e.text_override is not None
    }


def _export_row(ctx: AppContext, item: Item) -> list[str]:
    live = [e for e in item.entries if e.state != EntryState.CANCELLED]
    when = ctx.policy.localize(min(e.scheduled_at for e in live))
    states = {e.state.value for e in live}
    state = (
        states.pop()
        if len(states) == 1
        else ";".join(f"{e.channel_key}:{e.state.value}" for e in live)
    )
    images = [m for m in item.media if m.media.mime.startswith("image/")]
    values = {
        "at": f"{when:%Y/%m/%d %H:%M}",
        "channels": ";".join(e.channel_key for e in live),
        "text": item.text,
        "title": next((e.title for e in live if e.title), "") or "",
        "media": ";".join(str(media.stored_path(ctx, m.media)) for m in item.media),
        "image_url": ";".join(m.public_url for m in images if m.public_url),
        "category": item.category or "",
        "alt_text": ";".join(m.alt_text or "" for m in images)
        if any(m.alt_text for m in images)
        else "",
        "state": state,
        "url": ";".join(f"{e.channel_key}={e.remote_url}" for e in live if e.remote_url),
    }
    return [values[key] for key in COLUMNS]


def export_csv(rows: Iterable[Sequence[str]]) -> str:
    """CSV text; write it with ``encoding="utf-8-sig"`` so Excel reads it as UTF-8."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows.header if isinstance(rows, ExportRows) else EXPORT_HEADER)
    writer.writerows(rows)
    return out.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 with BOM (so Excel reads it): a temp file renamed into place."""
    temp = path.with_name(f".{path.name}.tmp")
    try:
        temp.write_bytes(("\ufeff" + text).encode("utf-8"))
        os.replace(temp, path)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise ServiceError(
            f"{path} に書き込めません (cannot write {path}: {error.strerror})", invalid=True
        ) from error
