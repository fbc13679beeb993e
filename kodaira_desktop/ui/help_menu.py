"""ヘルプ: a short guide for a first-time user, and the version."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMessageBox

GUIDE = """<h3>はじめての方へ</h3>
<ol>
<li><b>投稿を作成</b>：本文を入力し、投稿先（担当に指定された媒体）を選びます。媒体ごとの
タブで文字数とプレビューを確認できます。</li>
<li><b>予約日時</b>：灰色の日（土日・祝日・年末年始）は選べません。投稿できるのは
{hours} です。何も選ばなければ、次に投稿できる時刻に予約されます。</li>
<li><b>予約</b>（Ctrl+Enter）：予約すると <b>予約カレンダー</b> と <b>予約一覧</b> に表示され、
時刻になると自動で投稿されます。</li>
<li><b>緊急投稿…</b>：時間外に投稿する必要があるときは、理由を書いて課長の確認を依頼します。
課長が承認するまで投稿されません。</li>
<li>予約した項目は、カレンダーや一覧でダブルクリック（または Enter）すると開き、
本文・日時の編集や取り消しができます。</li>
</ol>
<p>Tab キーで次の欄へ移動します。F5 で最新の状態に更新します。</p>"""


def install_help_menu(window: QMainWindow, hours: str) -> None:
    menu = window.menuBar().addMenu("ヘルプ")
    guide = menu.addAction("使い方")
    guide.triggered.connect(lambda: show_guide(window, hours))
    about = menu.addAction("バージョン情報")
    about.triggered.connect(lambda: show_about(window))


def guide_text(hours: str) -> str:
    return GUIDE.format(hours=hours)


def about_text() -> str:
    from kodaira_desktop import __version__  # read when shown, not at start-up

    return (
        f"<b>小平市 SNS投稿予約</b>（Kodaira Desktop）<br>バージョン {__version__}<br>"
        "小平市ソーシャルメディア運用ポリシーに沿って、投稿を予約・送信します。"
    )


def show_guide(window: QMainWindow, hours: str) -> None:
    QMessageBox.information(window, "使い方", guide_text(hours))


def show_about(window: QMainWindow) -> None:
    QMessageBox.about(window, "バージョン情報", about_text())
