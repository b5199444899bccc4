"""Headless Chromium for the report's browser tests, its screenshot script and its benchmark.

Browser builds cannot be downloaded here, so Playwright drives a system Chromium: Debian's
`chromium` (scripts/install_chromium installs it) or the binary named by LITMINE_CHROMIUM.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager

# No background traffic: this machine's closed network refuses it, and a report must not need it.
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def chromium_path() -> str | None:
    return os.environ.get("LITMINE_CHROMIUM") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("no Chromium found: run ./scripts/install_chromium or set LITMINE_CHROMIUM")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
