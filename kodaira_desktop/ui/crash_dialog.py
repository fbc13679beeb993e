"""Unexpected errors in the GUI: logged, and shown in a dialog whose text can be copied for
the IT desk, instead of the window silently dying."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def show_error_dialog(details: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, "予期しないエラー", "")
    box.setText(
        "予期しないエラーが発生しました。作業中の下書きは保存されています。\n"
        "「詳細」の内容をコピーして、担当のIT窓口へお知らせください。"
    )
    box.setDetailedText(details)
    box.exec()


def install_exception_hook(show: Callable[[str], None] = show_error_dialog) -> ExceptHook:
    """Route uncaught exceptions to the log and ``show``; returns the previous hook."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, tb)
            return
        details = "".join(traceback.format_exception(kind, error, tb))
        log.error("uncaught exception in the GUI:\n%s", details)
        if QApplication.instance() is not None:
            show(details)

    sys.excepthook = hook
    return previous
