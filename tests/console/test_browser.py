"""End-to-end tests of the simulator's web console in headless Chromium (issue #6).

An admin clicks through the console as in a real Okta org; each test then checks what the
page shows and, over SCIM, what the reference provider received. Screenshots of the main
screens go to $SCIMCERT_ARTIFACTS/screenshots (default test-artifacts/screenshots).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
import requests

if os.environ.get("SCIMCERT_REQUIRE_BROWSER", "") in ("", "0"):
    pytest.importorskip("selenium", reason="browser tests need selenium: pip install -e '.[dev]'")

from flask import Flask
from selenium.webdriver.common.by import By

from simulator.provider.server import RunningServer, start_in_thread
from tests.console import steps
from tests.console.browser import Console
from tests.console.conftest import ADMIN_TOKEN, IVANTI, SCIM_TOKEN

pytestmark = pytest.mark.browser

CUSTOM = f"{IVANTI}:custAttr1"
EXPIRED = "The form expired; reload the page and try again."


@pytest.fixture
def console(driver: Any, simulator: RunningServer) -> Console:
    return Console(driver, simulator.url)


@pytest.fixture
def admin(console: Console) -> Console:
    """The console, logged in with the admin token."""
    steps.login(console, ADMIN_TOKEN)
    steps.no_error(console)
    return console


def scim_find(target: RunningServer, endpoint: str, filter_: str) -> list[dict[str, Any]]:
    """Resources of the provider matching a SCIM filter, read with the provider's own token."""
    resp = requests.get(
        f"{target.url}/scim/v2/{endpoint}",
        params={"filter": filter_},
        headers={"Authorization": f"Bearer {SCIM_TOKEN}", "Accept": "application/scim+json"},
        timeout=10,
    )
    assert resp.status_code == 200, f"GET /{endpoint}?filter={filter_} -> {resp.status_code}: {resp.text}"
    return list(resp.json()["Resources"])


def session_cookies(c: Console) -> dict[str, str]:
    return {cookie["name"]: cookie["value"] for cookie in c.driver.get_cookies()}


def test_harness_loads_a_local_page(driver, screenshot):
    """Chromium starts and loads a page from 127.0.0.1: tells a broken browser from a broken console."""
    app = Flask(__name__)
    app.add_url_rule("/", "index", lambda: "<title>smoke</title><h1>scimcert browser harness</h1>")
    with start_in_thread(app) as server:
        driver.get(server.url + "/")
        assert driver.title == "smoke"
        assert driver.find_element(By.TAG_NAME, "h1").text == "scimcert browser harness"
        assert screenshot("harness").stat().st_size > 0


@dataclass(frozen=True, slots=True)
class Provisioned:
    """What the click path created: Okta ids and the SCIM ids the target gave them."""

    app: str
    ann: str
    bob: str
    group: str
    ann_scim: str
    bob_scim: str
    group_scim: str


def test_click_path_provisions_people_groups_and_custom_attribute(admin, make_target, screenshot):
    target = make_target()
    done = click_through_provisioning(admin, target, screenshot)
    click_through_custom_attribute(admin, done, screenshot)
    check_verify_views_and_log(admin, done, screenshot)

    (user,) = scim_find(target, "Users", 'userName eq "ann@example.com"')
    assert (user["id"], user["externalId"], user["title"]) == (done.ann_scim, done.ann, "Staff Engineer")
    assert user["name"] == {"givenName": "Ann", "familyName": "Tester"}
    assert user[IVANTI] == {"custAttr1": "CC-42"}
    (group,) = scim_find(target, "Groups", 'displayName eq "Engineering"')
    assert group["id"] == done.group_scim
    assert {m["value"] for m in group["members"]} == {done.ann_scim, done.bob_scim}


def click_through_provisioning(c: Console, target: RunningServer, screenshot: Any) -> Provisioned:
    """Catalog → Add, Integration, To App, People, Groups, Assignments, Push Groups."""
    app_id = steps.add_catalog_app(c)
    assert steps.APP_LABEL in c.h1
    screenshot("app-added")
    verified = steps.configure_integration(c, app_id, target.url + "/scim/v2", SCIM_TOKEN)
    assert "verified successfully" in verified
    assert SCIM_TOKEN not in c.driver.page_source, "the saved token must never be sent back to the browser"
    steps.enable_to_app(c, app_id, "create", "update", "deactivate")
    screenshot("provisioning")

    ann = steps.add_person(c, "ann@example.com", "Ann", "Tester", extra="costCenter = CC-42", title="Eng")
    bob = steps.add_person(c, "bob@example.com", "Bob", "Builder", department="Platform")
    c.nav("people")
    assert {ann, bob} <= {r.key for r in c.rows("table#people")}
    screenshot("people")
    group = steps.add_group(c, "Engineering", "Builds the product", members=(ann, bob))
    screenshot("group")

    ann_scim = steps.assign_person(c, app_id, ann).cell("td.scim-id")
    steps.assign_group(c, app_id, group, "Engineering")
    bob_scim = c.row("table#assigned-people", bob).cell("td.scim-id")
    assert ann_scim and bob_scim, "assigned people must show the SCIM id the target gave them"
    screenshot("assignments")
    pushed = steps.push_group(c, app_id, group)
    assert "Active" in pushed.cell("td.push-status")
    screenshot("push-groups")
    return Provisioned(app_id, ann, bob, group, ann_scim, bob_scim, pushed.cell("td.scim-id"))


