"""A local OpenAI-compatible server that replays scripted replies (for the real langchain-openai client).

Serves ``POST /v1/chat/completions`` on 127.0.0.1 in a background thread. Each request takes the
next scripted ``Reply`` (or the default when the script is empty): plain text (as JSON, or as SSE
chunks when the client asked to stream), a tool call, an HTTP error status, a delay (to trip the
client's timeout), or a malformed body. Every request body is recorded for assertions.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted response."""

    text: str = ""
    tool: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    status: int = 200
    delay: float = 0.0
    malformed: bool = False


Responder = Callable[[dict[str, Any]], Reply]


class FakeOpenAI:
    """The server's script and what it received."""

    def __init__(self, default: Reply | Responder | None = None) -> None:
        self.script: list[Reply] = []
        self.requests: list[dict[str, Any]] = []
        self.default: Reply | Responder = default or Reply(text="OK.")
        self._lock = threading.Lock()
        self.base_url = ""

    def add(self, *replies: Reply) -> None:
        """Queue replies for the next requests, in order."""
        with self._lock:
            self.script.extend(replies)

    def next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            if self.script:
                return self.script.pop(0)
        return self.default(body) if callable(self.default) else self.default

    def prompts(self) -> list[str]:
        """The last user message of every request, in order."""
        found = []
        for body in self.requests:
            users = [m for m in body.get("messages", []) if m.get("role") == "user"]
            found.append(str(users[-1]["content"]) if users else "")
        return found


def _completion(model: str, reply: Reply) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
    finish = "stop"
    if reply.tool:
        message["tool_calls"] = [{
            "id": f"call_{reply.tool}", "type": "function",
            "function": {"name": reply.tool, "arguments": json.dumps(reply.arguments)},
        }]
        finish = "tool_calls"
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunks(model: str, reply: Reply) -> Iterator[dict[str, Any]]:
    base = {
        "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()), "model": model
    }
    start = {"role": "assistant", "content": ""}
    yield {**base, "choices": [{"index": 0, "delta": start, "finish_reason": None}]}
    if reply.tool:
        call = {"index": 0, "id": f"call_{reply.tool}", "type": "function",
                "function": {"name": reply.tool, "arguments": json.dumps(reply.arguments)}}
        yield {**base, "choices": [{"index": 0, "delta": {"tool_calls": [call]}, "finish_reason": None}]}
        yield {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]}
        return
    words = reply.text.split(" ")
    for i, word in enumerate(words):
        token = word if i == len(words) - 1 else word + " "
        yield {**base, "choices": [{"index": 0, "delta": {"content": token}, "finish_reason": None}]}
    yield {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the log
            return

        def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, b'{"error": {"message": "not found"}}')
                return
            reply = fake.next_reply(body)
            try:
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    error = {"error": {"message": f"scripted {reply.status}", "type": "server_error"}}
                    self._send(reply.status, json.dumps(error).encode())
                elif reply.malformed:
                    self._send(200, b'{"id": "chatcmpl-fake", "choices": [ {"message": ')
                elif body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for chunk in _chunks(str(body.get("model")), reply):
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                        self.wfile.flush()
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                    self.close_connection = True
                else:
                    self._send(200, json.dumps(_completion(str(body.get("model")), reply)).encode())
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                self.close_connection = True

    return Handler


@contextmanager
def serve(default: Reply | Responder | None = None) -> Iterator[FakeOpenAI]:
    """Run the fake server on a free port of 127.0.0.1; ``base_url`` ends in ``/v1``."""
    fake = FakeOpenAI(default)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, name="fake-openai", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
