"""The simulator's web console through Flask's test client, against real reference providers.

Sign-in, CSRF, every page, the form messages, Okta's click path to a provider with a custom
extension, failures shown as Okta tasks, and task retry. (Browser tests: test_browser.py.)
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import requests

from simulator.okta.api import SimulatorConfig, create_app
from simulator.okta.console.compare import compare, flatten, sent_user
from simulator.okta.console.people import FormProblem, parse_extra
from simulator.okta.retry import FakeClock
from simulator.okta.store import OrgStore
from simulator.okta.transport import Transport
from tests.conftest import IVANTI, TOKEN, ProviderFactory

ADMIN = "console-test-admin"
LABEL = "SCIM 2.0 Test App (OAuth Bearer Token)"
EXPIRED = "The form expired; reload the page and try again."
CUSTOM = f"{IVANTI}:custAttr1"


class FlakySession:
    """A requests session whose target can be switched off (connection refused) and on again."""

    def __init__(self) -> None:
        self.down = False
        self.http = requests.Session()
        self.http.headers.clear()

    def request(self, method: str, url: str, **kw: Any) -> requests.Response:
        if self.down:
            raise requests.ConnectionError("target is down")
        return self.http.request(method, url, **kw)


class Page:
    """A console response: status, location, and the bits of HTML the tests read."""

    def __init__(self, resp: Any) -> None:
        self.status = resp.status_code
        self.location = resp.headers.get("Location", "")
        self.text = resp.get_data(as_text=True)
        self.mimetype = resp.mimetype

    def flashes(self, kind: str) -> list[str]:
        found = re.findall(rf'<div class="flash {kind}">(.*?)</div>', self.text, re.S)
        return [html.unescape(re.sub(r"<[^>]+>", "", f)).strip() for f in found]

    def table(self, table_id: str) -> str:
        start = self.text.index(f'<table id="{table_id}"')
        return self.text[start : self.text.index("</table>", start)]

    def row_ids(self, table_id: str, attr: str = "data-id") -> list[str]:
        return re.findall(rf'<tr {attr}="([^"]+)"', self.table(table_id))

    def row(self, table_id: str, key: str, attr: str = "data-id") -> str:
        body = self.table(table_id)
        start = body.index(f'<tr {attr}="{key}"')
        return body[start : body.index("</tr>", start)]

    def cell(self, row: str, css_class: str) -> str:
        match = re.search(rf'<t[dh] class="{css_class}">(.*?)</t[dh]>', row, re.S)
        assert match, f"no td.{css_class} in {row}"
        return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()

    def value(self, name: str) -> str:
        match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', self.text)
        assert match, f"no input {name}"
        return html.unescape(match.group(1))


class Console:
    """The test client signed in to the console; post() adds the session's CSRF token."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.client = app.test_client()

    def get(self, path: str) -> Page:
        return Page(self.client.get(path))

    def csrf(self) -> str:
        with self.client.session_transaction() as session:
            return str(session["csrf_token"])

    def post(self, path: str, data: dict[str, Any] | None = None, csrf: bool = True) -> Page:
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = self.csrf()
        return Page(self.client.post(path, data=form))

    def follow(self, page: Page) -> Page:
        assert page.status == 302, (page.status, page.flashes("error"), page.text[:500])
        return self.get(page.location)

    def login(self, token: str = ADMIN) -> Page:
        self.get("/console/login")
        return self.post("/console/login", {"token": token})

    # ---- the admin's steps ----------------------------------------------------------------

    def add_person(self, login: str, first: str, last: str, **more: str) -> str:
        page = self.post(
            "/console/people/new",
            {"login": login, "email": login, "firstName": first, "lastName": last, **more},
        )
        assert page.status == 302, page.flashes("error")
        self.get(page.location)
        return page.location.rsplit("/", 1)[-1]

    def add_group(self, name: str, *members: str) -> str:
        page = self.post("/console/groups/new", {"name": name, "description": f"{name} team"})
        assert page.status == 302, page.flashes("error")
        group_id = page.location.rsplit("/", 1)[-1]
        self.get(page.location)
        for user_id in members:
            self.follow(self.post(f"/console/groups/{group_id}/members", {"user_id": user_id}))
        return group_id

    def install(self, key: str = "scim2testapp") -> str:
        page = self.post("/console/apps/catalog", {"app": key})
        assert page.status == 302 and page.location.endswith("/provisioning"), page.flashes("error")
        return page.location.split("/")[-2]

    def connect(self, app_id: str, base: str, token: str = TOKEN) -> Page:
        form = {"base_url": base, "auth_scheme": "TOKEN", "token": token, "action": "save"}
        return self.post(f"/console/apps/{app_id}/provisioning/integration", form)

    def to_app(self, app_id: str, *boxes: str) -> Page:
        return self.follow(
            self.post(f"/console/apps/{app_id}/provisioning/to-app", dict.fromkeys(boxes, "on"))
        )

    def ready_app(self, base: str) -> str:
        app_id = self.install()
        assert self.connect(app_id, base).status == 302
        self.to_app(app_id, "create", "update", "deactivate")
        return app_id


