"""What the report files hold: the HAR's entries (every request the run sent) and query strings,
junit.xml's testcase names and failure messages."""

from __future__ import annotations

import ast
import html
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from suites.catalogue import SUITES_DIR
from suites.exchange import Exchange, Redactor
from suites.har import extend_har, har
from tests.suites.support import TOKEN, Response, provider, run_suites


def _exchange(url: str) -> Exchange:
    return Exchange("GET", url, (("Accept", "application/scim+json"),), None, 200, (), "{}", 1.0,
                    "2026-01-01T00:00:00Z")


def test_har_query_string_lists_the_url_parameters() -> None:
    """HAR 1.2: "queryString [array] - List of query parameter objects", decoded, in URL order."""
    url = "https://scim.example/scim/v2/Users?filter=userName%20eq%20%22ann%22&startIndex=1&count="
    entries = har([("USR-LIST-001", _exchange(url)), ("USR-GET-001", _exchange(url.partition("?")[0]))])
    request = entries["log"]["entries"][0]["request"]
    assert request["queryString"] == [{"name": "filter", "value": 'userName eq "ann"'},
                                      {"name": "startIndex", "value": "1"}, {"name": "count", "value": ""}]
    assert entries["log"]["entries"][1]["request"]["queryString"] == []


def test_har_query_string_keeps_secrets_redacted() -> None:
    url = Redactor(["tok-123456"]).url("https://scim.example/scim/v2/Users?access_token=tok-123456&count=1")
    request = har([("session", _exchange(url))])["log"]["entries"][0]["request"]
    assert request["queryString"] == [{"name": "access_token", "value": "[REDACTED]"},
                                      {"name": "count", "value": "1"}]


def test_extend_har_adds_entries_after_the_files_own(tmp_path: Path) -> None:
    path = tmp_path / "exchanges.har"
    path.write_text(json.dumps(har([("USR-GET-001", _exchange("https://scim.example/scim/v2/Users/1"))])))
    extend_har(path, [("replay connect", _exchange("https://scim.example/scim/v2/Users"))], fresh=False)
    entries = json.loads(path.read_text())["log"]["entries"]
    assert [e["comment"] for e in entries] == ["USR-GET-001", "replay connect"]
    extend_har(path, [("replay connect", _exchange("https://scim.example/scim/v2/Groups"))], fresh=True)
    fresh = json.loads(path.read_text())["log"]
    assert fresh["version"] == "1.2" and [e["comment"] for e in fresh["entries"]] == ["replay connect"]
    path.write_text("not a HAR")  # e.g. cut short: the entries still land, in a new HAR
    extend_har(path, [("replay connect", _exchange("https://scim.example/scim/v2/Users"))], fresh=False)
    assert len(json.loads(path.read_text())["log"]["entries"]) == 1


def _har_requests(report_dir: Path) -> list[tuple[str, str, str]]:
    """(method, last path segment and query, comment) of each HAR entry, in order."""
    entries = json.loads((report_dir / "exchanges.har").read_text())["log"]["entries"]
    return [(e["request"]["method"], _tail(e["request"]["url"]), e["comment"]) for e in entries]


def _tail(url: str) -> str:
    parts = urlsplit(url)
    return parts.path.rsplit("/", 1)[-1] + (f"?{parts.query}" if parts.query else "")


PREFLIGHT = ("GET", "Users?startIndex=1&count=1", "session / preflight")
DISCOVERY = [("GET", "ResourceTypes", "session / discovery"), ("GET", "Schemas", "session / discovery")]


