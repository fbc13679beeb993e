from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kodaira_desktop.platforms.base import ErrorKind, MediaFile, PublishError
from kodaira_desktop.platforms.google_oauth import GoogleTokenSource
from kodaira_desktop.platforms.youtube import YouTubePublisher
from tests.fakes import FakeServices
from tests.fakes import credentials as creds
from tests.platforms.conftest import CLIENT_TIMEOUT, media_file, request

CHUNK = 256 * 1024
UPLOAD = r"^/upload/youtube/v3/videos$"


@pytest.fixture
def youtube(services: FakeServices) -> Iterator[Callable[..., YouTubePublisher]]:
    made: list[YouTubePublisher] = []

    def build(**credentials: str) -> YouTubePublisher:
        fields = {**creds.YOUTUBE, **credentials}
        tokens = GoogleTokenSource(
            fields["client_id"],
            fields["client_secret"],
            fields["refresh_token"],
            services.google.token_url,
            timeout=CLIENT_TIMEOUT,
        )
        made.append(
            YouTubePublisher(tokens, services.youtube.url, timeout=CLIENT_TIMEOUT, chunk_size=CHUNK)
        )
        return made[-1]

    yield build
    for item in made:
        item.close()


@pytest.fixture
def video(tmp_path: Path) -> MediaFile:
    # Three full chunks and a partial one.
    data = bytes(range(256)) * (3 * CHUNK // 256) + b"tail" * 1000
    return media_file(tmp_path / "kodaira.mp4", data, "video/mp4")


def chunk_puts(services: FakeServices) -> list[str]:
    return [r.header("content-range") or "" for r in services.youtube.requests_to(UPLOAD, "PUT")]


def test_resumable_upload_in_chunks(
    services: FakeServices, youtube: Callable[..., YouTubePublisher], video: MediaFile
) -> None:
    progress: list[tuple[int, int]] = []
    saved: list[tuple[str, int]] = []
    client = youtube()
    result = client.publish(
        request("小平グリーンロード\n四季の散歩道", media=(video,)),
        progress=lambda done, total: progress.append((done, total)),
        save_resume=lambda url: saved.append((url, len(chunk_puts(services)))),
    )

    [(session_url, puts_before_saving)] = saved
    assert puts_before_saving == 0
    session = services.youtube.session_for(session_url)
    assert bytes(session.received) == video.path.read_bytes()
    total = video.size
    assert chunk_puts(services) == [
        f"bytes 0-{CHUNK - 1}/{total}",
        f"bytes {CHUNK}-{2 * CHUNK - 1}/{total}",
        f"bytes {2 * CHUNK}-{3 * CHUNK - 1}/{total}",
        f"bytes {3 * CHUNK}-{total - 1}/{total}",
    ]
    assert progress == [(n * CHUNK, total) for n in range(4)] + [(total, total)]
    assert result.remote_id == session.video_id
    assert result.remote_url == f"https://www.youtube.com/watch?v={session.video_id}"
    start = services.youtube.requests_to(UPLOAD, "POST")[0]
    assert start.arg("uploadType") == "resumable"
    assert start.header("x-upload-content-length") == str(total)
    assert start.header("x-upload-content-type") == "video/mp4"
    metadata = start.json()
    assert metadata["snippet"]["title"] == "小平グリーンロード"
    assert metadata["snippet"]["description"] == "小平グリーンロード\n四季の散歩道"
    assert metadata["status"]["privacyStatus"] == "public"
    assert "publishAt" not in metadata["status"]


def test_token_is_refreshed_once_and_reused(
    services: FakeServices, youtube: Callable[..., YouTubePublisher], video: MediaFile
) -> None:
    client = youtube()
    client.check_credentials()
    client.publish(request(title="動画", media=(video,)))
    [token_request] = services.google.requests
    assert token_request.form() == {
        "grant_type": "refresh_token",
        "client_id": creds.YOUTUBE["client_id"],
        "client_secret": creds.YOUTUBE["client_secret"],
        "refresh_token": creds.YOUTUBE["refresh_token"],
    }


def test_scheduled_publication_is_private_until_publish_at(
    services: FakeServices, youtube: Callable[..., YouTubePublisher], video: MediaFile
) -> None:
    jst = timezone(timedelta(hours=9))
    when = datetime(2030, 4, 1, 9, 0, tzinfo=jst)
    youtube().publish(request(title="桜まつり", media=(video,), publish_at=when))
    status = services.youtube.requests_to(UPLOAD, "POST")[0].json()["status"]
    assert status["privacyStatus"] == "private"
    assert status["publishAt"] == "2030-04-01T00:00:00Z"
    [stored] = services.youtube.videos.values()
    assert stored["snippet"]["title"] == "桜まつり"


@pytest.mark.parametrize(("fault", "applied_chunks"), [("drop_after", 2), ("drop_before", 1)])
def test_interrupted_upload_resumes_with_only_the_remaining_bytes(
    services: FakeServices,
    youtube: Callable[..., YouTubePublisher],
    video: MediaFile,
    fault: str,
    applied_chunks: int,
) -> None:
    def break_second_chunk(done: int, total: int) -> None:
        if done == CHUNK:  # the second chunk is about to be sent
            if fault == "drop_after":
                services.youtube.drop_after_receiving(UPLOAD, method="PUT")
            else:
                services.youtube.drop_before_processing(UPLOAD, method="PUT")

    saved: list[str] = []
    entry = request(title="中断テスト", media=(video,))
    with pytest.raises(PublishError) as caught:
        youtube().publish(entry, progress=break_second_chunk, save_resume=saved.append)
    assert caught.value.kind is ErrorKind.TRANSIENT
    assert services.youtube.videos == {}
    first_attempt = len(services.youtube.requests)

    resumed = youtube()  # e.g. after a restart
    result = resumed.publish(
        request(title="中断テスト", media=(video,), resume_state=saved[0]),
        save_resume=saved.append,
    )

    second = services.youtube.requests[first_attempt:]
    assert [r.method for r in second] == ["PUT"] * len(second)  # no new session
    assert second[0].header("content-range") == f"bytes */{video.size}"
    assert second[0].body == b""
    resent = sum(len(r.body) for r in second)
    assert resent == video.size - applied_chunks * CHUNK
    resumed_from = second[1].header("content-range") or ""
    assert resumed_from.startswith(f"bytes {applied_chunks * CHUNK}-")
    session = services.youtube.session_for(saved[0])
    assert bytes(session.received) == video.path.read_bytes()
    assert list(services.youtube.videos) == [result.remote_id]
    assert saved == [saved[0]]


def test_lost_answer_to_the_last_chunk_is_found_by_asking_the_session(
    services: FakeServices, youtube: Callable[..., YouTubePublisher], video: MediaFile
) -> None:
    def break_last_chunk(done: int, total: int) -> None:
        if done == 3 * CHUNK:
            services.youtube.drop_after_receiving(UPLOAD, method="PUT")

    saved: list[str] = []
    with pytest.raises(PublishError) as caught:
        youtube().publish(
            request(title="t", media=(video,)), progress=break_last_chunk, save_resume=saved.append
        )
    assert caught.value.kind is ErrorKind.TRANSIENT
    assert len(services.youtube.videos) == 1  # the upload did complete

    result = youtube().publish(request(title="t", media=(video,), resume_state=saved[0]))
    assert list(services.youtube.videos) == [result.remote_id]
    assert services.youtube.requests[-1].header("content-range") == f"bytes */{video.size}"


def test_expired_session_starts_a_new_upload(
    services: FakeServices, youtube: Callable[..., YouTubePublisher], video: MediaFile
) -> None:
    services.youtube.fail_next(UPLOAD, 503, method="PUT")
    saved: list[str] = []
    with pytest.raises(PublishError) as caught:
        youtube().publish(request(title="t", media=(video,)), save_resume=saved.append)
    assert caught.value.kind is ErrorKind.TRANSIENT
    services.youtube.expire_sessions()

    result = youtube().publish(
        request(title="t", media=(video,), resume_state=saved[0]), save_resume=saved.append
    )
    assert len(saved) == 2
    assert saved[1] != saved[0]
    assert bytes(services.youtube.session_for(saved[1]).received) == video.path.read_bytes()
    assert list(services.youtube.videos) == [result.remote_id]


@pytest.mark.parametrize(
    "credentials",
    [{"refresh_token": "1//revoked"}, {"client_secret": "wrong"}],
)
def test_bad_google_credentials_are_permanent(
    services: FakeServices,
    youtube: Callable[..., YouTubePublisher],
    video: MediaFile,
    credentials: dict[str, str],
) -> None:
    with pytest.raises(PublishError) as caught:
        youtube(**credentials).publish(request(title="t", media=(video,)))
    assert (caught.value.kind, caught.value.code) == (ErrorKind.PERMANENT, "auth")
    assert services.youtube.requests == []


def test_token_endpoint_down_is_transient(
    services: FakeServices, youtube: Callable[..., YouTubePublisher], video: MediaFile
) -> None:
    services.google.fail_next(r"/token$", 503)
    with pytest.raises(PublishError) as caught:
        youtube().publish(request(title="t", media=(video,)))
    assert caught.value.kind is ErrorKind.TRANSIENT


@pytest.mark.parametrize(
    ("arrange", "kind"),
    [
        (lambda yt: yt.fail_next(UPLOAD, 500, method="PUT"), ErrorKind.TRANSIENT),
        (lambda yt: yt.delay_next(UPLOAD, CLIENT_TIMEOUT + 0.2, method="PUT"), ErrorKind.TRANSIENT),
        (lambda yt: setattr(yt, "quota_exceeded", True), ErrorKind.TRANSIENT),
        (
            lambda yt: yt.fail_next(UPLOAD, 400, {"error": {"code": 400}}, method="POST"),
            ErrorKind.PERMANENT,
        ),
    ],
)
def test_upload_error_classification(
    services: FakeServices,
    youtube: Callable[..., YouTubePublisher],
    video: MediaFile,
    arrange: Callable[..., None],
    kind: ErrorKind,
) -> None:
    arrange(services.youtube)
    with pytest.raises(PublishError) as caught:
        youtube().publish(request(title="t", media=(video,)))
    assert caught.value.kind is kind
    assert caught.value.message_ja
    assert services.youtube.videos == {}


def test_missing_video_file_is_permanent(
    services: FakeServices, youtube: Callable[..., YouTubePublisher], video: MediaFile
) -> None:
    video.path.unlink()
    with pytest.raises(PublishError) as caught:
        youtube().publish(request(title="t", media=(video,)))
    assert caught.value.kind is ErrorKind.PERMANENT
    assert "kodaira.mp4" in caught.value.message_ja
    assert services.youtube.requests == []


def test_a_video_is_required(youtube: Callable[..., YouTubePublisher], tmp_path: Path) -> None:
    image = media_file(tmp_path / "a.jpg", b"jpg", "image/jpeg")
    for media in ((), (image,)):
        with pytest.raises(PublishError) as caught:
            youtube().publish(request(title="t", media=media))
        assert caught.value.kind is ErrorKind.PERMANENT


def test_naive_publish_at_is_refused(
    youtube: Callable[..., YouTubePublisher], video: MediaFile
) -> None:
    with pytest.raises(PublishError):
        youtube().publish(request(title="t", media=(video,), publish_at=datetime(2030, 1, 1)))
    assert datetime.now(UTC)  # aware datetimes are the contract


def test_check_credentials(youtube: Callable[..., YouTubePublisher]) -> None:
    assert youtube().check_credentials() == "プチ田舎 東京都小平市 (UCfakeKodairaCity000000)"
