"""Page helpers for the console's browser tests: the contract's ids and selectors, in one place.

`Console` wraps a Selenium driver pointed at the simulator. Every wait is explicit (WebDriverWait
on an element or a condition), so a missing element fails after WAIT_S with the selector named,
not after a long implicit wait.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT_S = 15.0  # generous: a loaded 2-core CI box can be slow; a wait only lasts that long on failure
IGNORED = (NoSuchElementException, StaleElementReferenceException)


def _left_the_document(element: WebElement) -> Callable[[WebDriver], bool]:
    """EC.staleness_of, also for chromedriver's other answer about a page being replaced.

    Asked about a node of the old page mid-navigation, chromedriver may answer "Node with given
    id does not belong to the document" as a plain WebDriverException instead of a stale element
    reference; Selenium's staleness_of lets that escape and a passing test fails at random.
    """

    def check(_driver: WebDriver) -> bool:
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    return check


@dataclass(frozen=True, slots=True)
class Row:
    """One table row: its data-* key, the text of each cell, and the element itself."""

    key: str
    cells: tuple[str, ...]
    element: WebElement

    def cell(self, css: str) -> str:
        return self.element.find_element(By.CSS_SELECTOR, css).text.strip()

    @property
    def text(self) -> str:
        return " ".join(self.cells)


class Console:
    """The simulator's web console as a user sees it: pages, forms, flashes and tables."""

    def __init__(self, driver: WebDriver, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url.rstrip("/")

    # -- waiting and finding -----------------------------------------------------------------
    def until(self, condition: Callable[[WebDriver], Any], what: str, timeout: float = WAIT_S) -> Any:
        """Wait for condition; on timeout fail with what was awaited and where the browser is."""
        try:
            return WebDriverWait(self.driver, timeout, 0.05, IGNORED).until(condition)
        except TimeoutException:
            raise AssertionError(f"timed out after {timeout}s waiting for {what} on {self.path}") from None

    def find(self, css: str, timeout: float = WAIT_S) -> WebElement:
        found: WebElement = self.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)), css, timeout)
        return found

    def all(self, css: str) -> list[WebElement]:
        return list(self.driver.find_elements(By.CSS_SELECTOR, css))

    def exists(self, css: str) -> bool:
        return bool(self.all(css))

    def text(self, css: str) -> str:
        return str(self.find(css).text).strip()

    @property
    def path(self) -> str:
        parts = urlsplit(self.driver.current_url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def h1(self) -> str:
        return self.text("h1")

    # -- navigating and acting ---------------------------------------------------------------
    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def click(self, css: str) -> None:
        """Click something that loads a new page (a link or a form's submit button) and wait for it."""
        element = self.until(EC.element_to_be_clickable((By.CSS_SELECTOR, css)), f"clickable {css}")
        self.follow(element)

    def follow(self, element: WebElement) -> None:
        """Click element and wait until the page it loads is complete."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        what = describe(element)
        element.click()
        self.until(_left_the_document(old), f"a new page after clicking {what}")
        self.until(lambda d: d.execute_script("return document.readyState") == "complete", "page load")

    def nav(self, name: str) -> None:
        """Use the navigation bar: people, groups, apps, profile-editor, log, tasks."""
        self.click(f"nav#nav a#nav-{name}")

    def fill(self, name: str, value: str) -> None:
        """Type value into the input, textarea or select called name (replacing what was there)."""
        element = self.find(f'[name="{name}"]')
        if element.tag_name == "select":
            self.choose(f'[name="{name}"]', value)
            return
        element.clear()
        element.send_keys(value)

    def fill_form(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            self.fill(name, value)

    def choose(self, css: str, *wanted: str) -> None:
        """Select the first option whose value is one of wanted, or whose label contains one."""
        select = Select(self.find(css))
        options = [(o.get_attribute("value") or "", o.text.strip()) for o in select.options]
        by_value = [v for v, _ in options if v in wanted]
        by_label = [v for v, label in options if any(w and w in label for w in wanted)]
        for value in (*by_value, *by_label)[:1]:
            select.select_by_value(value)
            return
        raise AssertionError(f"{css} on {self.path} has no option {wanted}; it offers {options}")

    def check(self, css: str, on: bool = True) -> None:
        box = self.find(css)
        if box.is_selected() != on:
            box.click()

    def checked(self, css: str) -> bool:
        return bool(self.find(css).is_selected())

    # -- reading -----------------------------------------------------------------------------
    def flashes(self, kind: str) -> list[str]:
        """Texts of `#flashes .flash.<kind>` (kind: ok or error)."""
        return [e.text.strip() for e in self.all(f"#flashes .flash.{kind}")]

    def flash(self, kind: str) -> str:
        """The one flash of kind that the last action must have shown."""
        self.find(f"#flashes .flash.{kind}")
        texts = self.flashes(kind)
        other = "error" if kind == "ok" else "ok"
        assert texts, f"no .flash.{kind} on {self.path}; .flash.{other}: {self.flashes(other)}"
        return "\n".join(texts)

    def rows(self, table_css: str, key: str = "data-id") -> list[Row]:
        """The table's rows that carry the key attribute, in page order (read in one round trip)."""
        table = self.find(table_css)
        found = self.driver.execute_script(
            "return Array.from(arguments[0].querySelectorAll('tr[' + arguments[1] + ']')).map(tr =>"
            " [tr, tr.getAttribute(arguments[1]), Array.from(tr.cells).map(td => td.innerText.trim())]);",
            table,
            key,
        )
        return [Row(str(k), tuple(cells), tr) for tr, k, cells in found]

    def row(self, table_css: str, value: str, key: str = "data-id") -> Row:
        for found in self.rows(table_css, key):
            if found.key == value:
                return found
        shown = [r.key for r in self.rows(table_css, key)]
        raise AssertionError(f"{table_css} on {self.path} has no row {key}={value!r}; rows: {shown}")

    def id_in_path(self, prefix: str) -> str:
        """The Okta id (00u…, 00g…, 0oa…) that the current URL names."""
        match = re.search(rf"/({re.escape(prefix)}[A-Za-z0-9]+)", self.path)
        assert match, f"no {prefix}… id in {self.path}"
        return match.group(1)


def describe(element: WebElement) -> str:
    """The start of the element's HTML, to name it in failure messages."""
    html = element.parent.execute_script("return arguments[0].outerHTML.slice(0, 120)", element)
    return " ".join(str(html).split())