def test_har_holds_the_preflight_and_discovery_of_scimcert_run(tmp_path: Path) -> None:
    """README: exchanges.har holds every request the run sent, also those before the first check."""
    with provider() as url:
        proc = subprocess.run([sys.executable, "-m", "simulator.cli", "run", "--url", url, "--token", TOKEN,
                               "--suite", "extensions", "--report-dir", str(tmp_path), "--", "-k",
                               "test_extension_listed_in_schemas"],
                              capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert _har_requests(tmp_path) == [PREFLIGHT, *DISCOVERY]  # EXT-DISC-001 judges the discovery's /Schemas
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert [(c["id"], c["outcome"]) for c in summary["checks"]] == [("EXT-DISC-001", "passed")]


def test_har_holds_the_preflight_and_discovery_of_plain_pytest(tmp_path: Path) -> None:
    with provider() as url:
        run_suites(url, ["extensions"], "-k", "test_extension_listed_in_schemas", report_dir=tmp_path)
    sent = _har_requests(tmp_path)
    assert sorted(sent[:3]) == sorted([PREFLIGHT, *DISCOVERY])  # discovery at collection, then preflight


# What a failing /Schemas makes fail: the same checks as when each fetched it again (measured before).
# EXT-DISC-001 reads only: a --read-only run judges it too (it once skipped as "creates resources").
SCHEMAS_FAILED = {"DISC-SCHEMA-001", "DISC-SCHEMA-002", "DISC-SCHEMA-003", "DISC-EXT-001", "EXT-DISC-001"}
SCHEMAS_FAILED_WRITING = {"DISC-EXT-002", "DISC-USER-001", "DISC-USER-002"}


def _schemas_answer(schemas: str | None) -> Callable[[Response], None]:
    """A rewrite that makes GET /Schemas answer 500, 404 or an HTML page (None: as it is)."""
    def rewrite(resp: Response) -> None:
        if schemas is None or resp.method != "GET" or not resp.path.endswith("/Schemas"):
            return
        if schemas == "html":
            resp.body, resp.headers["Content-Type"] = b"<html>maintenance</html>", "text/html"
        else:
            resp.status = int(schemas)
            resp.set_json({"detail": "scripted"})
    return rewrite


@pytest.mark.parametrize(("schemas", "extra"), [(None, ()), (None, ("--read-only",)), ("500", ()),
                                                ("404", ("--read-only",)), ("html", ())],
                         ids=["compliant", "read-only", "schemas-500", "schemas-404-read-only",
                              "schemas-html"])
def test_a_run_fetches_each_discovery_listing_once(tmp_path: Path, schemas: str | None,
                                                   extra: tuple[str, ...]) -> None:
    """The extension discovery at collection reads /ResourceTypes and /Schemas; the checks judge
    those responses, not a second fetch of each (also when /Schemas fails, and in read-only runs)."""
    received: list[tuple[str, str]] = []
    rewrite = _schemas_answer(schemas)

    def counted(resp: Response) -> None:
        if not resp.query:  # DISC-QUERY-001/002 ask for the listings with a query on purpose
            received.append((resp.method, _tail(resp.path)))
        rewrite(resp)

    with provider(rewrite=counted) as url:
        proc = subprocess.run([sys.executable, "-m", "simulator.cli", "run", "--url", url, "--token", TOKEN,
                               "--suite", "discovery", "--suite", "extensions", "--report-dir", str(tmp_path),
                               *extra], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == (0 if schemas is None else 1), proc.stdout[-3000:] + proc.stderr[-3000:]
    sent = _har_requests(tmp_path)
    for document in ("ResourceTypes", "Schemas"):
        assert received.count(("GET", document)) == 1, document
        assert [c for m, t, c in sent if (m, t) == ("GET", document)] == ["session / discovery"]
    summary = json.loads((tmp_path / "summary.json").read_text())
    failed = {c["id"] for c in summary["checks"] if c["outcome"] in ("failed", "error")}
    assert failed == (set() if schemas is None else
                      SCHEMAS_FAILED | (set() if extra else SCHEMAS_FAILED_WRITING))


def test_a_failure_shows_the_discovery_response_it_judged(tmp_path: Path) -> None:
    """report.html shows each failed check the response it judged, though the run fetched it before
    the check (once, for the extension discovery)."""
    with provider(rewrite=_schemas_answer("500")) as url:
        summary = run_suites(url, ["discovery", "extensions"], "--scim-read-only", report_dir=tmp_path)
    assert {c["id"] for c in summary["checks"] if c["outcome"] == "failed"} == SCHEMAS_FAILED
    page = (tmp_path / "report.html").read_text()
    blob = re.search(r'data-jsonblob="([^"]*)"', page).group(1)  # type: ignore[union-attr]
    tests = json.loads(html.unescape(blob))["tests"]
    rows = [runs[0] for runs in tests.values() if runs[0]["result"] == "Failed"]
    assert len(rows) == len(SCHEMAS_FAILED)
    for row in rows:
        extras = html.unescape("".join(e["content"] for e in row["extras"]))
        assert "GET /scim/v2/Schemas -> 500" in extras and "curl -i -X GET" in extras, row["testId"]


CHECKS = '''
import pytest
from suites.expect import expect_status


@pytest.mark.check("T-PASS-001", level="MUST", refs=["RFC7644 §3.4.2"], readonly=True)
def test_list_users(client):
    """GET /Users answers 200 with the users the target holds, a title that wraps over two
    lines of the docstring.

    Details below the title."""
    expect_status(client.get("/Users"), 200)


@pytest.mark.check("T-FAIL-001", level="SHOULD", refs=["RFC7644 §3.12"], readonly=True)
@pytest.mark.parametrize("path", ["/Users/nope"])
def test_unknown_is_418(client, path):
    """An unknown id answers 418 (it fails: a SHOULD, so the run still passes)."""
    expect_status(client.get(path), 418)


def test_plain():
    assert True
'''


def test_junit_names_cases_by_check_id_and_failures_by_their_evidence(pytester: pytest.Pytester,
                                                                      tmp_path: Path) -> None:
    """CI test views list junit testcases by name and show the failure's message attribute."""
    pytester.makepyfile(test_fake_checks=CHECKS)
    with provider() as url:
        result = pytester.runpytest_subprocess("-p", "suites.plugin", "--scim-url", url, "--scim-token",
                                               TOKEN, "--scim-report-dir", str(tmp_path), "-ra")
    assert result.ret == 0, result.stdout.str()
    cases = {c.get("name"): c for c in ElementTree.parse(tmp_path / "junit.xml").iter("testcase")}
    assert set(cases) == {"T-PASS-001 test_list_users", "T-FAIL-001 test_unknown_is_418[/Users/nope]",
                          "test_plain"}
    assert all(c.get("classname", "").endswith("test_fake_checks") for c in cases.values())  # as before
    failure = cases["T-FAIL-001 test_unknown_is_418[/Users/nope]"].find("failure")
    assert failure is not None
    evidence = "GET /scim/v2/Users/nope -> 404\nExpected: HTTP 418"
    assert failure.get("message", "").startswith(evidence)
    assert "ConformanceFailure" in (failure.text or "")  # the traceback below it is pytest's, whole
    # pytest's short summary too (cut to the terminal's width)
    result.stdout.fnmatch_lines(["FAILED test_fake_checks.py::test_unknown_is_418?/Users/nope? - GET /scim*"])
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert next(c for c in summary["checks"] if c["id"] == "T-FAIL-001")["message"].startswith(
        "[/Users/nope] " + evidence)
    assert "T-FAIL-001" in (tmp_path / "report.html").read_text()
    assert next(c for c in summary["checks"] if c["id"] == "T-PASS-001")["title"] == (
        "GET /Users answers 200 with the users the target holds, a title that wraps over two lines of "
        "the docstring.")  # the whole first paragraph, not its first line


# Deviations that together fail well over a hundred checks, in every suite.
MANY_FAILURES = ("member-readd-duplicates", "drops-extension", "extension-path-rejected", "put-keeps-omitted",
                 "patch-requires-path", "filter-ignored", "sort-ignored", "meta-missing", "error-status-int",
                 "count-ignored", "password-returned", "no-etag")
REQUEST_LINE = re.compile(r"(GET|POST|PUT|PATCH|DELETE) /\S* -> ")


def test_every_failure_with_evidence_opens_with_its_request_line(tmp_path: Path) -> None:
    """README: a junit failure's message is "request line, `Expected:`, `Received:`". Checks that
    judged a read-back, a created user (a precondition), a discovery listing or the run's other
    responses raised their failure without the reply, and the message opened with `Expected:`."""
    with provider(*MANY_FAILURES) as url:
        run_suites(url, (), report_dir=tmp_path)
    messages = {case.get("name", ""): bad.get("message", "")
                for case in ElementTree.parse(tmp_path / "junit.xml").iter("testcase")
                for bad in (*case.iter("failure"), *case.iter("error"))}
    evidence = {name: message for name, message in messages.items() if "Expected: " in message}
    assert len(evidence) > 150
    assert {name: m.splitlines()[0] for name, m in evidence.items() if not REQUEST_LINE.match(m)} == {}
    judged = {"PATCH-GRP-ADD-003", "EXT-MGR-003", "EXT-PUT-002", "FLT-DATE-001", "SEC-SECRET-003"}
    assert judged <= {name.split()[0] for name in evidence}


def _assertions_without_a_reply(tree: ast.Module) -> Iterator[str]:
    """Calls of the expect helpers in a module that name no reply (it is their last parameter)."""
    arity = {"fail": 3, "expect": 4, "expect_equal": 4, "expect_schema": 3, "expect_valid": 4}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in arity
                and len(node.args) < arity[node.func.id] and all(k.arg != "reply" for k in node.keywords)
                and not any(isinstance(a, ast.Starred) for a in node.args)):
            yield f"line {node.lineno}: {ast.unparse(node)[:100]}"


def test_every_assertion_of_a_check_names_the_reply_it_judged() -> None:
    """A failure's message opens with the request line of the reply it is given; without one it
    opens with `Expected:` (run-time replies that are None are the run above's to catch)."""
    found = {str(file.relative_to(SUITES_DIR)): lines for file in sorted(SUITES_DIR.rglob("*.py"))
             if file.name != "expect.py"
             and (lines := list(_assertions_without_a_reply(ast.parse(file.read_text(encoding="utf-8")))))}
    assert found == {}


def test_a_collection_error_is_reported_not_an_internal_error(pytester: pytest.Pytester,
                                                              tmp_path: Path) -> None:
    """report.html's row hook met a collection report (no user_properties) and crashed pytest."""
    pytester.makepyfile(test_fake_checks=CHECKS, test_broken="import no_such_module_here\n")
    with provider() as url:
        result = pytester.runpytest_subprocess("-p", "suites.plugin", "--scim-url", url, "--scim-token",
                                               TOKEN, "--scim-report-dir", str(tmp_path))
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*No module named 'no_such_module_here'*"])
