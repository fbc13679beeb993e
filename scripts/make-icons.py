"""Makes the app's icons and the installers' images from resources/icons/kodaira-desktop.svg.

Writes resources/icons/kodaira-desktop-<size>.png (16 … 512), kodaira-desktop.ico (16 … 256,
PNG-compressed entries) and the NSIS images in resources/installer/ (welcome 164x314 and
header 150x57, 24-bit BMP). Run after editing the SVG and commit what it writes:
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make-icons.py
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "kodaira-desktop.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
GREEN = "#1b6e3d"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def write_ico(path: Path, images: list[QImage]) -> None:
    """An ICO whose entries are PNGs (Windows Vista and later read them at every size)."""
    blobs = [png_bytes(image) for image in images]
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = len(header) + 16 * len(blobs)
    entries = b""
    for image, blob in zip(images, blobs, strict=True):
        side = image.width() if image.width() < 256 else 0  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    path.write_bytes(header + entries + b"".join(blobs))


def banner(renderer: QSvgRenderer, width: int, height: int, icon: int, text: bool) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if text:  # the welcome page's left panel
        painter.fillRect(0, 0, width, height, QColor(GREEN))
        renderer.render(painter, QRectF((width - icon) / 2, 40, icon, icon))
        painter.setPen(QColor("#ffffff"))
        painter.setFont(QFont("Noto Sans CJK JP", 13, QFont.Weight.Bold))
        painter.drawText(
            QRectF(0, 60 + icon, width, 80), Qt.AlignmentFlag.AlignHCenter, "小平市\nSNS投稿予約"
        )
    else:  # the header's right corner
        renderer.render(painter, QRectF(width - icon - 4, (height - icon) / 2, icon, icon))
    painter.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    icons = SVG.parent
    for size in PNG_SIZES:
        render(renderer, size).save(str(icons / f"kodaira-desktop-{size}.png"))
    write_ico(icons / "kodaira-desktop.ico", [render(renderer, s) for s in ICO_SIZES])
    installer = ROOT / "resources" / "installer"
    installer.mkdir(exist_ok=True)
    banner(renderer, 164, 314, 112, text=True).save(str(installer / "welcome.bmp"))
    banner(renderer, 150, 57, 48, text=False).save(str(installer / "header.bmp"))
    print(f"icons written to {icons} and {installer}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
