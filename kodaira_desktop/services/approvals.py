"""Emergency overrides (緊急投稿): staff request, the chief confirms by signing exactly what
will be sent, and the dispatcher publishes outside the window only with a valid signature."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from kodaira_desktop.domain.records import Item, OverrideRequest
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.security import approval_payload, chief_keys
from kodaira_desktop.services import accounts, audit
from kodaira_desktop.services.context import AppContext, ServiceError

#: How long an approved emergency override stays usable after its requested time.
OVERRIDE_WINDOW = timedelta(hours=2)


def request_override(ctx: AppContext, item_id: int, reason: str, at: datetime) -> int:
    request = ctx.store.create_override(
        item_id=item_id,
        requested_by=ctx.login,
        reason=reason,
        window_start=at,
        window_end=at + OVERRIDE_WINDOW,
    )
    audit.record(
        ctx,
        "override.requested",
        f"item:{item_id}",
        {"reason": reason, "window_start": at, "window_end": request.window_end},
    )
    return request.id


def signed_payload(item: Item, request: OverrideRequest, approver: str, at: datetime) -> bytes:
    """Exactly what the chief signs: each entry's text and title, each file's SHA-256, MIME
    type and public URL, the channels, the window, the reason, who and when."""
    live = [e for e in item.entries if e.state != EntryState.CANCELLED]
    return approval_payload.approval_payload(
        item_id=item.id,
        entries={e.channel_key: approval_payload.ApprovedEntry(e.text, e.title) for e in live},
        media=[
            approval_payload.ApprovedMedia(m.media.sha256, m.media.mime, m.public_url, m.alt_text)
            for m in item.media
        ],
        window_start=request.window_start,
        window_end=request.window_end,
        reason=request.reason,
        approver_login=approver,
        approved_at=at,
    )


def _legacy_payload(item: Item, request: OverrideRequest, approver: str, at: datetime) -> bytes:
    """What format 1 signed (only to recognise such an approval and ask for a new one)."""
    live = [e for e in item.entries if e.state != EntryState.CANCELLED]
    titles = [e.title for e in live if e.title]
    return approval_payload.approval_payload_v1(
        item_id=item.id,
        texts={e.channel_key: e.text for e in live},
        media_sha256=[m.media.sha256 for m in item.media],
        youtube_title=titles[0] if titles else None,
        channels=[e.channel_key for e in live],
        window_start=request.window_start,
        window_end=request.window_end,
        reason=request.reason,
        approver_login=approver,
        approved_at=at,
    )


#: Shown (and audited) when an approval signed in format 1 meets the dispatcher.
OLD_FORMAT_REASON = (
    "この承認は旧形式（タイトル・画像URL・添付の種類を含まない署名）のため使えません。"
    "取り消して緊急投稿を申請し直し、課長に承認し直してもらってください"
)


def pending_for(ctx: AppContext, item_id: int) -> OverrideRequest:
    pending = ctx.store.list_overrides(status="pending", item_id=item_id)
    if not pending:
        raise ServiceError(
            f"item {item_id} has no emergency request awaiting the chief", invalid=True
        )
    return pending[-1]


def approve(
    ctx: AppContext, item_id: int, password: str | None, *, chief: str | None = None
) -> OverrideRequest:
    """The chief approves: on their own PC (``chief`` None: the acting user), or on the spot
    on the requester's PC (``chief`` names them; they type their password there)."""
    approver = chief or ctx.login
    if password is None:
        raise ServiceError(
            "課長のパスワードが必要です (the chief's password is needed)", invalid=True
        )
    key = accounts.confirm_chief(ctx, approver, password, action="approvals approve")
    request = pending_for(ctx, item_id)
    item = ctx.store.get_item(item_id)
    assert item is not None
    now = ctx.clock.now()
    if now > request.window_end:
        ctx.store.decide_override(request.id, "expired", decided_by=approver)
        raise ServiceError(
            f"承認期限切れです (the request's window ended at {request.window_end:%Y-%m-%d %H:%M})"
        )
    payload = signed_payload(item, request, approver, now)
    if not ctx.store.decide_override(
        request.id,
        "approved",
        decided_by=approver,
        decided_at=now,
        signature=key.sign(payload),
        payload_hash=hashlib.sha256(payload).hexdigest(),
    ):
        raise ServiceError("他の課長が先に判断しました (another chief decided this request first)")
    for entry in item.entries:
        if entry.state == EntryState.AWAITING_APPROVAL:
            ctx.store.transition(
                entry.id, entry.state, entry.version, EntryState.SCHEDULED, last_error=None
            )
    audit.record(
        ctx,
        "override.approved",
        f"item:{item_id}",
        {"request": request.id, "payload_sha256": hashlib.sha256(payload).hexdigest()},
        actor=approver,
    )
    decided = ctx.store.get_override(request.id)
    assert decided is not None
    return decided