@pytest.fixture
def make_console(tmp_path):
    def start(transport: Transport | None = None, **config: Any) -> Console:
        cfg = SimulatorConfig(
            ADMIN, str(tmp_path / "org.db"), transport or Transport(clock=FakeClock()), seed=7, **config
        )
        return Console(create_app(cfg))

    return start


@pytest.fixture
def console(make_console) -> Console:
    c = make_console()
    assert c.login().status == 302
    return c


# ---- sign-in, CSRF, errors ------------------------------------------------------------------


def test_root_and_pages_need_sign_in(make_console):
    c = make_console()
    assert c.get("/").location == "/console/"
    page = c.get("/console/people?x=1")
    assert page.status == 302 and page.location == "/console/login?next=/console/people?x%3D1"
    assert c.get("/console/static/console.css").status == 200
    assert c.post("/console/groups/new", {"name": "x"}, csrf=False).location.startswith("/console/login")


def test_login_wrong_token_then_next_then_logout(make_console):
    c = make_console()
    c.get("/console/login?next=/console/groups")
    wrong = c.post("/console/login", {"token": "nope", "next": "/console/groups"})
    assert wrong.status == 401 and wrong.flashes("error") == ["Invalid admin token"]
    assert 'name="next" value="/console/groups"' in wrong.text
    right = c.post("/console/login", {"token": ADMIN, "next": "/console/groups"})
    assert right.location == "/console/groups"
    assert "<h1>Groups</h1>" in c.get("/console/groups").text
    assert c.post("/console/login", {"token": ADMIN, "next": "https://evil.example/"}).location == "/console/"
    c.get("/console/logout")
    assert c.get("/console/groups").location.startswith("/console/login")


def test_admin_api_ignores_the_console_session(console):
    resp = console.client.get("/api/v1/users")
    assert resp.status_code == 401 and resp.json["errorCode"] == "E0000011"
    resp = console.client.get("/api/v1/nothing", headers={"Authorization": f"SSWS {ADMIN}"})
    assert resp.status_code == 404 and resp.json["errorCode"] == "E0000007"
    assert console.client.get("/favicon.ico").status_code == 401  # outside the console: the API's rules


def test_post_without_csrf_token_is_refused(console):
    for form in ({"name": "Forged"}, {"name": "Forged", "csrf_token": "wrong"}):
        page = console.post("/console/groups/new", form, csrf=False)
        assert page.status == 400 and EXPIRED in page.text and "Traceback" not in page.text
    assert console.get("/console/groups").row_ids("groups") == []


def test_session_secret_from_environment(make_console, monkeypatch):
    monkeypatch.setenv("SCIMCERT_CONSOLE_SECRET", "s3cr3t")
    first, second = make_console(), make_console()
    first.login()
    cookie = first.client.get_cookie("session")
    second.client.set_cookie("session", cookie.value)
    assert second.get("/console/people").status == 200  # the same secret signs both processes' sessions


def test_unexpected_failure_is_a_plain_500_page(console, monkeypatch):
    def boom(self):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(OrgStore, "users", boom)
    page = console.get("/console/people")
    assert page.status == 500 and "Something went wrong" in page.text
    assert "disk on fire" not in page.text and "Traceback" not in page.text


def test_unknown_objects_are_html_404s(console):
    for path in (
        "/console/people/00unope",
        "/console/groups/00gnope",
        "/console/apps/0oanope/push",
        "/console/log/999",
        "/console/no-such-page",
    ):
        page = console.get(path)
        assert page.status == 404 and page.mimetype == "text/html", path


# ---- forms ------------------------------------------------------------------------------------


