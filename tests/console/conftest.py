"""Fixtures for the console's browser tests: a reference provider, the simulator and headless Chromium.

Chromium and chromedriver come from Debian's `chromium` and `chromium-driver` packages. Their paths
are given to Selenium explicitly (and SE_OFFLINE is set) so Selenium Manager never downloads a
browser or a driver. Without them the browser tests skip, unless SCIMCERT_REQUIRE_BROWSER=1 (as in
CI), where a missing browser fails the run instead. SCIMCERT_CHROMIUM / SCIMCERT_CHROMEDRIVER point
elsewhere (e.g. on a developer's Mac). Screenshots go to $SCIMCERT_ARTIFACTS/screenshots (default
test-artifacts/screenshots); a failed test also leaves its last screen and HTML there.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from simulator.okta.api import SimulatorConfig
from simulator.okta.api import create_app as create_simulator
from simulator.provider.app import create_app as create_provider
from simulator.provider.deviations import Deviations
from simulator.provider.server import RunningServer, start_in_thread
from simulator.provider.service import ProviderConfig
from simulator.scim.extensions import parse_extension_spec

CHROMIUM = os.environ.get("SCIMCERT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SCIMCERT_CHROMEDRIVER", "/usr/bin/chromedriver")
ADMIN_TOKEN = "console-admin-t0k3n"
SCIM_TOKEN = "console-scim-t0k3n"
IVANTI = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User"
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # Chromium refuses to start as root with its sandbox
    "--disable-gpu",
    "--disable-dev-shm-usage",  # small /dev/shm in containers crashes tabs
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--no-proxy-server",  # only 127.0.0.1 is ever loaded
    "--window-size=1280,1024",
)

Screenshot = Callable[[str], Path]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import selenium  # noqa: F401, PLC0415 - optional: only the dev extra installs it
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (os.access(path, os.X_OK) or shutil.which(path)):
            return f"{path} not found (apt-get install {package}; or set SCIMCERT_CHROMIUM/CHROMEDRIVER)"
    return None


def require_browser() -> None:
    """Skip with the reason, or fail when the environment says the browser is required."""
    reason = browser_missing()
    if reason is None:
        return
    if os.environ.get("SCIMCERT_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(f"SCIMCERT_REQUIRE_BROWSER is set but the browser cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests need headless Chromium: {reason}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item so the driver fixture can tell a failed test."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.fixture(scope="session")
def screenshot_dir(pytestconfig: pytest.Config) -> Path:
    """$SCIMCERT_ARTIFACTS/screenshots, default test-artifacts/screenshots under the repo root."""
    root = os.environ.get("SCIMCERT_ARTIFACTS") or str(pytestconfig.rootpath / "test-artifacts")
    folder = Path(root) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in (*folder.glob("test_*.png"), *folder.glob("test_*.html")):
        stale.unlink()  # screens of an earlier run would pass for this run's
    return folder


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium with a fresh profile for the whole run (starting one costs seconds)."""
    require_browser()
    from selenium import webdriver  # noqa: PLC0415 - imported only once the browser is known present
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    with pytest.MonkeyPatch.context() as env:
        env.setenv("SE_OFFLINE", "true")  # belt and braces: Selenium Manager must never fetch anything
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        profile = tmp_path_factory.mktemp("chromium-profile")
        for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    browser.implicitly_wait(0)  # every wait is explicit (tests/console/browser.py); absent means absent
    browser.set_page_load_timeout(30)
    yield browser
    browser.quit()


@pytest.fixture
def driver(request: pytest.FixtureRequest, chromium: Any, screenshot_dir: Path) -> Iterator[Any]:
    """The browser, signed out and blank; on a failed test its screen and HTML are kept as artefacts."""
    _sign_out(chromium)
    yield chromium
    call = request.node.stash.get(_REPORTS, {}).get("call")
    if call is not None and call.failed:
        stem = _stem(request.node.name)
        with contextlib.suppress(Exception):  # a crashed browser must not bury the test's own failure
            save_page(chromium, screenshot_dir / f"{stem}-FAILED.png")
            (screenshot_dir / f"{stem}-FAILED.html").write_text(chromium.page_source, encoding="utf-8")
    _sign_out(chromium)


def _sign_out(browser: Any) -> None:
    """A blank page and no cookies: 127.0.0.1 cookies are shared by every port, so each test starts clean."""
    browser.get("about:blank")
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})


@pytest.fixture
def screenshot(request: pytest.FixtureRequest, driver: Any, screenshot_dir: Path) -> Screenshot:
    """shot(name) saves the current screen as <test>-<nn>-<name>.png and returns the path."""
    stem, count = _stem(request.node.name), [0]

    def shot(name: str) -> Path:
        count[0] += 1
        path = screenshot_dir / f"{stem}-{count[0]:02d}-{_stem(name)}.png"
        save_page(driver, path)
        return path

    return shot


def save_page(browser: Any, path: Path) -> None:
    """A PNG of the whole page, also what lies below the window (Chrome DevTools' full-page capture)."""
    size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "clip": clip})
    path.write_bytes(base64.b64decode(shot["data"]))


def _stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


ProviderFactory = Callable[..., RunningServer]


@pytest.fixture
def make_target() -> Iterator[ProviderFactory]:
    """Start reference providers (with the Ivanti extension) on loopback; all stop at teardown."""
    running: list[RunningServer] = []

    def start(*deviations: str, token: str = SCIM_TOKEN) -> RunningServer:
        config = ProviderConfig(
            token=token,
            deviations=Deviations.parse(deviations),
            extensions=(parse_extension_spec(f"{IVANTI}=custAttr1"),),
        )
        server = start_in_thread(create_provider(config))
        running.append(server)
        return server

    yield start
    for server in running:
        server.stop()


@pytest.fixture
def simulator() -> Iterator[RunningServer]:
    """The Okta simulator (admin API and console) with an in-memory org."""
    server = start_in_thread(create_simulator(SimulatorConfig(ADMIN_TOKEN, ":memory:")))
    yield server
    server.stop()
