"""Frames the playground page draws per second: ``python -m bench.page [--seconds 10]``.

Starts uvicorn on 127.0.0.1, opens the page in headless Debian Chromium (Playwright), presses
play, and counts the frames the page rendered (``window.renderedFrames``, bumped after each
decision-region, curve and diagram update) over a window, after a warm-up. With --soak it keeps
playing and samples the JS heap and the server's resident memory every 30 s, to show neither
grows (``--soak 300``). Frames arrive over the live stream at up to 30 per second, the rate
the page asks for.
"""

import argparse
import os
import time

from playwright.sync_api import sync_playwright

from bench.api import free_port, start_server

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--enable-precise-memory-info"]  # fmt: skip


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        line = next(x for x in f if x.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


def heap_mb(page):
    return page.evaluate("performance.memory.usedJSHeapSize") / 2**20


def measure(url, seconds, soak, server_pid):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        while not page.evaluate("window.renderedFrames"):  # wait_for_function needs eval (CSP)
            time.sleep(0.05)
        page.click("#play")
        time.sleep(3)  # warm-up
        start, started = page.evaluate("window.renderedFrames"), time.perf_counter()
        time.sleep(seconds)
        frames = page.evaluate("window.renderedFrames") - start
        fps = frames / (time.perf_counter() - started)
        step = int(page.inner_text("#step-count"))  # both pages show the step
        print(f"{fps:.1f} frames/s rendered over {seconds:g} s (step counter at {step})")
        times = page.evaluate("window.drawTimes")
        if times:  # the playground reports what its last draw cost
            decision, curves, diagram = times
            print(f"last draw, ms: decision {decision:.1f}, curves {curves:.1f}, "
                  f"diagram {diagram:.1f}")  # fmt: skip
        samples = []
        deadline = time.monotonic() + soak
        while time.monotonic() < deadline:
            samples.append((heap_mb(page), rss_mb(server_pid)))
            print(f"  JS heap {samples[-1][0]:.1f} MB, server RSS {samples[-1][1]:.1f} MB")
            time.sleep(min(30, max(0, deadline - time.monotonic())))
        browser.close()
    return fps, samples


def main(argv=None):
    parser = argparse.ArgumentParser(description="Rendered frames per second of the page")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--soak", type=float, default=0, help="keep playing this long")
    parser.add_argument("--path", default="/", help="e.g. /experiments/grid?preset=both")
    args = parser.parse_args(argv)
    port = free_port()
    server = start_server(port)
    try:
        print(f"{args.path}, headless Chromium, {os.cpu_count()} CPUs")
        url = f"http://127.0.0.1:{port}{args.path}"
        _, samples = measure(url, args.seconds, args.soak, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    if samples:
        (heap0, rss0), (heap1, rss1) = samples[0], samples[-1]
        print(f"over {args.soak:g} s: JS heap {heap0:.1f} -> {heap1:.1f} MB, "
              f"server RSS {rss0:.1f} -> {rss1:.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
