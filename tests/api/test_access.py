"""Who may call what: scopes (403), the client's unit (404), revoked tokens (401)."""

from __future__ import annotations

import json
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import override_settings

from api.models import ApiClient, ApiRequestLog
from api.services import client_revoke, hash_token
from tests.api.ledger import credit
from tests.factories import TheftCaseFactory

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"code", "message_hi", "message_en", "fields"}


def _setup(org_tree, registration_in):
    """A case and a credited entry in Aminabad, and the same in Chowk."""
    ours = registration_in("aminabad-1")
    theirs = registration_in("victoria")
    credit(ours)
    credit(theirs)
    return ours, theirs


def _endpoints(ours, theirs, ledger_seq):
    """(method, path, body, scope) for every endpoint, in our unit and in theirs."""
    return [
        ("get", "/api/v1/cases/", None, "cases:read", None),
        ("get", f"/api/v1/cases/{quote(ours.case.case_number, safe='')}/", None, "cases:read",
         f"/api/v1/cases/{quote(theirs.case.case_number, safe='')}/"),
        ("post", "/api/v1/cases/", {"rows": []}, "cases:write", None),
        ("get", "/api/v1/ledger/", None, "ledger:read", None),
        ("post", f"/api/v1/ledger/{ledger_seq[ours.pk]}/posting/", {"reference": "RMS-1"},
         "ledger:post", f"/api/v1/ledger/{ledger_seq[theirs.pk]}/posting/"),
        ("get", "/api/v1/dues/", None, "dues:read", None),
    ]


def _seqs(aminabad):
    from payments.ledger_feed import ledger_sequence_assign
    from payments.models import LedgerEntry

    ledger_sequence_assign()
    return dict(LedgerEntry.objects.values_list("registration_id", "seq"))


def _call(caller, method, path, body):
    return caller.get(path) if method == "get" else caller.post(path, json.dumps(body))


def test_each_endpoint_allowed_with_its_scope(org_tree, registration_in, make_api_client):
    ours, theirs = _setup(org_tree, registration_in)
    seqs = _seqs(None)
    for n, (method, path, body, scope, _other) in enumerate(_endpoints(ours, theirs, seqs)):
        caller = make_api_client(name=f"c-{n}", scopes=[scope])
        response = _call(caller, method, path, body)
        assert response.status_code in (200, 201), (path, response.content)


def test_each_endpoint_refuses_another_scope_with_403(org_tree, registration_in,
                                                       make_api_client):
    ours, theirs = _setup(org_tree, registration_in)
    seqs = _seqs(None)
    for n, (method, path, body, scope, _other) in enumerate(_endpoints(ours, theirs, seqs)):
        others = [s for s in ("cases:read", "cases:write", "ledger:read", "ledger:post",
                              "dues:read") if s != scope]
        caller = make_api_client(name=f"c-{n}", scopes=others)
        response = _call(caller, method, path, body)
        assert response.status_code == 403, (path, response.content)
        assert set(response.json()) == ERROR_KEYS
        assert response.json()["code"] == "forbidden"


def test_another_units_case_and_entry_are_404(org_tree, registration_in, aminabad):
    ours, theirs = _setup(org_tree, registration_in)
    seqs = _seqs(None)
    for method, _path, body, _scope, other in _endpoints(ours, theirs, seqs):
        if other is None:
            continue
        response = _call(aminabad, method, other, body)
        assert response.status_code == 404, (other, response.content)
        assert response.json()["code"] == "not_found"
    # Lists show only the client's unit.
    listed = aminabad.get("/api/v1/cases/").json()["results"]
    assert [c["case_number"] for c in listed] == [ours.case.case_number]
    ledger = aminabad.get("/api/v1/ledger/").json()["results"]
    assert [e["registration_number"] for e in ledger] == [ours.registration_number]


def test_revoked_or_missing_token_is_401(org_tree, registration_in, aminabad, client):
    ours, theirs = _setup(org_tree, registration_in)
    seqs = _seqs(None)
    client_revoke(client_id=aminabad.api_client.pk)
    for method, path, body, _scope, _other in _endpoints(ours, theirs, seqs):
        response = _call(aminabad, method, path, body)
        assert response.status_code == 401, (path, response.content)
        assert response.json()["code"] == "bad_token"
        assert response["WWW-Authenticate"].startswith("Bearer")
        anonymous = client.get(path) if method == "get" else client.post(
            path, json.dumps(body), content_type="application/json")
        assert anonymous.status_code == 401
        assert anonymous.json()["code"] == "unauthenticated"