def test_person_form_messages_keep_what_was_typed(console):
    page = console.post(
        "/console/people/new", {"login": "ann@example.com", "email": "ann@example.com", "firstName": "Ann"}
    )
    assert page.status == 400 and page.flashes("error") == ["Last name is required."]
    assert page.value("login") == "ann@example.com"
    bad = console.post(
        "/console/people/new",
        {"login": "a@x", "email": "a@x", "firstName": "A", "lastName": "B", "extra": "costCenter CC-42"},
    )
    assert "line 1: write name = value" in bad.flashes("error")[0]
    assert "costCenter CC-42" in bad.text
    console.add_person("ann@example.com", "Ann", "Tester")
    dup = console.post(
        "/console/people/new",
        {"login": "ANN@example.com", "email": "a@b.c", "firstName": "A", "lastName": "B"},
    )
    assert dup.status == 400 and "already exists" in dup.flashes("error")[0]


def test_edit_person_extra_attributes_and_lifecycle(console):
    ann = console.add_person("ann@example.com", "Ann", "Tester", extra="costCenter = CC-42\n# note\n")
    page = console.get(f"/console/people/{ann}")
    assert (
        "costCenter = CC-42" in page.text
        and '<span id="status" class="badge">PROVISIONED</span>' in page.text
    )
    saved = console.follow(
        console.post(
            f"/console/people/{ann}",
            {
                "login": "ann@example.com",
                "email": "ann@example.com",
                "firstName": "Anne",
                "lastName": "Tester",
                "extra": "costCenter = CC-43",
            },
        )
    )
    assert saved.flashes("ok") == ["Saved ann@example.com."] and "costCenter = CC-43" in saved.text
    off = console.follow(console.post(f"/console/people/{ann}/deactivate"))
    assert "DEPROVISIONED" in off.flashes("ok")[0] and 'id="activate"' in off.text
    on = console.follow(console.post(f"/console/people/{ann}/activate"))
    assert "is now ACTIVE" in on.flashes("ok")[0]


def test_renaming_a_group_to_another_groups_name_is_refused(console):
    """The service refuses the name (as it does on create), for the admin API and the console alike."""
    console.add_group("Engineering")
    sales = console.add_group("Sales")
    dup = console.post(f"/console/groups/{sales}", {"name": "ENGINEERING", "description": "x"})
    assert dup.status == 400 and dup.flashes("error") == ["A group named ENGINEERING already exists."]
    kept = console.post(f"/console/groups/{sales}", {"name": "sales", "description": "renamed case"})
    assert kept.status == 302  # its own name in another case is fine


def test_group_form_messages(console):
    console.add_group("Engineering")
    dup = console.post("/console/groups/new", {"name": "engineering"})
    assert dup.status == 400 and dup.flashes("error") == ["A group named engineering already exists."]
    empty = console.post("/console/groups/new", {"name": "", "description": "kept"})
    assert empty.flashes("error") == ["Name is required."] and 'value="kept"' in empty.text


def test_integration_and_catalog_messages(console):
    app_id = console.install()
    for base in ("ftp://example.com/scim", "http://", "not a url"):
        page = console.connect(app_id, base)
        assert page.status == 400 and "is not valid: use http:// or https://" in page.flashes("error")[0]
    no_token = console.post(
        f"/console/apps/{app_id}/provisioning/integration",
        {"base_url": "http://127.0.0.1:9/scim/v2", "auth_scheme": "TOKEN", "action": "save"},
    )
    assert no_token.flashes("error") == ["Enter the API token (the bearer token of your SCIM server)."]
    aiw = console.post("/console/apps/catalog", {"app": "aiw", "label": ""})
    assert aiw.status == 400 and "Enter an app name" in aiw.flashes("error")[0]
    off = console.post(f"/console/apps/{app_id}/provisioning/to-app", {"create": "on"})
    assert "Provisioning is not enabled" in console.follow(off).flashes("error")[0]


