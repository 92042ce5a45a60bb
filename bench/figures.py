"""Seconds from pressing Play to each lesson figure on the Side-by-side page:
``python -m bench.figures [--repeat 3] [--preset units ...]``.

Starts uvicorn on 127.0.0.1 and, for each preset of GET /api/presets, opens
/experiments/grid?preset=NAME in headless Debian Chromium, presses Play and waits until the page
shows its summary (the stream stops at the preset's step). Beside it, in the same run, the
baseline: the same training through the API alone (POST /api/groups/{id}/step up to the step,
in one process, no page), so the ratio says what drawing it live costs. The issue's goal: the
figure within 15 s of Play on this 2-core machine.
"""

import argparse
import json
import platform
import statistics
import subprocess
import time
import urllib.request

from playwright.sync_api import sync_playwright

from bench.api import free_port, start_server
from bench.page import ARGS

GOAL_SECONDS = 15


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        return next(line.split(":", 1)[1].strip() for line in out.splitlines()
                    if line.startswith("Model name"))  # fmt: skip
    except (OSError, StopIteration, subprocess.CalledProcessError):
        return platform.processor() or "unknown CPU"


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base}{path}", data, method=method,
                                     headers={"content-type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or "null")


def api_seconds(base, preset):
    """The preset trained to its step through the API alone, grids at the page's resolution."""
    group = call(base, "POST", "/api/groups", preset["request"])
    resolution = 100 if len(group["panels"]) <= 4 else 64
    started = time.perf_counter()
    query = (
        f"steps={preset['steps_per_frame']}&until_step={preset['steps']}&resolution={resolution}"
    )
    while True:
        frame = call(base, "POST", f"/api/groups/{group['id']}/step?{query}")
        if all(p["metrics"]["step"] >= preset["steps"] or p["diverged"] for p in frame["panels"]):
            break
    seconds = time.perf_counter() - started
    call(base, "DELETE", f"/api/groups/{group['id']}")
    return seconds


def page_seconds(browser, base, name):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{base}/experiments/grid?preset={name}")
    while not page.evaluate("window.renderedFrames"):  # wait_for_function needs eval (CSP)
        time.sleep(0.02)
    started = time.perf_counter()
    page.click("#play")
    while page.evaluate("document.querySelector('#summary').hidden"):
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    page.close()
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description="Seconds from Play to each lesson figure")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--preset", action="append", help="only these (default: all)")
    args = parser.parse_args(argv)
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    print(f"Side-by-side figures, headless Chromium, {cpu_model()}; medians of {args.repeat}")
    rows = []
    try:
        presets = [p for p in call(base, "GET", "/api/presets")
                   if not args.preset or p["name"] in args.preset]  # fmt: skip
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=ARGS)  # fmt: skip
            for preset in presets:
                page = statistics.median(page_seconds(browser, base, preset["name"])
                                         for _ in range(args.repeat))  # fmt: skip
                alone = statistics.median(api_seconds(base, preset) for _ in range(args.repeat))
                rows.append({"preset": preset["name"], "page_s": page, "api_s": alone})
                verdict = "within" if page <= GOAL_SECONDS else "OVER"
                print(f"{preset['name']:>7}: step {preset['steps']:>5} in {page:5.1f} s on the "
                      f"page ({verdict} {GOAL_SECONDS} s); the API alone {alone:4.1f} s, "
                      f"page/API {page / alone:.2f}×")  # fmt: skip
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return rows


if __name__ == "__main__":
    main()
