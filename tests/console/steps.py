"""The Okta admin's click path through the console, one function per screen action.

Each step clicks through the pages as an admin would, checks that the page took the action
(no `.flash.error`, the new row is listed) and returns the ids that later steps need.
"""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.console.browser import Console, Row

APP_LABEL = "SCIM 2.0 Test App (OAuth Bearer Token)"


def no_error(c: Console) -> list[str]:
    """Fail if the page shows a `.flash.error`; return the `.flash.ok` texts."""
    errors = c.flashes("error")
    assert not errors, f"{c.path} shows an error: {errors}"
    return c.flashes("ok")


def login(c: Console, token: str) -> None:
    if not c.path.startswith("/console/login"):
        c.open("/console/login")
    c.fill("token", token)
    c.click("#login")


def add_catalog_app(c: Console, key: str = "scim2testapp") -> str:
    """Applications → Browse App Catalog → the flavour's Add; returns the new app's id."""
    c.nav("apps")
    assert c.h1 == "Applications"
    c.click("a#browse-catalog")
    c.click(f'button[data-app="{key}"]')
    no_error(c)
    return c.id_in_path("0oa")


def app_tab(c: Console, app_id: str, tab: str) -> None:
    """Open one of the app's tabs (provisioning, assignments, push, import, general)."""
    if not c.path.startswith(f"/console/apps/{app_id}/"):
        c.open(f"/console/apps/{app_id}/provisioning")
    c.click(f"a#tab-{tab}")


def run_connector_test(c: Console) -> str:
    """Press Test Connector Configuration; return the text of `#connection-result`."""
    before = c.all("#connection-result")
    old = (before[0], before[0].text) if before else None
    c.find("#test-connection").click()

    def shown(driver: WebDriver) -> str | None:
        found = driver.find_elements(By.CSS_SELECTOR, "#connection-result")
        if not found or not found[0].text.strip():
            return None
        if old is not None and found[0] == old[0] and found[0].text == old[1]:
            return None
        return str(found[0].text).strip()

    result: str = c.until(shown, "#connection-result after Test Connector Configuration")
    return result


def fill_integration(c: Console, base_url: str, token: str) -> None:
    c.fill("base_url", base_url)
    c.choose('select[name="auth_scheme"]', "TOKEN")
    c.fill("token", token)


def configure_integration(c: Console, app_id: str, base_url: str, token: str) -> str:
    """Provisioning → Integration: URL and token, Test Connector Configuration, Save."""
    app_tab(c, app_id, "provisioning")
    fill_integration(c, base_url, token)
    result = run_connector_test(c)
    fill_integration(c, base_url, token)  # a test that reloads the page need not keep the token
    c.click("#save-integration")
    no_error(c)
    return result


def enable_to_app(c: Console, app_id: str, *actions: str) -> None:
    """Provisioning → To App: tick create / update / deactivate (/ password), Save."""
    app_tab(c, app_id, "provisioning")
    for action in ("create", "update", "deactivate", "password"):
        c.check(f"input#{action}", action in actions)
    c.click("#save-to-app")
    no_error(c)
    for action in actions:
        assert c.checked(f"input#{action}"), f"To App {action} was not kept after Save"


def add_person(c: Console, login: str, first: str, last: str, extra: str = "", **profile: str) -> str:
    """People → Add Person; returns the new person's Okta id."""
    c.nav("people")
    c.click("a#add-person")
    c.fill_form({"login": login, "email": login, "firstName": first, "lastName": last, **profile})
    if extra:
        c.fill("extra", extra)
    c.click("#save")
    no_error(c)
    return id_shown(c, "/console/people/", "00u") or person_id(c, login)


def id_shown(c: Console, page: str, prefix: str) -> str | None:
    """The id of the object whose page the browser is on (a save may land there), else None."""
    rest = c.path.partition("?")[0].removeprefix(page)
    return rest if c.path.startswith(page + prefix) and "/" not in rest else None


def person_id(c: Console, login: str) -> str:
    c.nav("people")
    return c.row("table#people", login, key="data-login").element.get_attribute("data-id") or ""


def add_group(c: Console, name: str, description: str, members: tuple[str, ...] = ()) -> str:
    """Groups → Add Group, then add each member on the group's page; returns the group's id."""
    c.nav("groups")
    c.click("a#add-group")
    c.fill_form({"name": name, "description": description})
    c.click("#save")
    no_error(c)
    group_id = id_shown(c, "/console/groups/", "00g")
    if not group_id:
        c.nav("groups")
        group_id = c.row("table#groups", name, key="data-name").element.get_attribute("data-id") or ""
        c.open(f"/console/groups/{group_id}")
    for user_id in members:
        c.choose("select#member", user_id)
        c.click("#add-member")
        no_error(c)
    listed = {r.key for r in c.rows("table#members")}
    assert listed == set(members), f"group {name} lists members {listed}, expected {set(members)}"
    return group_id


def assign_person(c: Console, app_id: str, user_id: str) -> Row:
    """Assignments → Assign to People; returns the person's row (with its SCIM id)."""
    app_tab(c, app_id, "assignments")
    c.choose("select#assign-person", user_id)
    c.click("#assign-person-btn")
    no_error(c)
    return c.row("table#assigned-people", user_id)


def assign_group(c: Console, app_id: str, group_id: str, name: str) -> None:
    """Assignments → Assign to Groups."""
    app_tab(c, app_id, "assignments")
    c.choose("select#assign-group", group_id)
    c.click("#assign-group-btn")
    no_error(c)
    assert name in c.text("table#assigned-groups"), f"{name} is not among the assigned groups"


def push_group(c: Console, app_id: str, group_id: str) -> Row:
    """Push Groups → Push groups by name; returns the pushed group's row."""
    app_tab(c, app_id, "push")
    c.choose("select#push-group", group_id)
    c.click("#push-group-btn")
    no_error(c)
    return c.row("table#pushed-groups", group_id)


def add_app_attribute(c: Console, app_id: str, fields: dict[str, str]) -> Row:
    """Profile Editor → the app's user profile → Add Attribute; returns the attribute's row."""
    c.nav("profile-editor")
    c.click(f'a.app-profile[data-id="{app_id}"]')
    c.find("a#add-attribute").click()  # the form may be on this page or on …/add: wait for its inputs
    c.fill_form(fields)
    c.click("#save-attribute")
    no_error(c)
    return c.row("table#attributes", fields["variable_name"], key="data-name")


def map_attribute(c: Console, app_id: str, variable: str, expression: str) -> None:
    """Profile Editor → Mappings: Okta expression → app attribute, Save Mappings."""
    if not c.path.startswith(f"/console/profile-editor/{app_id}"):
        c.open(f"/console/profile-editor/{app_id}")
    c.click("a#mappings")
    c.fill(f"map-{variable}", expression)
    c.click("#save-mappings")
    no_error(c)
    kept = c.find(f'input[name="map-{variable}"]').get_attribute("value")
    assert kept == expression, f"mapping for {variable} shows {kept!r} after Save, expected {expression!r}"


def edit_person(c: Console, user_id: str, **fields: str) -> list[str]:
    """Edit the person's profile and Save; returns the ok flashes (what the push did)."""
    c.open(f"/console/people/{user_id}")
    c.fill_form(fields)
    c.click("#save")
    return no_error(c)


def verify_rows(c: Console) -> dict[str, Row]:
    """The Verify view's rows by attribute path."""
    return {r.key: r for r in c.rows("table#verify", key="data-attr")}
