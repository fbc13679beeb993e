"""定型文: saved texts with channels and category, chosen in the composer or `queue add
--template`; placeholders (``{日付}``, ``{曜日}``, ``{時刻}``) are filled from each post's time.

Shared templates (owner None) are seen by everyone and changed only by chiefs; anyone may keep
their own. Every change is audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from kodaira_desktop.domain.templates import Template, fill
from kodaira_desktop.services import audit
from kodaira_desktop.services.accounts import acting_user
from kodaira_desktop.services.context import AppContext, ServiceError

if TYPE_CHECKING:
    from kodaira_desktop.services.compose import ComposeRequest

MAX_NAME = 128


def list_templates(ctx: AppContext) -> list[Template]:
    return ctx.store.list_templates(acting_user(ctx).login)


def find(ctx: AppContext, name: str) -> Template:
    """The acting user's own template of that name, else the shared one."""
    found = [t for t in list_templates(ctx) if t.name == name]
    if not found:
        raise ServiceError(
            f"定型文「{name}」はありません (there is no template {name!r})", invalid=True
        )
    return next((t for t in found if not t.shared), found[0])


def save(
    ctx: AppContext,
    name: str,
    text: str,
    channels: Sequence[str] = (),
    category: str | None = None,
    *,
    shared: bool = True,
) -> Template:
    user = acting_user(ctx)
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ServiceError(f"定型文の名前は 1〜{MAX_NAME} 文字にしてください", invalid=True)
    if not text.strip():
        raise ServiceError("定型文の本文が空です (the template's text is empty)", invalid=True)
    known = {c.key for c in ctx.store.list_channels()}
    if unknown := [key for key in channels if key not in known]:
        raise ServiceError(f"チャンネル「{'、'.join(unknown)}」はありません", invalid=True)
    if shared and not user.is_chief:
        raise ServiceError(
            "共有の定型文を変更できるのは課長だけです。自分用として保存してください "
            "(only a chief changes shared templates: save it as your own)",
            invalid=True,
        )
    template = ctx.store.save_template(
        name=name,
        text=text,
        channels=list(dict.fromkeys(channels)),
        category=category,
        owner=None if shared else user.login,
        updated_by=user.login,
    )
    audit.record(
        ctx,
        "template.saved",
        f"template:{template.id}",
        {"name": name, "shared": shared, "channels": list(template.channels)},
    )
    return template


def remove(ctx: AppContext, name: str, *, shared: bool = True) -> None:
    user = acting_user(ctx)
    if shared and not user.is_chief:
        raise ServiceError(
            "共有の定型文を削除できるのは課長だけです (only a chief removes shared templates)",
            invalid=True,
        )
    if not ctx.store.delete_template(name, None if shared else user.login):
        raise ServiceError(
            f"定型文「{name}」はありません (there is no template {name!r})", invalid=True
        )
    audit.record(ctx, "template.removed", f"template:{name}", {"shared": shared})


def fill_placeholders(ctx: AppContext, request: ComposeRequest) -> ComposeRequest:
    """The request with its placeholders filled from the time it will be scheduled at (when it
    asks for that: ``fill_placeholders``)."""
    if not request.fill_placeholders:
        return request
    now = ctx.clock.now().replace(microsecond=0)
    if request.at is None:
        when = now if request.emergency_reason else ctx.policy.next_allowed(now)
    elif request.at.tzinfo is None:
        return request  # refused by the check
    else:
        when = request.at
    local = ctx.policy.localize(when)
    return replace(
        request,
        text=fill(request.text, local),
        overrides={k: fill(v, local) for k, v in request.overrides.items()},
        fill_placeholders=False,
    )
