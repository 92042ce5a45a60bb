"""GET /api/qr: the Share control's QR code, an SVG that decodes to the text it was given."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import zxingcpp

from app.api.routes.qr import MAX_QR_BYTES

SVG = "{http://www.w3.org/2000/svg}"
QR = zxingcpp.BarcodeFormat.QRCode  # only: other formats find false codes in its pattern
LINK = "http://127.0.0.1:8000/?hide=run,training,data&ds=moons&classes=2#pts=0.50,-0.25,1"


def modules(svg):
    """The dark modules of a segno SVG as a boolean matrix: its path is runs of `h n` (n dark
    modules to the right) joined by relative moves `m dx dy`, each row at y + 0.5."""
    root = ET.fromstring(svg)
    size = int(root.get("viewBox").split()[2])
    dark = np.zeros((size, size), dtype=bool)
    path = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "qrline").get("d")
    x = y = 0.0
    for command, numbers in re.findall(r"([Mmh])([-\d. ]+)", path):
        values = [float(v) for v in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            dark[int(y - 0.5), int(x) : int(x + values[0])] = True
            x += values[0]
    return dark


def decode(svg, scale=4):
    """Read the SVG's code back as a scanner would: draw it to pixels, decode with zxing-cpp."""
    pixels = np.where(np.kron(modules(svg), np.ones((scale, scale))), 0, 255).astype(np.uint8)
    return [result.text for result in zxingcpp.read_barcodes(pixels, formats=QR)]


@pytest.mark.parametrize("text", [LINK, "한국어 링크 ✓", "x" * MAX_QR_BYTES])
def test_the_svg_decodes_to_the_text(client, text):
    response = client.get("/api/qr", params={"text": text})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg" and root.get("viewBox")  # scales to any size on a page
    assert decode(response.content) == [text]


def test_the_same_text_gives_the_same_svg_and_may_be_cached(client):
    first, second = (client.get("/api/qr", params={"text": LINK}) for _ in range(2))
    assert first.content == second.content
    assert "max-age" in first.headers["cache-control"]


def test_a_text_over_the_limit_is_422_saying_the_limit(client):
    response = client.get("/api/qr", params={"text": "x" * (MAX_QR_BYTES + 1)})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "text"] and str(MAX_QR_BYTES) in error["msg"]


def test_a_text_over_the_limit_in_bytes_is_422_saying_its_size_and_the_limit(client):
    text = "한" * 400  # 400 characters, 1200 bytes as UTF-8
    response = client.get("/api/qr", params={"text": text})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "text"]
    assert "1200 bytes" in error["msg"] and f"at most {MAX_QR_BYTES}" in error["msg"]


def test_an_empty_text_is_422(client):
    assert client.get("/api/qr", params={"text": ""}).status_code == 422


def test_the_route_is_documented_with_examples(client):
    route = client.get("/openapi.json").json()["paths"]["/api/qr"]["get"]
    [parameter] = route["parameters"]
    assert parameter["schema"]["maxLength"] == MAX_QR_BYTES and parameter["schema"]["examples"]
    svg = route["responses"]["200"]["content"]["image/svg+xml"]["example"]
    assert decode(svg.encode()) == [parameter["schema"]["examples"][0]]
    assert route["responses"]["422"]["content"]["application/json"]["example"]["detail"]


def test_options_give_the_limit_to_pages(client):
    assert client.get("/api/options").json()["limits"]["max_qr_bytes"] == MAX_QR_BYTES
