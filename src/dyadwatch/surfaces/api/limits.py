"""Request size limits enforced while the body streams in, chunked bodies included.

A ``Content-Length`` over the limit is refused before a byte of the body is read; a body without
one (``Transfer-Encoding: chunked``) is counted as it arrives and refused as soon as it passes the
limit, so the server never holds more than the limit (plus one chunk) of any request in memory.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dyadwatch.errors import DyadwatchError


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes is a 413 (E310), never buffered whole."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send, int(declared))
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise self._error(received)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if message["status"] == 413:  # close: the rest of the body is never read
                    message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except DyadwatchError as exc:  # raised in `counted` where no handler of the app saw it
            if exc.code != "E310" or started:
                raise
            await self._refuse(send, received)

    def _error(self, size: int) -> DyadwatchError:
        return DyadwatchError("E310", size_mb=size / 1e6, limit_mb=self.limit / 1e6)

    async def _refuse(self, send: Send, size: int) -> None:
        exc = self._error(size)
        body = json.dumps({"code": exc.code, "message": exc.message, "hint": exc.hint}).encode()
        headers: list[Any] = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
