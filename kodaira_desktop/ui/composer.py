"""The composer: one text cross-posted to the channels the user is designated for.

Counters update on every keystroke (pure text rules); the full check (`compose.check`: policy,
media, designations) runs shortly after typing stops, and 予約 stays disabled until it passes.
Queueing (which copies media) runs on a worker thread. The draft is autosaved.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QWidget,
)

from kodaira_desktop.domain.dates_ja import format_instant
from kodaira_desktop.domain.records import Channel, User
from kodaira_desktop.domain.states import EntryState
from kodaira_desktop.services import channels as channel_service
from kodaira_desktop.services import compose
from kodaira_desktop.services.compose import ComposeCheck, ComposeRequest
from kodaira_desktop.services.context import AppContext, ServiceError
from kodaira_desktop.ui.channel_style import (
    ERROR_COLOUR,
    channel_label,
    ordered_channel_keys,
)
from kodaira_desktop.ui.composer_drafts import ComposerDrafts
from kodaira_desktop.ui.composer_layout import CATEGORIES, FOCUS_STYLE
from kodaira_desktop.ui.composer_queueing import (
    Repeat,
    SubmitOutcome,
    is_schedule_problem,
    queue_post,
)
from kodaira_desktop.ui.confirm_dialog import OnTheSpotDialog
from kodaira_desktop.ui.drafts import DraftStore
from kodaira_desktop.ui.emergency_dialog import EmergencyDialog
from kodaira_desktop.ui.workers import TaskRunner

__all__ = ["CATEGORIES", "FOCUS_STYLE", "Composer", "Repeat", "SubmitOutcome"]

CHECK_DELAY_MS = 150
AUTOSAVE_DELAY_MS = 800


class Composer(ComposerDrafts):
    checked = Signal(object)  # ComposeCheck
    submitted = Signal(object)  # SubmitOutcome
    submitFailed = Signal(str)  # noqa: N815 — Qt signal naming
    #: The chief approved or rejected an emergency request on this PC (the OverrideRequest).
    overrideDecided = Signal(object)  # noqa: N815

    def __init__(
        self,
        ctx: AppContext,
        user: User,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.runner = runner
        self.drafts = DraftStore(ctx.paths.drafts_dir, user.login)
        self.editing_item_id: int | None = None
        self.emergency_dialog: EmergencyDialog | None = None
        self.last_check: ComposeCheck | None = None
        self._busy = False
        self._restoring = False
        self._line_ticked = False
        self._quota_pending = False
        usable = {c.key: c for c in compose.allowed_channels(ctx, user)}
        self.channels: list[Channel] = [usable[k] for k in ordered_channel_keys(list(usable))]

        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_check)
        self._save_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_draft)

        self._build()
        self._restore_draft()
        self.run_check()

    # -- reading the form ------------------------------------------------------------------

    def selected_channels(self) -> list[str]:
        return [k for k, box in self.channel_boxes.items() if box.isChecked()]

    def build_request(self) -> ComposeRequest:
        chosen = self.selected_channels()
        overrides = {
            key: text
            for key in chosen
            if (text := self.channel_tabs[key].override_text()) is not None
        }
        youtube = [
            self.channel_tabs[k] for k in chosen if self.channel_tabs[k].platform == "youtube"
        ]
        line = [self.channel_tabs[k] for k in chosen if self.channel_tabs[k].platform == "line"]
        return ComposeRequest(
            text=self.text_edit.toPlainText(),
            channels=tuple(chosen),
            overrides=overrides,
            title=youtube[0].title() if youtube else None,
            media=tuple(self.attachments.paths()),
            alt_texts=self.alt_texts.alt_texts(),
            image_urls=tuple(line[0].image_urls()) if line else (),
            category=self.category.currentText().strip() or CATEGORIES[0],
            at=self.picker.chosen_at(),
            fill_placeholders=True,  # 定型文's {日付} etc., from the scheduled time
        )

    def _current_post(self) -> tuple[str, tuple[str, ...], str]:
        return (
            self.text_edit.toPlainText(),
            tuple(self.selected_channels()),
            self.category.currentText(),
        )

    # -- checking --------------------------------------------------------------------------

    def _show_result(self, message: str) -> None:
        """The outcome of the last action (「予約しました…」), dismissable and fading."""
        self.result_label.setText(message)
        self.dismiss_result.setVisible(bool(message))
        if message:
            self._result_timer.start()
        else:
            self._result_timer.stop()

    def is_pristine(self) -> bool:
        """Nothing typed or attached yet: problems would be noise, not help."""
        return self.current_draft().is_empty and self.editing_item_id is None

    def _on_common_text_changed(self) -> None:
        text = self.text_edit.toPlainText()
        if text and self.result_label.text() and not self._restoring:
            self._show_result("")  # the next post is being written
        for tab in self.channel_tabs.values():
            tab.set_common_text(text)
        self._on_changed()

    def _on_media_changed(self) -> None:
        paths = self.attachments.paths()
        for tab in self.channel_tabs.values():
            tab.set_media(paths)
        self._on_changed()

    def _replace_attachment(self, old: Path, new: Path) -> None:
        """A downscaled copy takes the original's place (and keeps its alt text)."""
        self.alt_texts.carry(old, new)
        self.attachments.replace_path(old, new)

    def _on_channels_changed(self) -> None:
        for key, tab in self.channel_tabs.items():
            self.tabs.setTabVisible(self.tabs.indexOf(tab), self.channel_boxes[key].isChecked())
        self.tab_stack.setCurrentIndex(1 if self.selected_channels() else 0)
        self._fetch_line_quota_if_ticked()
        self._on_changed()

    def _fetch_line_quota_if_ticked(self) -> None:
        """Ask LINE for this month's count when LINE gets ticked (on a worker)."""
        line = [t for t in self.channel_tabs.values() if t.platform == "line"]
        ticked = bool(line) and self.channel_boxes[line[0].key].isChecked()
        if ticked and not self._line_ticked and not self._quota_pending:
            self._quota_pending = True
            ctx, key, tab = self.ctx, line[0].key, line[0]

            def show(text: str | None) -> None:
                self._quota_pending = False
                tab.set_quota(text)

            self.runner.start(
                lambda: channel_service.line_quota(ctx, key), show, lambda _: show(None)
            )
        self._line_ticked = ticked

    def _on_changed(self) -> None:
        if self._restoring:
            return
        # 予約 stays as it is until the check has run (schedule() checks again anyway):
        # disabling it here would make Tab skip it while focus leaves the time field.
        self._check_timer.start()
        self._save_timer.start()

    def shut_down(self) -> None:
        """The window is closing: keep the draft, and check nothing more (the database may
        be gone by the time a pending check would run)."""
        self.flush_draft()
        self._check_timer.stop()

    def run_check(self) -> ComposeCheck | None:
        self._check_timer.stop()
        try:
            result = compose.check(self.ctx, self.build_request(), self.user)
        except ServiceError as error:
            self._show_general_problems([str(error)])
            self.schedule_button.setEnabled(False)
            return None
        self.last_check = result
        self._show_preview_context(result)
        self._show_check(result)
        self.checked.emit(result)
        return result

    def _show_preview_context(self, result: ComposeCheck) -> None:
        """Previews fill 定型文 placeholders from the time the check scheduled, and show each
        image's alt text."""
        when = result.scheduled_at and self.ctx.policy.localize(result.scheduled_at)
        texts = list(self.alt_texts.alt_texts()) + [""] * len(self.alt_texts.paths)
        alts = dict(zip(self.alt_texts.paths, texts, strict=False))
        for tab in self.channel_tabs.values():
            tab.set_preview_context(when, alts)

    def _show_check(self, result: ComposeCheck) -> None:
        bar = self.tabs.tabBar()
        pristine = self.is_pristine()
        for key, tab in self.channel_tabs.items():
            found = () if pristine else result.channel_problems.get(key, ())
            tab.show_problems(found)
            index = self.tabs.indexOf(tab)
            marked = bool(found) and self.channel_boxes[key].isChecked()
            self.tabs.setTabText(index, ("⚠ " if marked else "") + channel_label(key))
            bar.setTabTextColor(index, Qt.GlobalColor.red if marked else Qt.GlobalColor.black)
            self.tabs.setTabToolTip(index, "\n".join(found))
            box = self.channel_boxes[key]
            box.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;" if marked else "")
            box.setToolTip("\n".join(found) if marked else tab.channel.display_name)
            box.setProperty("hasProblem", marked)
        general = [] if pristine else list(result.problems)
        if self.picker.problem is not None:
            # The picker already says what is wrong with the time, with the next slot.
            general = [p for p in general if not is_schedule_problem(p)]
        self._show_general_problems(general, result.notes)
        self.downscale_offer.show_offers(() if pristine else result.downscalable)
        self.schedule_button.setEnabled(self.can_schedule(result))
        self.schedule_reason.setText(self._why_not_schedulable(result, pristine))

    def _why_not_schedulable(self, result: ComposeCheck, pristine: bool) -> str:
        if self.can_schedule(result):
            return ""
        if self._busy:
            return ""
        if not self.selected_channels():
            return "投稿先を選んでください。"
        if pristine:
            return "本文を入力すると予約できます。"
        if self.picker.problem is not None:
            return "予約日時を直してください（上の案内を参照）。"
        return "上に示した問題を直すと予約できます。"

    def _show_general_problems(self, problems: list[str], notes: tuple[str, ...] = ()) -> None:
        self.problems.setText("\n".join(f"・{p}" for p in problems))
        self.problems.setVisible(bool(problems))
        self.notes.setText("\n".join(f"（注）{n}" for n in notes))
        self.notes.setVisible(bool(notes))

    @property
    def check_pending(self) -> bool:
        """Typing happened and the full check has not run yet."""
        return self._check_timer.isActive()

    def can_schedule(self, result: ComposeCheck | None = None) -> bool:
        result = result or self.last_check
        return result is not None and result.ok and self.picker.problem is None and not self._busy

    # -- queueing --------------------------------------------------------------------------

    def schedule(self) -> None:
        result = self.run_check()
        if result is None or not self.can_schedule(result):
            return
        self._submit(self.build_request())

    def open_emergency_dialog(self) -> EmergencyDialog:
        dialog = EmergencyDialog(self.ctx.policy, self.ctx.clock.now(), self)
        dialog.accepted.connect(lambda: self._submit_emergency(dialog))
        self.emergency_dialog = dialog
        dialog.open()
        return dialog

    def _submit_emergency(self, dialog: EmergencyDialog) -> None:
        chosen = dialog.chosen_at()
        at = chosen if chosen > self.ctx.clock.now() else None  # "now" or a moment ago
        request = dataclasses.replace(
            self.build_request(), at=at, emergency_reason=dialog.reason_text()
        )
        self._submit(request)

    def _submit(self, request: ComposeRequest) -> None:
        self._set_busy(True)
        ctx, replaces = self.ctx, self.editing_item_id
        choice, start = self.repeat.choice(), self.picker.shown_at()
        repeat = (choice, start) if choice and start and not request.emergency_reason else None
        self.runner.start(
            lambda: queue_post(ctx, request, replaces, repeat),
            self._on_submitted,
            self._on_submit_failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.schedule_button.setEnabled(not busy and self.can_schedule())
        self.emergency_button.setEnabled(not busy)
        self.schedule_button.setText("予約しています…" if busy else "予約")

    def _on_submitted(self, outcome: SubmitOutcome) -> None:
        self._set_busy(False)
        done = outcome.submitted
        when = format_instant(self.ctx.policy.localize(done.scheduled_at))
        if done.state == EntryState.AWAITING_APPROVAL:
            message = (
                f"緊急投稿を受け付けました（項目 #{done.item_id}、{when}）。課長の確認待ちです。"
            )
        else:
            message = f"予約しました（項目 #{done.item_id}、{when}）。"
        if outcome.count > 1:
            message = (
                f"繰り返し {outcome.count} 回分を予約しました"
                f"（最初は項目 #{done.item_id}、{when}）。"
            )
        if outcome.replaced_item_id is not None:
            message += f" 元の項目 #{outcome.replaced_item_id} は取り消しました。"
        self.clear()
        self._show_result(message)
        if done.state == EntryState.AWAITING_APPROVAL:
            self.awaiting_item_id = done.item_id
            self.confirm_here_button.show()
        self.submitted.emit(outcome)

    def _on_submit_failed(self, message: str) -> None:
        self._set_busy(False)
        self._show_general_problems([f"予約できませんでした：{message}"])
        self.submitFailed.emit(message)

    def open_confirm_here(self) -> OnTheSpotDialog | None:
        """The chief confirms the emergency request just submitted, on this PC."""
        if self.awaiting_item_id is None:
            return None
        dialog = OnTheSpotDialog(self.ctx, self.runner, self.awaiting_item_id, self)
        dialog.succeeded.connect(self._on_confirmed_here)
        dialog.cancelled.connect(self._show_result)
        self.confirm_dialog = dialog
        dialog.open()
        return dialog

    def _on_confirmed_here(self, label: str, decided: object) -> None:
        self.confirm_here_button.hide()
        self._show_result(f"課長が緊急投稿（項目 #{self.awaiting_item_id}）を{label}しました。")
        self.awaiting_item_id = None
        self.overrideDecided.emit(decided)

    def refresh_default_time(self) -> None:
        self.picker.refresh_default()
