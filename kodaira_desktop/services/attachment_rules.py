"""Attachment checks beside the platform limits: LINE image URLs and previews, alt text."""

from __future__ import annotations

from collections.abc import Sequence

from kodaira_desktop.domain.media_rules import MediaInfo

#: LINE shows ``previewImageUrl`` only up to this size; the same URL is sent as the preview.
LINE_PREVIEW_MAX_BYTES = 1024 * 1024


#: X takes alt text up to this many characters.
ALT_TEXT_MAX = 1000


def alt_text_check(
    files: Sequence[MediaInfo], alt_texts: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Problems (more alt texts than images, too long) and notes (an image without one)."""
    images = [f for f in files if f.is_image]
    problems: list[str] = []
    if len(alt_texts) > len(images):
        problems.append(
            f"代替テキストが {len(alt_texts)} 件ありますが、画像は {len(images)} 枚です"
            "（画像ごとに一つ、添付の順に指定してください）。"
        )
    problems += [
        f"代替テキストは {ALT_TEXT_MAX:,} 文字までです（{i} 枚目: {len(text):,} 文字）。"
        for i, text in enumerate(alt_texts, start=1)
        if len(text) > ALT_TEXT_MAX
    ]
    given = list(alt_texts) + [""] * len(images)
    missing = [f.path.name for f, text in zip(images, given, strict=False) if not text.strip()]
    notes = (
        [
            f"代替テキストのない画像があります（{'、'.join(missing)}）。画像の内容を短く書くと、"
            "目の不自由な方にも伝わります。"
        ]
        if missing
        else []
    )
    return problems, notes


def line_url_problems(files: Sequence[MediaInfo], urls: Sequence[str]) -> list[str]:
    """An image URL is stored with its image file; one without a file would be dropped."""
    images = [f for f in files if f.is_image]
    if len(urls) > len(images):
        return [
            f"LINE の画像 URL {len(urls)} 件に対して画像ファイルが {len(images)} 件です。"
            "URL ごとに同じ画像のファイルも添付してください（ファイルで形式と大きさを確かめてから"
            " URL で送ります）。"
        ]
    return []


def line_notes(files: Sequence[MediaInfo], urls: Sequence[str]) -> list[str]:
    images = [f for f in files if f.is_image]
    if images and not urls:
        return ["LINEには画像を送れません（公開URLが必要です）。LINEは本文のみ送信します。"]
    return [
        f"LINE のプレビュー画像は 1 MB までです。{f.path.name}（{f.size / 1024 / 1024:.1f} MB）"
        "は同じ URL をプレビューにも使うため、トークで縮小表示されないことがあります。"
        for f in images[: len(urls)]
        if f.size > LINE_PREVIEW_MAX_BYTES
    ]