def test_unreachable_target_and_401_are_shown_clearly(console, make_provider: ProviderFactory):
    scim = make_provider()
    app_id = console.install()
    unreachable = console.connect(app_id, "http://127.0.0.1:9/scim/v2")
    assert unreachable.flashes("error")[0].startswith("Error authenticating: Connection failed")
    assert 'href="/console/tasks"' in unreachable.text
    wrong = console.connect(app_id, scim.base, token="not-the-token")
    assert "Error authenticating: Unauthorized" in wrong.flashes("error")[0]
    assert '<strong id="connection-status">DISABLED</strong>' in wrong.text
    tested = console.post(
        f"/console/apps/{app_id}/provisioning/integration",
        {"base_url": scim.base, "auth_scheme": "TOKEN", "token": "bad", "action": "test"},
    )
    assert 'id="connection-result" class="result error"' in tested.text and "Unauthorized" in tested.text
    assert tested.value("base_url") == scim.base and "not-the-token" not in tested.text


def test_log_entry_shows_an_error_page_that_is_not_json(console, make_provider: ProviderFactory):
    scim = make_provider("error-body-not-scim")  # errors come as HTML pages
    app_id = console.install()
    console.connect(app_id, scim.base, token="not-the-token")
    log = console.get("/console/log")
    seq = re.findall(r'href="/console/log/(\d+)"', log.text)[0]
    entry = console.get(f"/console/log/{seq}")
    assert '<pre id="response">HTTP 401\n\n&lt;html&gt;&lt;body&gt;&lt;h1&gt;Error 401' in entry.text


def test_profile_editor_messages(console):
    app_id = console.install()
    path = f"/console/profile-editor/{app_id}/add"
    cases = [
        ({"display_name": "", "variable_name": "x"}, "Display name is required."),
        ({"display_name": "X", "variable_name": "1x"}, "Variable name must start with a letter"),
        ({"display_name": "X", "variable_name": "title"}, "already exists"),
        ({"display_name": "X", "variable_name": "x", "external_name": "a..b"}, "External name:"),
        ({"display_name": "X", "variable_name": "x", "external_namespace": "acme"}, "is not a URN"),
    ]
    for form, message in cases:
        page = console.post(path, {"type": "string", **form})
        assert page.status == 400 and message in page.flashes("error")[0], (form, page.flashes("error"))
    bad = console.post(f"/console/profile-editor/{app_id}/mappings", {"map-title": "user.title +"})
    assert bad.status == 400 and bad.flashes("error") and bad.value("map-title") == "user.title +"


# ---- pages ------------------------------------------------------------------------------------


def test_every_page_renders(console, make_provider: ProviderFactory):
    scim = make_provider()
    app_id = console.ready_app(scim.base)
    ann = console.add_person("ann@example.com", "Ann", "Tester")
    group = console.add_group("Engineering", ann)
    console.post(f"/console/apps/{app_id}/assignments/people", {"user_id": ann})
    console.post(f"/console/apps/{app_id}/push", {"group_id": group})
    seq = console.get("/console/log").row_ids("log", "data-seq")[0]
    pages = [
        "/console/",
        "/console/people",
        "/console/people/new",
        f"/console/people/{ann}",
        "/console/groups",
        "/console/groups/new",
        f"/console/groups/{group}",
        "/console/apps",
        "/console/apps/catalog",
        f"/console/apps/{app_id}/general",
        f"/console/apps/{app_id}/provisioning",
        f"/console/apps/{app_id}/assignments",
        f"/console/apps/{app_id}/push",
        f"/console/apps/{app_id}/import",
        f"/console/apps/{app_id}/verify/user/{ann}",
        f"/console/apps/{app_id}/verify/group/{group}",
        "/console/profile-editor",
        f"/console/profile-editor/{app_id}",
        f"/console/profile-editor/{app_id}/add",
        f"/console/profile-editor/{app_id}/mappings",
        "/console/log",
        f"/console/log/{seq}",
        "/console/tasks",
    ]
    for path in pages:
        page = console.get(path)
        assert page.status == 200 and page.mimetype == "text/html", path
        assert '<nav id="nav"' in page.text and "Traceback" not in page.text, path
        assert not page.flashes("error"), (path, page.flashes("error"))
    assert console.get(f"/console/apps/{app_id}").location.endswith("/general")


# ---- the click path ---------------------------------------------------------------------------


