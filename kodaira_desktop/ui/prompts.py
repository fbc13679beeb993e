"""Modal questions and messages, looked up here so tests can replace them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from kodaira_desktop.ui.wording import for_window


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, for_window(text))


def choose_save_path(
    parent: QWidget | None, title: str, suggested: str, file_filter: str
) -> Path | None:
    """Where to write a file (None when the user cancels)."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return Path(chosen) if chosen else None
