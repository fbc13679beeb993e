"""A small threaded HTTP server for fakes of outside services, with switchable faults.

Each fake registers routes; every request is recorded (method, path, query, headers, body).
Faults are queued per path pattern (a regular expression searched in the path, without the
query) and consumed in order:

- ``fail_next``: answer with the given status/body/headers instead of the real handler;
- ``delay_next``: run the handler (its effect happens) but wait before answering;
- ``drop_after_receiving``: run the handler, then close the connection without answering
  (the request arrived and took effect; the client sees a dropped connection/timeout);
- ``drop_before_processing``: read the request, then close without running the handler;
- ``rate_limit_next``: a 429 in the service's own style (see ``rate_limit_response``).
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

JSON = dict[str, Any] | list[Any]


@dataclass(frozen=True)
class Part:
    name: str
    data: bytes
    filename: str | None = None
    content_type: str | None = None


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    #: "answered", "failed" (fail_next), "dropped_before" or "dropped_after".
    outcome: str = "answered"

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))

    def multipart(self) -> dict[str, Part]:
        return parse_multipart(self.header("content-type") or "", self.body)

    def fields(self) -> dict[str, str]:
        """Form or multipart text fields, whichever the body is."""
        if (self.header("content-type") or "").startswith("multipart/form-data"):
            return {
                name: part.data.decode("utf-8")
                for name, part in self.multipart().items()
                if part.filename is None
            }
        return self.form()


@dataclass
class Response:
    status: int = 200
    body: JSON | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


@dataclass
class Fault:
    pattern: re.Pattern[str]
    method: str | None
    action: str  # "respond", "delay", "drop_after", "drop_before"
    response: Response | None = None
    delay: float = 0.0
    remaining: int = 1

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and bool(self.pattern.search(path))


Handler = Callable[[RecordedRequest, re.Match[str]], Response]


def parse_multipart(content_type: str, body: bytes) -> dict[str, Part]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise ValueError("not multipart")
    delimiter = b"--" + match.group(1).encode("ascii")
    parts: dict[str, Part] = {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        name_match = re.search(r'\bname="([^"]*)"', disposition)
        file_match = re.search(r'\bfilename="([^"]*)"', disposition)
        if name_match:
            parts[name_match.group(1)] = Part(
                name=name_match.group(1),
                data=data,
                filename=file_match.group(1) if file_match else None,
                content_type=headers.get("content-type"),
            )
    return parts


@dataclass
class _WindowLimit:
    pattern: re.Pattern[str]
    capacity: int
    window: float
    now: Callable[[], float]
    account: Callable[[RecordedRequest], str]
    seen: dict[str, list[float]] = field(default_factory=dict)


class _HTTPServer(ThreadingHTTPServer):
    # Non-daemon handler threads are joined by server_close(): nothing leaks past stop().
    daemon_threads = False

    def __init__(self, fake: FakeServer) -> None:
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _RequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake handler threads blocked on idle keep-alive connections."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer
    timeout = 10

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        split = urlsplit(self.path)
        request = RecordedRequest(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self._read_body(),
        )
        fake = self.server.fake
        fault = fake._take_fault(request.method, request.path)
        action = fault.action if fault else None
        if action == "drop_before":
            request.outcome = "dropped_before"
            fake._record(request)
            self.close_connection = True
            return
        if fault is not None and action == "respond" and fault.response is not None:
            request.outcome = "failed"
            fake._record(request)
            self._send(fault.response)
            return
        fake._record(request)
        response = fake._dispatch(request)
        if action == "drop_after":
            request.outcome = "dropped_after"
            self.close_connection = True
            return
        if fault is not None and action == "delay":
            time.sleep(fault.delay)
        self._send(response)

    def _send(self, response: Response) -> None:
        body = response.encoded()
        headers = {k.lower(): v for k, v in response.headers.items()}
        if response.body is not None and not isinstance(response.body, bytes):
            headers.setdefault("content-type", "application/json; charset=utf-8")
        headers["date"] = self.date_time_string()
        headers["content-length"] = str(len(body))
        reason = self.responses.get(response.status, ("",))[0]
        head = [f"{self.protocol_version} {response.status} {reason}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        # One write for head and body: separate small writes meet Nagle's algorithm and
        # delayed ACKs, which adds ~40 ms to every request.
        try:
            self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
            self.wfile.flush()
        except OSError:
            # The client gave up (e.g. timed out during a delay); nothing more to do.
            self.close_connection = True


class FakeServer:
    """Base of the service fakes: start/stop, routing, recording and faults."""

    name = "fake"

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.requests: list[RecordedRequest] = []
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._faults: list[Fault] = []
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._limits: list[_WindowLimit] = []
        #: How many requests were answered 429 by an enforced limit (`enforce_limit`).
        self.limited = 0

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> FakeServer:
        self._httpd = _HTTPServer(self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"{self.name}-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.close_connections()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- routes ----------------------------------------------------------------------------

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self._routes.append((method, re.compile(pattern), handler))

    def authenticate(self, request: RecordedRequest) -> Response | None:
        """Return an error response when the request is not authorised; None when it is."""
        return None

    def _dispatch(self, request: RecordedRequest) -> Response:
        with self.lock:
            for method, pattern, handler in self._routes:
                match = pattern.fullmatch(request.path)
                if match and method == request.method:
                    denied = self.authenticate(request) or self._over_limit(request)
                    return denied if denied is not None else handler(request, match)
            return self.not_found(request)

    def not_found(self, request: RecordedRequest) -> Response:
        return Response(404, {"error": f"no route for {request.method} {request.path}"})

    # -- recording -------------------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self.lock:
            self.requests.append(request)

    def requests_to(self, path_pattern: str, method: str | None = None) -> list[RecordedRequest]:
        pattern = re.compile(path_pattern)
        with self.lock:
            return [
                r
                for r in self.requests
                if pattern.search(r.path) and (method is None or r.method == method)
            ]

    # -- faults ----------------------------------------------------------------------------

    def _add_fault(self, fault: Fault) -> None:
        with self.lock:
            self._faults.append(fault)

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def fail_next(
        self,
        path_pattern: str,
        status: int,
        body: JSON | bytes | None = None,
        headers: dict[str, str] | None = None,
        *,
        times: int = 1,
        method: str | None = None,
    ) -> None:
        response = Response(status, body, dict(headers or {}))
        self._add_fault(
            Fault(re.compile(path_pattern), method, "respond", response, remaining=times)
        )

    def delay_next(
        self, path_pattern: str, seconds: float, *, times: int = 1, method: str | None = None
    ) -> None:
        self._add_fault(
            Fault(re.compile(path_pattern), method, "delay", delay=seconds, remaining=times)
        )

    def drop_after_receiving(
        self, path_pattern: str, *, times: int = 1, method: str | None = None
    ) -> None:
        self._add_fault(Fault(re.compile(path_pattern), method, "drop_after", remaining=times))

    def drop_before_processing(
        self, path_pattern: str, *, times: int = 1, method: str | None = None
    ) -> None:
        self._add_fault(Fault(re.compile(path_pattern), method, "drop_before", remaining=times))

    def rate_limit_next(
        self,
        path_pattern: str,
        *,
        seconds: int = 60,
        times: int = 1,
        method: str | None = None,
    ) -> None:
        response = self.rate_limit_response(seconds)
        self._add_fault(
            Fault(re.compile(path_pattern), method, "respond", response, remaining=times)
        )

    def rate_limit_response(self, seconds: int) -> Response:
        return Response(429, {"message": "Too Many Requests"}, {"Retry-After": str(seconds)})

    def enforce_limit(
        self,
        path_pattern: str,
        capacity: int,
        window_seconds: float,
        *,
        now: Callable[[], float] = time.time,
        account: Callable[[RecordedRequest], str] = lambda _request: "",
    ) -> None:
        """Answer 429 (in the service's style) to a request matching ``path_pattern`` when
        ``capacity`` such requests of the same account already came in the last
        ``window_seconds`` (by the clock ``now``), as the real service's rate limit would."""
        self._limits.append(
            _WindowLimit(re.compile(path_pattern), capacity, window_seconds, now, account)
        )

    def _over_limit(self, request: RecordedRequest) -> Response | None:
        for limit in self._limits:
            if not limit.pattern.search(request.path):
                continue
            now = limit.now()
            times = limit.seen.setdefault(limit.account(request), [])
            times[:] = [t for t in times if t > now - limit.window]
            if len(times) >= limit.capacity:
                self.limited += 1
                return self.rate_limit_response(int(times[0] + limit.window - now) + 1)
            times.append(now)
        return None

    def clear_faults(self) -> None:
        with self.lock:
            self._faults.clear()


def bearer_token(request: RecordedRequest) -> str | None:
    value = request.header("authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def absolute_url(request: RecordedRequest, path: str) -> str:
    return f"http://{request.header('host')}{path}"
