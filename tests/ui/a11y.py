"""Walking a window's keyboard focus chain: which controls Tab reaches, and whether each has
a name a screen reader can read (JIS X 8341's spirit)."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QLabel,
    QTabBar,
    QWidget,
)

#: Composite widgets whose inner parts Qt names itself (the calendar's month buttons and grid,
#: a combo box's line edit, a spin box's editor): the composite is what must be named.
_COMPOSITES = (QCalendarWidget, QComboBox, QAbstractSpinBox)


def focus_chain(root: QWidget) -> list[QWidget]:
    """The widgets Tab stops at inside ``root``, in the focus chain's order."""
    chain: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not root and widget not in chain:
        if _stops_at(root, widget):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def _stops_at(root: QWidget, widget: QWidget) -> bool:
    return (
        root.isAncestorOf(widget)
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.isVisibleTo(root)
        and widget.isEnabled()
        and widget.focusProxy() is None
    )


def _composite_of(widget: QWidget) -> QWidget | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, _COMPOSITES):
            return parent
        parent = parent.parentWidget()
    return None


def spoken_name(widget: QWidget) -> str:
    """What a screen reader announces: the accessible name, else the control's own text, else
    the text of the label whose buddy it is."""
    if widget.accessibleName().strip():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
        return widget.text()
    if isinstance(widget, QTabBar):
        return " / ".join(widget.tabText(i) for i in range(widget.count()))
    window = widget.window()
    for label in window.findChildren(QLabel):
        if label.buddy() is widget and label.text().strip():
            return label.text()
    return ""


def unnamed(root: QWidget) -> list[str]:
    """Each control Tab reaches in ``root`` that has no name, described for the failure."""
    gaps = []
    for widget in focus_chain(root):
        named = _composite_of(widget) or widget
        if not spoken_name(named):
            gaps.append(describe(named))
    return list(dict.fromkeys(gaps))


def describe(widget: QWidget) -> str:
    path = []
    node: QWidget | None = widget
    while node is not None and len(path) < 4:
        path.append(node.objectName() or type(node).__name__)
        node = node.parentWidget()
    text = getattr(widget, "placeholderText", lambda: "")() or widget.toolTip()
    return f"{' < '.join(path)} ({text[:30]!r})"


def position(widget: QWidget, root: QWidget) -> QPoint:
    return widget.mapTo(root, QPoint(0, 0))


def out_of_reading_order(widgets: list[QWidget], root: QWidget) -> list[str]:
    """Pairs of consecutive controls where Tab goes up the page, or left along one row."""
    wrong = []
    for before, after in itertools.pairwise(widgets):
        a, b = position(before, root), position(after, root)
        same_row = abs(a.y() - b.y()) < max(8, before.height() // 2)
        if (not same_row and b.y() < a.y()) or (same_row and b.x() < a.x()):
            wrong.append(f"{describe(before)} -> {describe(after)}")
    return wrong
