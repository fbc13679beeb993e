"""The composer's draft: read from and written to the form, autosaved, restored, discarded
(with undo), and an item loaded for editing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal

from kodaira_desktop.domain.records import Item
from kodaira_desktop.services import media
from kodaira_desktop.ui import prompts
from kodaira_desktop.ui.composer_layout import CATEGORIES, ComposerLayout
from kodaira_desktop.ui.drafts import Draft, DraftStore, draft_from_item


class ComposerDrafts(ComposerLayout):
    """Draft handling on top of the composer's widgets."""

    draftSaved = Signal()  # noqa: N815
    drafts: DraftStore
    _save_timer: QTimer
    selected_channels: Callable[[], list[str]]
    is_pristine: Callable[[], bool]

    def current_draft(self) -> Draft:
        parts = self.picker.chosen_parts()
        line = [t for t in self.channel_tabs.values() if t.platform == "line"]
        youtube = [t for t in self.channel_tabs.values() if t.platform == "youtube"]
        return Draft(
            text=self.text_edit.toPlainText(),
            channels=tuple(self.selected_channels()),
            overrides={
                k: text
                for k, tab in self.channel_tabs.items()
                if (text := tab.override_text()) is not None
            },
            title=youtube[0].title() if youtube else "",
            media=tuple(str(p) for p in self.attachments.paths()),
            image_urls=tuple(line[0].image_urls()) if line else (),
            category=self.category.currentText(),
            date=parts[0] if parts else None,
            time=parts[1] if parts else None,
            editing_item_id=self.editing_item_id,
        )

    def save_draft(self) -> None:
        self._save_timer.stop()
        draft = self.current_draft()
        if draft.is_empty and draft.editing_item_id is None:
            self.drafts.clear()
        else:
            self.drafts.save(draft)
        self.draftSaved.emit()

    def flush_draft(self) -> None:
        """Save now if a save is pending (the window is closing)."""
        if self._save_timer.isActive():
            self.save_draft()

    def _restore_draft(self) -> None:
        draft = self.drafts.load()
        if draft is None or (draft.is_empty and draft.editing_item_id is None):
            return
        self.apply_draft(draft)
        self._show_banner("前回の下書きを復元しました。")

    def apply_draft(self, draft: Draft) -> None:
        self._restoring = True
        try:
            self.text_edit.setPlainText(draft.text)
            for key, box in self.channel_boxes.items():
                box.setChecked(key in draft.channels)
            for key, tab in self.channel_tabs.items():
                tab.set_override(draft.overrides.get(key))
                if tab.platform == "youtube":
                    tab.title_edit.setText(draft.title)
                if tab.platform == "line":
                    tab.line_urls.setPlainText("\n".join(draft.image_urls))
            self.attachments.set_paths([Path(p) for p in draft.media])
            self.category.setCurrentText(draft.category or CATEGORIES[0])
            self.picker.restore(draft.date, draft.time)
            self.editing_item_id = draft.editing_item_id
        finally:
            self._restoring = False
        self._on_changed()

    def _show_banner(self, text: str | None) -> None:
        self.banner.setText(text or "")
        self.banner.setVisible(bool(text))
        self.stop_editing.setVisible(self.editing_item_id is not None)

    # -- editing and clearing --------------------------------------------------------------

    def load_item(self, item: Item) -> None:
        """Put a queued item in the composer; 予約 then replaces it (new item, old cancelled)."""
        paths = [media.stored_path(self.ctx, m.media) for m in item.media]
        draft = draft_from_item(item, paths, self.ctx.policy.zone)
        self.apply_draft(draft)
        self._show_banner(
            f"項目 #{item.id} を編集中です。"
            "予約し直すと、元の予約は取り消されて新しい項目になります。"
        )

    def clear(self) -> None:
        self.editing_item_id = None
        self.apply_draft(Draft(channels=tuple(self.selected_channels())))
        self.picker.reset_to_next_slot()
        self._show_result("")
        self._discarded = None
        self.undo_button.hide()
        self.repeat.reset()
        self.confirm_here_button.hide()
        self._show_banner(None)
        self.drafts.clear()
        self._save_timer.stop()

    def discard_draft(self) -> bool:
        """新規: ask before throwing typed work away, and offer to bring it back."""
        if self.is_pristine():
            self.clear()
            return True
        if not prompts.confirm(
            self,
            "下書きの消去",
            "入力中の本文・添付・予約日時を消去して、新しい投稿を始めますか？"
            "（消去した直後なら「消去を元に戻す」で戻せます）",
        ):
            return False
        discarded = self.current_draft()
        self.clear()
        self._discarded = discarded
        self.undo_button.show()
        self._show_result("下書きを消去しました。")
        return True

    def undo_discard(self) -> None:
        if self._discarded is None:
            return
        draft, self._discarded = self._discarded, None
        self.undo_button.hide()
        self.apply_draft(draft)
        self._show_result("消去した下書きを元に戻しました。")