def test_click_path_provisions_user_group_and_custom_attribute(console, make_provider: ProviderFactory):
    scim = make_provider(extensions=(f"{IVANTI}=custAttr1",))
    app_id = console.install()
    tested = console.post(
        f"/console/apps/{app_id}/provisioning/integration",
        {"base_url": scim.base, "auth_scheme": "TOKEN", "token": TOKEN, "action": "test"},
    )
    assert f"{LABEL} was verified successfully!" in tested.text
    saved = console.follow(console.connect(app_id, scim.base))
    assert "verified successfully" in saved.flashes("ok")[0] and TOKEN not in saved.text
    to_app = console.to_app(app_id, "create", "update", "deactivate")
    assert 'id="create" name="create" value="on" checked' in to_app.text
    assert 'id="password" name="password" value="on" >' in to_app.text

    ann = console.add_person("ann@example.com", "Ann", "Tester", title="Engineer", extra="costCenter = CC-42")
    bob = console.add_person("bob@example.com", "Bob", "Builder")
    group = console.add_group("Engineering", ann, bob)
    assigned = console.follow(console.post(f"/console/apps/{app_id}/assignments/people", {"user_id": ann}))
    assert assigned.flashes("ok")[0] == "Assigned ann@example.com."
    assert assigned.flashes("ok")[1].startswith("User provisioned: GET /scim/v2/Users?filter=")
    page = console.follow(
        console.post(f"/console/apps/{app_id}/assignments/groups", {"user_id": "", "group_id": group})
    )
    assert page.row_ids("assigned-people") == [ann, bob] and page.row_ids("assigned-groups") == [group]
    ann_scim = page.cell(page.row("assigned-people", ann), "scim-id")
    bob_scim = page.cell(page.row("assigned-people", bob), "scim-id")
    assert scim.get(f"/Users/{ann_scim}").json()["externalId"] == ann

    pushed = console.follow(console.post(f"/console/apps/{app_id}/push", {"group_id": group}))
    row = pushed.row("pushed-groups", group)
    assert pushed.cell(row, "push-status") == "Active"
    group_scim = pushed.cell(row, "scim-id")
    assert {m["value"] for m in scim.get(f"/Groups/{group_scim}").json()["members"]} == {ann_scim, bob_scim}

    added = console.follow(
        console.post(
            f"/console/profile-editor/{app_id}/add",
            {
                "display_name": "Custom Attribute 1",
                "variable_name": "custAttr1",
                "external_name": "custAttr1",
                "external_namespace": IVANTI,
                "type": "string",
            },
        )
    )
    attr_row = added.row("attributes", "custAttr1", "data-name")
    assert "Custom Attribute 1" in attr_row and IVANTI in attr_row
    mapped = console.follow(
        console.post(
            f"/console/profile-editor/{app_id}/mappings",
            {"map-custAttr1": "user.costCenter", "apply_now": "on"},
        )
    )
    assert mapped.value("map-custAttr1") == "user.costCenter"
    assert sum(f.startswith("Profile pushed:") for f in mapped.flashes("ok")) == 2  # Apply updates now
    assert scim.get(f"/Users/{ann_scim}").json()[IVANTI] == {"custAttr1": "CC-42"}

    verify = console.get(f"/console/apps/{app_id}/verify/user/{ann}")
    row = verify.row("verify", CUSTOM, "data-attr")
    assert verify.cell(row, "sent") == verify.cell(row, "received") == "CC-42" and "diff" not in row
    assert verify.cell(verify.row("verify", "userName", "data-attr"), "received") == "ann@example.com"
    assert "0 differences" in verify.text
    group_view = console.get(f"/console/apps/{app_id}/verify/group/{group}")
    assert group_view.cell(group_view.row("verify", "displayName", "data-attr"), "received") == "Engineering"
    assert 'class="diff"' not in group_view.text

    log = console.get("/console/log")
    seqs = log.row_ids("log", "data-seq")
    assert seqs == sorted(seqs, key=int, reverse=True)
    entry = console.get(f"/console/log/{seqs[0]}")
    assert "Authorization: [REDACTED]" in entry.text and TOKEN not in entry.text
    assert (
        '<pre id="request">PUT /scim/v2/Users/' in entry.text and '<pre id="response">HTTP 200' in entry.text
    )
    assert console.get("/console/tasks").row_ids("tasks") == []