def test_token_is_stored_hashed_and_the_command_prints_it_once(org_tree):
    out = StringIO()
    call_command("api_client_create", "rms-aminabad", "--unit", "aminabad",
                 "--scopes", "ledger:read,ledger:post", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["client"] == "rms-aminabad"
    api_client = ApiClient.objects.get(name="rms-aminabad")
    assert api_client.token_hash == hash_token(printed["token"])
    assert printed["token"] not in json.dumps(list(ApiClient.objects.values()), default=str)
    assert api_client.scopes == ["ledger:read", "ledger:post"]
    assert not api_client.service_user.has_usable_password()
    assert not hasattr(api_client.service_user, "staff_profile")


@pytest.mark.parametrize("argv", [
    ["x", "--unit", "nowhere", "--scopes", "ledger:read"],
    ["x", "--unit", "aminabad", "--scopes", "ledger:write"],
    ["Bad Name", "--unit", "aminabad", "--scopes", "ledger:read"],
])
def test_command_bad_input_is_an_error_with_exit_2(org_tree, argv):
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("api_client_create", *argv, stdout=out)
    assert exit_info.value.code == 2
    assert "error" in json.loads(out.getvalue())
    assert not ApiClient.objects.exists()


def test_every_request_is_logged_without_personal_data(org_tree, aminabad):
    case = TheftCaseFactory(case_number="LKO/AMN/2023/0123")
    aminabad.get(f"/api/v1/cases/{quote(case.case_number, safe='')}/")
    aminabad.get("/api/v1/cases/NOPE%2F1/")
    logs = list(ApiRequestLog.objects.order_by("id").values("client__name", "endpoint",
                                                            "status", "method"))
    assert logs == [
        {"client__name": "billing-aminabad", "endpoint": "api/v1/cases/<path:case_number>/",
         "status": 200, "method": "GET"},
        {"client__name": "billing-aminabad", "endpoint": "api/v1/cases/<path:case_number>/",
         "status": 404, "method": "GET"},
    ]


@override_settings(API_CLIENT_THROTTLE_RATE="3/min")
def test_each_client_is_throttled_on_its_own(org_tree, aminabad, chowk):
    codes = [aminabad.get("/api/v1/dues/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    throttled = aminabad.get("/api/v1/dues/")
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    assert chowk.get("/api/v1/dues/").status_code == 200


@pytest.mark.parametrize("method, path, body, status, code", [
    ("get", "/api/v1/nowhere/", None, 404, "not_found"),
    ("put", "/api/v1/cases/", "{}", 405, "method_not_allowed"),
    ("post", "/api/v1/cases/", "{not json", 400, "malformed"),
    ("get", "/api/v1/ledger/?after=-1", None, 400, "invalid"),
    ("get", "/api/v1/ledger/?limit=1001", None, 400, "invalid"),
    ("get", "/api/v1/cases/?cursor=%%%", None, 400, "invalid"),
    ("get", "/api/v1/cases/?updated_since=yesterday", None, 400, "invalid"),
    ("post", "/api/v1/ledger/99999999999999999999999/posting/", '{"reference": "x"}', 404,
     "not_found"),
    ("post", "/api/v1/ledger/1/posting/", '{"reference": ""}', 400, "invalid"),
    ("get", "/api/v1/cases/%00/", None, 404, "not_found"),
])
def test_errors_are_json_in_both_languages(org_tree, aminabad, client, method, path, body,
                                           status, code):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {aminabad.token}"}
    if method == "get":
        response = client.get(path, **headers)
    else:
        response = getattr(client, method)(path, body, content_type="application/json",
                                           **headers)
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == code
    assert body["message_en"] and body["message_hi"]
    assert body["message_hi"] != body["message_en"]


def test_admin_revokes_a_client(org_tree, users, aminabad, client):
    client.force_login(users["admin"])
    response = client.post("/admin/api/apiclient/", {
        "action": "revoke", "_selected_action": [aminabad.api_client.pk],
    })
    assert response.status_code == 302
    aminabad.api_client.refresh_from_db()
    assert aminabad.api_client.active is False
    assert aminabad.api_client.revoked_at is not None
    assert aminabad.api_client.history.first().history_user == users["admin"]
    assert aminabad.get("/api/v1/dues/").status_code == 401


@pytest.mark.parametrize("query", [
    "updated_since=0001-01-01T01:00:00%2B05:30", "updated_since=9999-12-31T23:59:59-12:00",
    "cursor=MDAwMS0wMS0wMVQwMTowMDowMCswNTozMHwx",  # "0001-01-01T01:00:00+05:30|1"
])
def test_times_out_of_range_are_400_not_500(org_tree, aminabad, query):
    response = aminabad.get(f"/api/v1/cases/?{query}")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"


def test_a_lost_database_is_a_json_503_with_a_retry_hint():
    from django.db import OperationalError

    from api.errors import api_exception_handler

    response = api_exception_handler(OperationalError("server closed the connection"), {})
    assert response.status_code == 503
    assert response.data["code"] == "unavailable"
    assert response["Retry-After"] == "30"


def test_request_log_is_pruned_after_90_days(org_tree, aminabad):
    import datetime as dt

    from django.utils import timezone

    from api.tasks import prune_api_request_log

    aminabad.get("/api/v1/dues/")
    aminabad.get("/api/v1/dues/")
    old = ApiRequestLog.objects.order_by("id").first()
    ApiRequestLog.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=91))
    assert prune_api_request_log() == 1
    assert ApiRequestLog.objects.count() == 1


def test_posting_is_in_history_with_the_client_as_author(registration_in, aminabad):
    from payments.feed_models import LedgerPosting
    from payments.ledger_feed import ledger_sequence_assign

    entry = credit(registration_in())
    ledger_sequence_assign()
    entry.refresh_from_db()
    aminabad.post(f"/api/v1/ledger/{entry.seq}/posting/", json.dumps({"reference": "R-1"}))
    posting = LedgerPosting.objects.get()
    assert posting.history.get().history_user == aminabad.api_client.service_user
