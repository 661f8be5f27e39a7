"""A blocking reader of a live server-sent-event stream, for tests and benchmarks."""

from __future__ import annotations

import contextlib
import http.client
import queue
import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass
class StreamEvent:
    type: str  # "comment" for keep-alive comments
    data: list[str] = field(default_factory=list)
    received_at: float = 0.0

    @property
    def text(self) -> str:
        return "\n".join(self.data)


class SSEReader:
    """Opens GET ``path`` with a Host header and collects events in a queue from a thread."""

    def __init__(
        self, port: int, host: str, path: str, *, cookie: str = "", timeout: float = 30.0
    ) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        # One request per connection, so that the end of a stream is the end of the connection.
        headers = {"Host": host, "Accept": "text/event-stream", "Connection": "close"}
        if cookie:
            headers["Cookie"] = cookie
        self.conn.connect()
        self.sock = self.conn.sock  # http.client hands it to the response with Connection: close
        self.conn.request("GET", path, headers=headers)
        self.response = self.conn.getresponse()
        self.status = self.response.status
        self.events: queue.Queue[StreamEvent | None] = queue.Queue()
        self.closed = False
        if self.status == 200:
            threading.Thread(target=self._read, daemon=True).start()
        else:
            self.body = self.response.read().decode()

    def _read(self) -> None:
        current: StreamEvent | None = None
        try:
            while True:
                raw = self.response.readline()  # decodes chunked transfer encoding
                if not raw:
                    break
                line = raw.decode().rstrip("\n")
                if line.startswith(":"):
                    self.events.put(StreamEvent("comment", [line], time.monotonic()))
                elif line.startswith("event: "):
                    current = StreamEvent(line.removeprefix("event: "))
                elif line.startswith("data: ") and current is not None:
                    current.data.append(line.removeprefix("data: "))
                elif line == "" and current is not None:
                    current.received_at = time.monotonic()
                    self.events.put(current)
                    current = None
        except (OSError, ValueError, http.client.HTTPException):
            pass
        self.events.put(None)  # end of stream

    def next(self, timeout: float = 5.0, *, skip_comments: bool = True) -> StreamEvent | None:
        """The next event (None at end of stream); raises queue.Empty after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.events.get(timeout=max(deadline - time.monotonic(), 0.001))
            if event is None or event.type != "comment" or not skip_comments:
                return event

    def close(self) -> None:
        self.closed = True
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.conn.close()