def test_target_change_shows_as_difference_in_verify(console, make_provider: ProviderFactory):
    scim = make_provider()
    app_id = console.ready_app(scim.base)
    ann = console.add_person("ann@example.com", "Ann", "Tester")
    page = console.follow(console.post(f"/console/apps/{app_id}/assignments/people", {"user_id": ann}))
    ann_scim = page.cell(page.row("assigned-people", ann), "scim-id")
    user = scim.get(f"/Users/{ann_scim}").json()
    user["name"]["givenName"] = "Changed"
    assert scim.put(f"/Users/{ann_scim}", user).status_code == 200
    verify = console.get(f"/console/apps/{app_id}/verify/user/{ann}")
    row = verify.row("verify", "name.givenName", "data-attr")
    assert (
        'class="diff"' in row
        and verify.cell(row, "sent") == "Ann"
        and verify.cell(row, "received") == "Changed"
    )
    scim.delete(f"/Users/{ann_scim}")
    gone = console.get(f"/console/apps/{app_id}/verify/user/{ann}")
    assert gone.flashes("error")[0].startswith(f"GET /Users/{ann_scim} failed (HTTP 404)")


def test_import_tab_shows_summary(console, make_provider: ProviderFactory):
    scim = make_provider()
    for name in ("a@example.com", "b@example.com"):
        scim.create_user(name)
    app_id = console.ready_app(scim.base)
    page = console.follow(console.post(f"/console/apps/{app_id}/import/users"))
    assert 'id="import-summary"' in page.text and '<dd class="scanned">2</dd>' in page.text
    assert page.flashes("ok")[0].startswith("Users imported: GET /scim/v2/Users?startIndex=1&count=100")


# ---- failures and retry -----------------------------------------------------------------------


def test_unreachable_target_becomes_task_and_retry_closes_it(make_console, make_provider: ProviderFactory):
    scim, flaky = make_provider(), FlakySession()
    console = make_console(Transport(flaky, clock=FakeClock()))
    console.login()
    app_id = console.ready_app(scim.base)
    ann = console.add_person("ann@example.com", "Ann", "Tester")
    flaky.down = True
    failed = console.follow(console.post(f"/console/apps/{app_id}/assignments/people", {"user_id": ann}))
    (error,) = failed.flashes("error")
    assert error.startswith(f"Automatic provisioning of user Ann Tester to app {LABEL} failed: ")
    assert "Connection failed" in error and 'href="/console/tasks">Open Tasks</a>' in failed.text
    assert failed.flashes("ok") == []
    assert failed.cell(failed.row("assigned-people", ann), "sync-state") == "ERROR"

    tasks = console.get("/console/tasks")
    (task_id,) = tasks.row_ids("tasks")
    assert "OPEN" in tasks.row("tasks", task_id) and 'class="retry"' in tasks.row("tasks", task_id)
    still = console.follow(console.post(f"/console/tasks/{task_id}/retry"))
    assert "Connection failed" in still.flashes("error")[0] and still.row_ids("tasks") == [task_id]

    flaky.down = False
    fixed = console.follow(console.post(f"/console/tasks/{task_id}/retry"))
    assert fixed.flashes("ok")[0] == f"Retried task {task_id}: it succeeded and the task is closed."
    assert "CLOSED" in fixed.row("tasks", task_id) and 'class="retry"' not in fixed.row("tasks", task_id)
    page = console.get(f"/console/apps/{app_id}/assignments")
    ann_scim = page.cell(page.row("assigned-people", ann), "scim-id")
    assert scim.get(f"/Users/{ann_scim}").json()["userName"] == "ann@example.com"
    again = console.follow(console.post(f"/console/tasks/{task_id}/retry"))
    assert "only open tasks can be retried" in again.flashes("error")[0]


def test_refused_deactivation_is_a_task_that_stays_one_task(console, make_provider: ProviderFactory):
    scim = make_provider("patch-requires-path")
    app_id = console.ready_app(scim.base)
    ann = console.add_person("ann@example.com", "Ann", "Tester")
    console.post(f"/console/apps/{app_id}/assignments/people", {"user_id": ann})
    page = console.follow(console.post(f"/console/people/{ann}/deactivate"))
    (error,) = page.flashes("error")
    assert error.startswith(f"Automatic deactivation of user Ann Tester in app {LABEL} failed: ")
    assert "Bad Request" in error
    (task_id,) = console.get("/console/tasks").row_ids("tasks")
    retried = console.follow(console.post(f"/console/tasks/{task_id}/retry"))
    assert "Automatic deactivation of user Ann Tester" in retried.flashes("error")[0]
    assert retried.row_ids("tasks") == [task_id] and "OPEN" in retried.row("tasks", task_id)