def click_through_custom_attribute(c: Console, done: Provisioned, screenshot: Any) -> None:
    """Profile Editor: Add Attribute in the Ivanti namespace, map user.costCenter, edit the person."""
    fields = {
        "display_name": "Custom Attribute 1",
        "variable_name": "custAttr1",
        "external_name": "custAttr1",
        "external_namespace": IVANTI,
        "type": "string",
    }
    attribute = steps.add_app_attribute(c, done.app, fields)
    assert IVANTI in attribute.text and "Custom Attribute 1" in attribute.text
    screenshot("profile-editor")
    steps.map_attribute(c, done.app, "custAttr1", "user.costCenter")
    screenshot("mappings")
    pushed = steps.edit_person(c, done.ann, title="Staff Engineer")
    assert pushed, "saving an assigned person says what the profile push did"
    assigned = c.text("table#assignments")
    assert done.ann_scim in assigned and steps.APP_LABEL in assigned


def check_verify_views_and_log(c: Console, done: Provisioned, screenshot: Any) -> None:
    """Verify user and group read back from the target; the log shows the exchange, token redacted."""
    steps.app_tab(c, done.app, "assignments")
    c.follow(c.row("table#assigned-people", done.ann).element.find_element(By.CSS_SELECTOR, "a.verify"))
    shown = steps.verify_rows(c)
    assert shown["userName"].cell("td.received") == "ann@example.com"
    assert shown[CUSTOM].cell("td.sent") == shown[CUSTOM].cell("td.received") == "CC-42"
    assert "diff" not in (shown[CUSTOM].element.get_attribute("class") or "").split()
    screenshot("verify-user")
    steps.app_tab(c, done.app, "push")
    c.follow(c.row("table#pushed-groups", done.group).element.find_element(By.CSS_SELECTOR, "a.verify"))
    assert steps.verify_rows(c)["displayName"].cell("td.received") == "Engineering"
    screenshot("verify-group")

    c.nav("log")
    newest = c.rows("table#log", key="data-seq")[0]
    c.follow(newest.element.find_element(By.CSS_SELECTOR, "a.open"))
    request, response = c.text("pre#request"), c.text("pre#response")
    assert "Authorization" in request and SCIM_TOKEN not in request and response
    screenshot("log-entry")


class OrgApi:
    """The simulator's admin API (/api/v1, SSWS): arranges an org quickly for the failure tests."""

    def __init__(self, simulator: RunningServer) -> None:
        self.base = simulator.url + "/api/v1"
        self.http = requests.Session()
        self.http.headers.update({"Authorization": f"SSWS {ADMIN_TOKEN}", "Accept": "application/json"})

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        resp = self.http.request(method, self.base + path, json=body, params=params, timeout=30)
        assert resp.ok, f"{method} {path} -> {resp.status_code}: {resp.text}"
        return resp.json() if resp.content else None

    def person(self, login: str, first: str, last: str) -> str:
        profile = {"login": login, "email": login, "firstName": first, "lastName": last}
        return str(self.call("POST", "/users", {"profile": profile}, activate="true")["id"])

    def provisioned_app(self, scim_base: str) -> str:
        """The test app, connected to scim_base, with Create / Update / Deactivate enabled."""
        body = {"name": "scim2testapp", "label": steps.APP_LABEL, "signOnMode": "SAML_2_0"}
        app_id = str(self.call("POST", "/apps", body, activate="true")["id"])
        conn = {"baseUrl": scim_base, "profile": {"authScheme": "TOKEN", "token": SCIM_TOKEN}}
        self.call("POST", f"/apps/{app_id}/connections/default", conn, activate="true")
        enabled = {"status": "ENABLED"}
        caps = {
            "create": {"lifecycleCreate": enabled},
            "update": {"profile": enabled, "lifecycleDeactivate": enabled},
        }
        self.call("PUT", f"/apps/{app_id}/features/USER_PROVISIONING", caps)
        return app_id


@pytest.fixture
def org_api(simulator: RunningServer) -> OrgApi:
    return OrgApi(simulator)


