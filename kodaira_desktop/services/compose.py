"""Compose one item and queue it on several channels: validation, policy, and scheduling."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.media_rules import MediaInfo, check_media
from kodaira_desktop.domain.records import Channel, Item, MediaLink, MediaRecord, User
from kodaira_desktop.domain.states import EDITABLE_STATES, EntryState
from kodaira_desktop.domain.text_rules import TextCheck, check_text
from kodaira_desktop.policy import Decision, PostingPolicy
from kodaira_desktop.services import attachment_rules, audit, chiefs, downscale, media
from kodaira_desktop.services.accounts import acting_user
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.services.downscale import Downscalable
from kodaira_desktop.services.policy_admin import policy_in_force
from kodaira_desktop.services.templates import fill_placeholders

#: A time this far in the past is a mistake, not "now".
PAST_TOLERANCE = timedelta(minutes=1)


@dataclass(frozen=True)
class ComposeRequest:
    text: str
    channels: tuple[str, ...]
    #: channel key -> text that replaces the common text on that channel.
    overrides: Mapping[str, str] = field(default_factory=dict)
    title: str | None = None
    media: tuple[Path, ...] = ()
    #: Public HTTPS URLs of the images, for LINE.
    image_urls: tuple[str, ...] = ()
    category: str = "お知らせ"
    #: None: the next allowed instant (or now, for an emergency).
    at: datetime | None = None
    emergency_reason: str | None = None
    #: Links the items of one repeat (set by services/repeats.py).
    series_id: str | None = None
    #: 代替テキスト, one per image of ``media`` in order (videos take none).
    alt_texts: tuple[str, ...] = ()
    #: Fill 定型文 placeholders ({日付}, {曜日}, {時刻}) from the scheduled time.
    fill_placeholders: bool = False

    def text_for(self, channel: str) -> str:
        return self.overrides.get(channel, self.text)


@dataclass(frozen=True)
class ComposeCheck:
    texts: dict[str, TextCheck]
    #: channel key -> problems (Japanese sentences), only channels with problems.
    channel_problems: dict[str, tuple[str, ...]]
    problems: tuple[str, ...]
    notes: tuple[str, ...]
    scheduled_at: datetime | None
    decision: Decision | None
    media: tuple[MediaInfo, ...]
    #: Images over a chosen platform's size or pixel limit that a smaller copy would let
    #: through (the composer offers 縮小; the command line refuses with the reason).
    downscalable: tuple[Downscalable, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and not self.channel_problems

    def summary(self) -> str:
        lines = list(self.problems)
        lines += [f"{key}: {p}" for key, found in self.channel_problems.items() for p in found]
        return " / ".join(lines)


@dataclass(frozen=True)
class Submitted:
    item_id: int
    state: EntryState
    scheduled_at: datetime
    override_id: int | None
    #: Warnings that do not refuse the post (e.g. LINE's 1 MB preview).
    notes: tuple[str, ...] = ()


def allowed_channels(ctx: AppContext, user: User) -> list[Channel]:
    """Chiefs may use every channel; staff only those the chief designated them for."""
    channels = ctx.store.list_channels()
    if user.role == "chief" and chiefs.is_chief(ctx, user):
        return channels
    return [c for c in channels if c.key in user.channels]


def _media_for(
    platform: str, files: Sequence[MediaInfo], image_urls: Sequence[str] = ()
) -> list[MediaInfo]:
    """Videos go to YouTube (and X/Facebook when alone); images to X and Facebook, and to
    LINE by their public URLs (the files are checked as the originals of those URLs)."""
    if platform == "youtube":
        return [f for f in files if f.is_video]
    if platform == "line":
        return [f for f in files if f.is_image] if image_urls else []
    images = [f for f in files if f.is_image]
    return images or [f for f in files if f.is_video][:1]


def check(
    ctx: AppContext,
    request: ComposeRequest,
    user: User | None = None,
    policy: PostingPolicy | None = None,
) -> ComposeCheck:
    """Check a request; ``policy`` None previews with the local policy (the window's greying),
    acceptance passes the signed policy in force."""
    user = user or acting_user(ctx)
    request = fill_placeholders(ctx, request)
    channels = {c.key: c for c in ctx.store.list_channels()}
    usable = {c.key for c in allowed_channels(ctx, user)}
    problems: list[str] = []
    notes: list[str] = []
    per_channel: dict[str, list[str]] = {}
    texts: dict[str, TextCheck] = {}
    files: list[MediaInfo] = []
    for path in request.media:
        try:
            files.append(media.inspect(Path(path)))
        except ServiceError as error:
            problems.append(str(error))
    if not request.channels:
        problems.append("投稿先のチャンネルを一つ以上選んでください。")
    for key in request.channels:
        channel = channels.get(key)
        if channel is None:
            problems.append(f"チャンネル「{key}」はありません。")
            continue
        found = per_channel.setdefault(key, [])
        if key not in usable:
            found.append(
                f"{user.login} さんは「{channel.display_name}」の担当者に指定されていません。"
            )
        if channel.suspended:
            found.append(f"「{channel.display_name}」は停止中です（{channel.suspended_reason}）。")
        title = request.title if channel.platform == "youtube" else None
        text_check = check_text(channel.platform, request.text_for(key), title=title)
        texts[key] = text_check
        found.extend(text_check.problems)
        if len(files) == len(request.media):  # an unreadable file is reported once, above
            found.extend(
                check_media(
                    channel.platform,
                    _media_for(channel.platform, files, request.image_urls),
                    request.image_urls if channel.platform == "line" else (),
                )
            )
        if channel.platform == "line":
            found.extend(attachment_rules.line_url_problems(files, request.image_urls))
            notes.extend(attachment_rules.line_notes(files, request.image_urls))
    notes += [
        f"「{f.path.name}」の{'、'.join(f.removed)}は取り除いて送ります。"
        for f in files
        if f.removed
    ]
    if len(files) == len(request.media):
        found_alt, alt_notes = attachment_rules.alt_text_check(files, request.alt_texts)
        problems.extend(found_alt)
        if any(
            channels[k].platform in ("x", "facebook") for k in request.channels if k in channels
        ):
            notes.extend(alt_notes)
    scheduled_at, decision = _schedule(ctx, request, problems, policy or ctx.policy)
    return ComposeCheck(
        texts=texts,
        channel_problems={k: tuple(v) for k, v in per_channel.items() if v},
        problems=tuple(problems),
        notes=tuple(dict.fromkeys(notes)),
        scheduled_at=scheduled_at,
        decision=decision,
        media=tuple(files),
        downscalable=downscale.offers(
            [channels[k].platform for k in request.channels if k in channels], files
        ),
    )


def _schedule(
    ctx: AppContext, request: ComposeRequest, problems: list[str], policy: PostingPolicy
) -> tuple[datetime | None, Decision | None]:
    now = ctx.clock.now().replace(microsecond=0)
    if request.at is None:
        when = now if request.emergency_reason else policy.next_allowed(now)
    else:
        if request.at.tzinfo is None:
            problems.append("日時にはタイムゾーンが必要です（例: 2026-11-25T10:00+09:00）。")
            return None, None
        when = request.at
        if when < now - PAST_TOLERANCE:
            problems.append(
                f"過去の日時（{format_instant(policy.localize(when))}）は指定できません。"
            )
    decision = policy.check(max(when, now))
    if request.emergency_reason is not None and not request.emergency_reason.strip():
        problems.append("緊急投稿には理由が必要です。")
    if not decision.allowed and request.emergency_reason is None:
        nxt = policy.next_allowed(when)
        refusal = policy.explain(
            format_instant(policy.localize(when)), decision.reasons, decision.holiday_name
        )
        problems.append(f"{refusal}次に投稿できるのは {format_instant(nxt)} です。")
    return when, decision


def policy_refusal(ctx: AppContext, when: datetime) -> str | None:
    """A one-sentence English+Japanese refusal for a forbidden time (under the signed policy
    in force), else None."""
    policy = policy_in_force(ctx)
    decision = policy.check(when)
    if decision.allowed:
        return None
    nxt = policy.next_allowed(when)
    why = policy.describe(decision.reasons, decision.holiday_name)
    return (
        f"{policy.localize(when).isoformat()} is outside the posting window "
        f"({', '.join(decision.reasons)}: {why}); the next allowed time is {nxt.isoformat()}"
    )


def submit(ctx: AppContext, request: ComposeRequest) -> Submitted:
    user = acting_user(ctx)
    request = fill_placeholders(ctx, request)
    result = check(ctx, request, user, policy_in_force(ctx))
    if not result.ok or result.scheduled_at is None:
        if request.at is not None and request.emergency_reason is None:
            refusal = policy_refusal(ctx, max(request.at, ctx.clock.now()))
            if refusal and not result.channel_problems and len(result.problems) == 1:
                raise ServiceError(refusal, invalid=True)
        raise ServiceError(result.summary(), invalid=True)
    records = [media.import_media(ctx, info) for info in result.media]
    channels = {c.key: c for c in ctx.store.list_channels()}
    emergency = request.emergency_reason is not None
    state = EntryState.AWAITING_APPROVAL if emergency else EntryState.SCHEDULED
    titles = {
        k: request.title
        for k in request.channels
        if request.title and channels[k].platform == "youtube"
    }
    overrides = {k: v for k, v in request.overrides.items() if k in request.channels}
    item_id = ctx.store.create_item_with_entries(
        text=request.text,
        category=request.category,
        author=user.login,
        channels=list(request.channels),
        scheduled_at=result.scheduled_at,
        state=state,
        overrides=overrides,
        titles=titles,
        media=[r.sha256 for r in records],
        public_urls=_line_urls(records, request.image_urls),
        series_id=request.series_id,
        alt_texts=_alt_texts(records, request.alt_texts),
    )
    override_id = None
    if emergency:
        from kodaira_desktop.services import approvals

        override_id = approvals.request_override(
            ctx, item_id, request.emergency_reason or "", result.scheduled_at
        )
    audit.record(
        ctx,
        "item.created",
        f"item:{item_id}",
        {
            "channels": list(request.channels),
            "scheduled_at": result.scheduled_at,
            "state": state.value,
            "media": [r.sha256 for r in records],
            "emergency_reason": request.emergency_reason,
        },
    )
    return Submitted(item_id, state, result.scheduled_at, override_id, result.notes)


def _kept_alt_texts(item: Item) -> tuple[str, ...]:
    """The item's alt texts, one per image in order (as a request carries them)."""
    return tuple(m.alt_text or "" for m in item.media if m.media.mime.startswith("image/"))


def _alt_texts(records: Sequence[MediaRecord], texts: Sequence[str]) -> dict[str, str]:
    """The alt text of each image, in order (blank ones are left out)."""
    images = [r for r in records if r.mime.startswith("image/")]
    return {r.sha256: t.strip() for r, t in zip(images, texts, strict=False) if t.strip()}


def _line_urls(records: Sequence[MediaRecord], urls: Sequence[str]) -> dict[str, str]:
    """The public URL of each image, in order (LINE sends images by URL)."""
    images = [r for r in records if r.mime.startswith("image/")]
    return {r.sha256: url for r, url in zip(images, urls, strict=False)}


def cancel_item(ctx: AppContext, item_id: int) -> list[int]:
    item = get_item(ctx, item_id)
    _require_may_edit(ctx, item)
    cancelled = ctx.store.cancel_item(item_id)
    audit.record(ctx, "item.cancelled", f"item:{item_id}", {"entries": cancelled})
    return cancelled


def get_item(ctx: AppContext, item_id: int) -> Item:
    item = ctx.store.get_item(item_id)
    if item is None:
        raise ServiceError(
            f"投稿 {item_id} はありません (there is no item {item_id})", invalid=True
        )
    return item


def _require_may_edit(ctx: AppContext, item: Item) -> None:
    user = acting_user(ctx)
    if not chiefs.is_chief(ctx, user):
        foreign = [e.channel_key for e in item.entries if e.channel_key not in user.channels]
        if foreign:
            raise ServiceError(
                f"{', '.join(foreign)} の担当者に指定されていません "
                "(you are not designated for them: ask the chief)",
                invalid=True,
            )
    if not any(e.state in EDITABLE_STATES for e in item.entries):
        raise ServiceError(
            f"投稿 {item.id} は送信中または送信済みのため変更できません "
            f"(item {item.id} can no longer be changed)"
        )


def update_item(
    ctx: AppContext,
    item_id: int,
    request: ComposeRequest,
    expected_version: int,
    *,
    replace_attachments: bool = False,
) -> Item:
    """Edit an item not yet sending: texts, title, category and time; with
    ``replace_attachments`` also its media (``request.media``: stored copies kept, new files
    checked, decoded and cleaned as the composer's), their alt texts and LINE image URLs.
    Channels stay as queued. Everything is checked as `submit` checks it. Held or failed
    entries whose new time is allowed are scheduled again. An approved emergency request
    covers what the chief signed: changed content is held at send time (approve again)."""
    from kodaira_desktop.store.errors import NotEditableError, VersionConflictError

    item = get_item(ctx, item_id)
    _require_may_edit(ctx, item)
    live = [e for e in item.entries if e.state != EntryState.CANCELLED]
    if set(request.channels) != {e.channel_key for e in live}:
        raise ServiceError(
            "予約済みの投稿の投稿先は変更できません。取り消して作り直してください "
            "(channels cannot be changed on a queued item)",
            invalid=True,
        )
    if not replace_attachments:
        stored = tuple(media.stored_path(ctx, m.media) for m in item.media)
        request = replace(
            request,
            media=stored,
            alt_texts=_kept_alt_texts(item),
            image_urls=tuple(m.public_url for m in item.media if m.public_url),
        )
    result = check(ctx, request, policy=policy_in_force(ctx))
    if not result.ok or result.scheduled_at is None:
        raise ServiceError(result.summary(), invalid=True)
    links = None
    if replace_attachments:
        records = [media.import_media(ctx, info) for info in result.media]
        urls, alts = _line_urls(records, request.image_urls), _alt_texts(records, request.alt_texts)
        links = [MediaLink(r.sha256, urls.get(r.sha256), alts.get(r.sha256)) for r in records]
    channels = {c.key: c for c in ctx.store.list_channels()}
    try:
        updated = ctx.store.update_item(
            item_id,
            expected_version,
            text=request.text,
            category=request.category,
            scheduled_at=result.scheduled_at,
            overrides={k: request.overrides.get(k) for k in request.channels},
            titles={
                k: request.title for k in request.channels if channels[k].platform == "youtube"
            },
            media=links,
        )
    except VersionConflictError as error:
        raise ServiceError(
            f"投稿 {item_id} は他の人が変更しました。開き直してください "
            f"(item {item_id} was changed by someone else)"
        ) from error
    except NotEditableError as error:
        raise ServiceError(
            f"投稿 {item_id} は送信中のため変更できません "
            f"(item {item_id} can no longer be changed: already sending)"
        ) from error
    for entry in updated.entries:
        if entry.state in (EntryState.HELD, EntryState.FAILED):
            ctx.store.transition(
                entry.id,
                entry.state,
                entry.version,
                EntryState.SCHEDULED,
                last_error=None,
                attempts=0,
            )
    audit.record(
        ctx,
        "item.edited",
        f"item:{item_id}",
        {
            "scheduled_at": result.scheduled_at,
            "text_sha256": _sha(request.text),
            "category": request.category,
            **({"media": [link.sha256 for link in links]} if links is not None else {}),
        },
    )
    return get_item(ctx, item_id)


def reschedule_item(ctx: AppContext, item_id: int, when: datetime) -> Item:
    """Move an item to another time (e.g. dragged to another day); the policy decides."""
    item = get_item(ctx, item_id)
    live = [e for e in item.entries if e.state != EntryState.CANCELLED]
    refusal = policy_refusal(ctx, when)
    if refusal is not None:
        raise ServiceError(refusal, invalid=True)
    request = ComposeRequest(
        text=item.text,
        channels=tuple(e.channel_key for e in live),
        overrides={e.channel_key: e.text_override for e in live if e.text_override is not None},
        title=next((e.title for e in live if e.title), None),
        category=item.category or "",
        at=when,
    )
    return update_item(ctx, item_id, request, item.version)


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