def reject(
    ctx: AppContext, item_id: int, reason: str, password: str | None, *, chief: str | None = None
) -> OverrideRequest:
    approver = chief or ctx.login
    if not reason.strip():
        raise ServiceError("却下の理由が必要です (a reason is required to reject)", invalid=True)
    if password is None:
        raise ServiceError(
            "課長のパスワードが必要です (the chief's password is needed)", invalid=True
        )
    accounts.confirm_chief(ctx, approver, password, action="approvals reject")
    request = pending_for(ctx, item_id)
    if not ctx.store.decide_override(
        request.id, "rejected", decided_by=approver, decision_reason=reason
    ):
        raise ServiceError("他の課長が先に判断しました (another chief decided this request first)")
    item = ctx.store.get_item(item_id)
    assert item is not None
    for entry in item.entries:
        if entry.state == EntryState.AWAITING_APPROVAL:
            ctx.store.transition(
                entry.id,
                entry.state,
                entry.version,
                EntryState.HELD,
                last_error=f"緊急投稿は課長により却下されました：{reason}",
            )
    audit.record(ctx, "override.rejected", f"item:{item_id}", {"reason": reason}, actor=approver)
    decided = ctx.store.get_override(request.id)
    assert decided is not None
    return decided


@dataclass(frozen=True)
class ApprovalVerdict:
    valid: bool
    reason: str
    request_id: int | None = None
    #: An "approved" row whose signature does not hold: forged, or edited after approval.
    suspicious: bool = False


def verify_for_dispatch(ctx: AppContext, item: Item, now: datetime) -> ApprovalVerdict:
    """Is there an approval, signed by a trusted chief over exactly this content, whose window
    contains ``now``? Anything else (no request, expired, edited after approval, a row written
    straight into the database) is not an approval."""
    approved = ctx.store.list_overrides(status="approved", item_id=item.id)
    if not approved:
        return ApprovalVerdict(False, "課長の承認がありません")
    trusted = accounts.trusted_chief_keys(ctx)
    verdict = ApprovalVerdict(False, "課長の承認がありません")
    for request in reversed(approved):
        if not request.window_start <= now <= request.window_end:
            verdict = ApprovalVerdict(False, "承認の有効期間が過ぎています", request.id)
            continue
        key = trusted.get(request.decided_by or "")
        if key is None or request.signature is None or request.decided_at is None:
            verdict = ApprovalVerdict(
                False,
                "承認の署名が信頼できる課長のものではありません",
                request.id,
                suspicious=True,
            )
            continue
        payload = signed_payload(item, request, request.decided_by or "", request.decided_at)
        if chief_keys.verify_signature(key, payload, request.signature):
            return ApprovalVerdict(True, "承認済み", request.id)
        legacy = _legacy_payload(item, request, request.decided_by or "", request.decided_at)
        if chief_keys.verify_signature(key, legacy, request.signature):
            verdict = ApprovalVerdict(False, OLD_FORMAT_REASON, request.id)
            continue
        verdict = ApprovalVerdict(
            False, "承認後に内容が変更されたか、承認が偽造されています", request.id, suspicious=True
        )
    return verdict