def test_refused_deactivation_shows_okta_task(admin, org_api, make_target, screenshot):
    target = make_target("patch-requires-path")  # refuses Okta's {"op":"replace","value":{"active":false}}
    app_id = org_api.provisioned_app(target.url + "/scim/v2")
    ann = org_api.person("ann@example.com", "Ann", "Tester")
    org_api.call("POST", f"/apps/{app_id}/users", {"id": ann, "scope": "USER"})

    c = admin
    c.open(f"/console/people/{ann}")
    c.click("#deactivate")
    failure = c.flash("error")
    assert f"Automatic deactivation of user Ann Tester in app {steps.APP_LABEL} failed" in failure
    assert "Bad Request" in failure
    screenshot("deactivation-failed")
    c.click('#flashes a[href$="/console/tasks"]')
    (task,) = c.rows("table#tasks")
    assert task.key.startswith("tsk")
    assert "Automatic deactivation of user Ann Tester" in task.text and "OPEN" in task.text.upper()
    screenshot("tasks")
    c.follow(task.element.find_element(By.CSS_SELECTOR, ".retry"))
    assert "Automatic deactivation of user Ann Tester" in c.flash("error")  # the target still refuses
    c.nav("tasks")
    assert [t.key for t in c.rows("table#tasks")] == [task.key], "a failed retry keeps the one open task"

    (user,) = scim_find(target, "Users", 'userName eq "ann@example.com"')
    assert user["active"] is True, "the target refused the PATCH, so the user must still be active there"


def test_unreachable_target_fails_assignment_as_okta_task(admin, org_api, make_target):
    target = make_target()
    app_id = org_api.provisioned_app(target.url + "/scim/v2")
    ann = org_api.person("ann@example.com", "Ann", "Tester")
    target.stop()

    c = admin
    steps.app_tab(c, app_id, "assignments")
    c.choose("select#assign-person", ann)
    c.click("#assign-person-btn")
    failure = c.flash("error")
    assert f"Automatic provisioning of user Ann Tester to app {steps.APP_LABEL} failed" in failure
    assert c.exists('#flashes a[href$="/console/tasks"]')
    c.nav("tasks")
    assert any("Automatic provisioning of user Ann Tester" in t.text for t in c.rows("table#tasks"))


def test_wrong_scim_token_fails_connector_test_and_save(admin, org_api, make_target, screenshot):
    target = make_target()
    app_id = org_api.call("POST", "/apps", {"name": "scim2testapp", "label": steps.APP_LABEL})["id"]
    c = admin
    steps.app_tab(c, app_id, "provisioning")
    steps.fill_integration(c, target.url + "/scim/v2", "not-the-token")
    result = steps.run_connector_test(c)
    assert "verified successfully" not in result
    assert "Unauthorized" in result or "401" in result, result
    screenshot("connector-401")

    steps.fill_integration(c, target.url + "/scim/v2", "not-the-token")
    c.click("#save-integration")
    assert "Error authenticating" in c.flash("error")
    assert c.exists('#flashes a[href$="/console/tasks"]')
    assert c.text("#connection-status") == "DISABLED"
    screenshot("save-401")


def test_login_refuses_wrong_token_and_returns_to_next(console, simulator, screenshot):
    c = console
    c.open("/")
    assert c.path.startswith("/console/login"), f"/ without a session reached {c.path}, not the login page"
    c.open("/console/people")
    assert c.path.startswith("/console/login?next=")
    steps.login(c, "not-the-admin-token")
    assert "Invalid admin token" in c.flash("error")
    assert c.path.startswith("/console/login")
    screenshot("login-refused")

    steps.login(c, ADMIN_TOKEN)
    assert (c.path, c.h1) == ("/console/people", "People")
    api = requests.get(f"{simulator.url}/api/v1/users", cookies=session_cookies(c), timeout=10)
    assert api.status_code == 401, "the admin API must not accept the console's session cookie"

    c.open("/console/logout")
    c.open("/console/groups")
    assert c.path.startswith("/console/login")
    c.open("/console/login")
    steps.login(c, ADMIN_TOKEN)
    assert (c.path, c.h1) == ("/console/", "Dashboard")


def test_post_without_csrf_token_is_refused(admin, simulator, screenshot):
    c = admin
    c.open("/console/groups/new")
    action = c.driver.execute_script("return document.querySelector('#save').form.action")
    c.driver.execute_script("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    c.fill("name", "Forged in the page")
    c.click("#save")
    assert EXPIRED in c.driver.page_source and "Traceback" not in c.driver.page_source
    screenshot("csrf-refused")

    for forged in ({"name": "Forged without token"}, {"name": "Forged with a bad token", "csrf_token": "x"}):
        resp = requests.post(action, data=forged, cookies=session_cookies(c), timeout=10)
        assert resp.status_code == 400 and EXPIRED in resp.text, (resp.status_code, resp.text[:300])
    c.nav("groups")
    assert not any("Forged" in r.text for r in c.rows("table#groups"))
