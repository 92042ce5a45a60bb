"""A cap on request body size, enforced before the app reads the body."""

from starlette.responses import JSONResponse


class BodySizeLimit:
    """413 for a declared Content-Length over the cap; a body without one (chunked) is read
    here, up to the cap, and handed on to the app only if it fits."""

    def __init__(self, app, max_bytes):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                return await self._reply(scope, receive, send, 400, "bad Content-Length header")
            if int(declared) > self.max_bytes:
                return await self._too_large(scope, receive, send)
            return await self.app(scope, receive, send)
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                return await self._too_large(scope, receive, send)
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay():
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope, receive, send):
        detail = f"the request body is larger than {self.max_bytes} bytes"
        await self._reply(scope, receive, send, 413, detail)

    @staticmethod
    async def _reply(scope, receive, send, status, detail):
        await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)