def test_deactivated_people_are_not_offered_and_cannot_be_assigned(console, make_provider: ProviderFactory):
    scim = make_provider()
    app_id = console.ready_app(scim.base)
    ann = console.add_person("ann@example.com", "Ann", "T")
    cy = console.add_person("cy@example.com", "Cy", "T")
    console.follow(console.post(f"/console/people/{cy}/deactivate"))
    tab = console.get(f"/console/apps/{app_id}/assignments")
    offered = re.findall(r'<option value="(00u\w+)">', tab.text)
    assert offered == [ann]
    page = console.follow(console.post(f"/console/apps/{app_id}/assignments/people", {"user_id": cy}))
    assert page.flashes("error") == ["Cy T is deactivated; activate the user first."]
    assert page.row_ids("assigned-people") == [] and scim.list("/Users")["totalResults"] == 0


def test_failed_group_push_shows_error_status_and_retry_pushes(make_console, make_provider: ProviderFactory):
    scim, flaky = make_provider(), FlakySession()
    console = make_console(Transport(flaky, clock=FakeClock()))
    console.login()
    app_id = console.ready_app(scim.base)
    group = console.add_group("Engineering")
    flaky.down = True
    page = console.follow(console.post(f"/console/apps/{app_id}/push", {"group_id": group}))
    assert page.flashes("error")[0].startswith(
        "Unable to update Group Push mapping target App group Engineering"
    )
    assert page.cell(page.row("pushed-groups", group), "push-status").startswith("Error: ")
    flaky.down = False
    (task_id,) = console.get("/console/tasks").row_ids("tasks")
    console.post(f"/console/tasks/{task_id}/retry")
    page = console.get(f"/console/apps/{app_id}/push")
    row = page.row("pushed-groups", group)
    assert page.cell(row, "push-status") == "Active"
    assert scim.get(f"/Groups/{page.cell(row, 'scim-id')}").json()["displayName"] == "Engineering"
    unlinked = console.follow(
        console.post(f"/console/apps/{app_id}/push/{_mapping(page, group)}/unlink", {"delete_target": "on"})
    )
    assert unlinked.flashes("ok")[0] == "Unlinked; the group was deleted in the app."
    assert unlinked.row_ids("pushed-groups") == []


def _mapping(page: Page, group_id: str) -> str:
    match = re.search(rf'<tr data-id="{group_id}" data-mapping="([^"]+)"', page.text)
    assert match
    return match.group(1)


# ---- pure helpers -----------------------------------------------------------------------------


def test_parse_extra_lines():
    assert parse_extra("costCenter = CC-42\n\n# comment\nlevel=3\nempty =") == {
        "costCenter": "CC-42",
        "level": "3",
    }
    for text, message in (
        ("login = x", "set login in its own field"),
        ("a = 1\na = 2", "given twice"),
        ("9x = 1", "write name = value"),
    ):
        with pytest.raises(FormProblem, match=message):
            parse_extra(text)


def test_flatten_and_compare():
    sent = {
        "userName": "ann",
        "name": {"givenName": "Ann"},
        "password": "[REDACTED]",
        "groups": [],
        "emails": [{"primary": True, "value": "a@x"}],
        IVANTI: {"custAttr1": "CC"},
    }
    got = {
        "id": "1",
        "userName": "ann",
        "name": {"givenName": "Anne"},
        "meta": {"version": "W/1"},
        "emails": [{"primary": True, "value": "a@x"}],
        IVANTI: {"custattr1": "CC"},
    }
    assert flatten(got)["meta.version"] == "W/1" and flatten(sent)[CUSTOM] == "CC"
    rows = {r.path: r for r in compare(sent, got)}
    assert rows["name.givenName"].differs and not rows["userName"].differs and not rows[CUSTOM].differs
    assert not rows["groups"].differs and "password" not in rows and not rows["id"].differs
    assert rows["emails[0].value"].received == "a@x"


def test_sent_user_applies_okta_patches():
    exchanges = [
        {"request": {"method": "GET", "body": None}},
        {"request": {"method": "POST", "body": {"userName": "ann", "active": True}}},
        {
            "request": {
                "method": "PATCH",
                "body": {"Operations": [{"op": "replace", "value": {"active": False}}]},
            }
        },
        {
            "request": {
                "method": "PATCH",
                "body": {"Operations": [{"op": "Replace", "path": "title", "value": "X"}]},
            }
        },
    ]
    assert sent_user(exchanges) == {"userName": "ann", "active": False, "title": "X"}
