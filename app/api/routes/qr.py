"""QR codes for the playground's Share control: an SVG drawn by segno, served by the app itself
so a page never asks another site for one."""

import io
from typing import Annotated

import segno
from fastapi import APIRouter, Query, Response
from fastapi.exceptions import RequestValidationError

router = APIRouter(prefix="/api", tags=["share"])

# 1000 bytes is a QR code of version 22 (113×113 modules) at the lowest error correction level:
# still readable by a phone off a projected screen; denser codes are not.
MAX_QR_BYTES = 1000
EXAMPLE_TEXT = "http://192.168.0.10:8000/?hide=run,data&ds=moons&classes=2"
TOO_LONG = (
    f"text is 1234 bytes as UTF-8; a QR code here holds at most {MAX_QR_BYTES} (more is too dense "
    "to read off a projector): shorten it"
)


def qr_svg(text: str) -> bytes:
    """The QR code of ``text`` as a scalable SVG: black modules on white with the standard
    4-module quiet zone, sized by its viewBox only (one unit per module)."""
    code = segno.make(text, error="l", micro=False)  # segno raises the level where it is free
    out = io.BytesIO()
    code.save(out, kind="svg", omitsize=True, xmldecl=False, light="#fff", dark="#000")
    return out.getvalue()


SVG_RESPONSE = {
    "description": "the QR code as SVG (black on white, scalable: a viewBox, no fixed size)",
    "content": {"image/svg+xml": {"schema": {"type": "string"},
                                  "example": qr_svg(EXAMPLE_TEXT).decode()}},
}  # fmt: skip
TOO_LONG_ERROR = {"type": "value_error", "loc": ["query", "text"], "msg": TOO_LONG, "input": "…"}
TOO_LONG_RESPONSE = {
    "description": "the text is empty or longer than a QR code here holds",
    "content": {
        "application/json": {
            "schema": {"$ref": "#/components/schemas/HTTPValidationError"},
            "example": {"detail": [TOO_LONG_ERROR]},
        }
    },
}


@router.get(
    "/qr",
    summary="A QR code of a text (such as a playground link), as SVG",
    response_class=Response,
    responses={200: SVG_RESPONSE, 422: TOO_LONG_RESPONSE},
)
def qr_code(
    text: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QR_BYTES,
            examples=[EXAMPLE_TEXT],
            description=f"what the code holds: 1 to {MAX_QR_BYTES} bytes as UTF-8 (an ASCII link: "
            f"up to {MAX_QR_BYTES} characters)",
        ),
    ],
) -> Response:
    """The playground's Share control shows its link this way, big enough for a projector. The
    same text always gives the same SVG, so it may be cached."""
    size = len(text.encode())
    if size > MAX_QR_BYTES:
        message = TOO_LONG.replace("1234", str(size))
        error = {"type": "value_error", "loc": ("query", "text"), "msg": message, "input": text}
        raise RequestValidationError([error])
    headers = {"Cache-Control": "public, max-age=86400"}
    return Response(qr_svg(text), media_type="image/svg+xml", headers=headers)
