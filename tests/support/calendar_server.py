"""Outside calendars as tests meet them: a loopback HTTP server that serves real-shaped ``.ics``
files, answers 304 to a matching ETag, fails with a status, or hangs until the test ends."""

import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ICS = Path(__file__).resolve().parents[1] / "bookings_app" / "busy_times" / "ics"
NOW = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)  # Monday 1 March 2027, 08:00 in Paris: work.ics's first day
HANG_AT_MOST = 10.0  # seconds; the server's close() releases a hanging answer long before


def ics(name: str) -> bytes:
    """One of the real-shaped calendar files in tests/bookings_app/busy_times/ics/."""
    return (ICS / f"{name}.ics").read_bytes()


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self) -> None:  # noqa: N802 -- http.server's name
        self.server.seen.append((self.path, dict(self.headers)))
        route = self.server.routes.get(self.path)
        if route is None:
            return self._answer(404, b"")
        kind, value, etag = route
        if kind == "hang":
            self.server.released.wait(HANG_AT_MOST)
            return self._answer(200, b"")
        if kind == "status":
            return self._answer(value, b"error")
        if kind == "redirect":
            self.send_response(302)
            self.send_header("Location", value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if etag and self.headers.get("If-None-Match") == etag:
            return self._answer(304, b"", etag=etag)
        if kind == "stream":  # no Content-Length: only reading shows the size
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            for start in range(0, len(value), 65536):
                self.wfile.write(value[start : start + 65536])
            return None
        return self._answer(200, value, etag=etag)

    def _answer(self, status: int, body: bytes, etag: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        if etag:
            self.send_header("ETag", etag)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # close() waits for every answer: none is left behind
    block_on_close = True
    request_queue_size = 128  # a crowd of racing fetches connects at once

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, tuple[str, object, str]] = {}
        self.seen: list[tuple[str, dict]] = []
        self.released = threading.Event()


class CalendarServer:
    """Serve on 127.0.0.1 from a thread; ``close()`` ends every answer and the thread."""

    def __init__(self):
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def serve(self, path: str, body: bytes | str, *, etag: str = "", streamed: bool = False) -> str:
        data = body.encode() if isinstance(body, str) else body
        self._server.routes[path] = ("stream" if streamed else "file", data, etag)
        return self.url(path)

    def fail(self, path: str, status: int) -> str:
        self._server.routes[path] = ("status", status, "")
        return self.url(path)

    def redirect(self, path: str, location: str) -> str:
        self._server.routes[path] = ("redirect", location, "")
        return self.url(path)

    def hang(self, path: str) -> str:
        self._server.routes[path] = ("hang", None, "")
        return self.url(path)

    @property
    def requests(self) -> list[tuple[str, dict]]:
        return self._server.seen

    def close(self) -> None:
        self._server.released.set()
        self._server.shutdown()
        self._server.server_close()  # joins the answering threads
        self._thread.join(5)
        assert not self._thread.is_alive()
