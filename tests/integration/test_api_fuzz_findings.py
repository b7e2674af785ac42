"""What the API fuzzer (test_api_fuzz.py) found, each pinned by a test of its own."""

from __future__ import annotations

import pytest

from tests.integration.api_client import Api
from tests.integration.conftest import FunctionLoader
from tests.integration.world import PASSWORD, build_world


@pytest.fixture
def api(load_function: FunctionLoader) -> Api:
    return Api(load_function("api"))


def test_an_api_key_cannot_change_an_account_it_does_not_have(api: Api) -> None:
    # Given an advertiser's API key (a key, not a person: no profile, password, 2FA or context)
    world = build_world(with_people=True)
    token = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    key = api.call("POST", "/api/api-keys", {"label": "server"}, token=token).body["secret"]
    # When it calls what only a person may do, Then each is a 403 (they were 500s)
    for method, path, body in (
        ("PATCH", "/api/me", {"name": "Robot"}),
        ("POST", "/api/me/password", {"current_password": PASSWORD, "new_password": "another passw0rd"}),
        ("POST", "/api/me/context", {"advertiser_id": world.advertiser_id}),
        ("POST", "/api/me/mfa/setup", None),
        ("POST", "/api/me/mfa/enable", {"code": "123456"}),
        ("POST", "/api/me/mfa/disable", {"password": PASSWORD, "code": "123456"}),
    ):
        reply = api.call(method, path, body, token=key)
        assert (reply.status, reply.code) == (403, "forbidden"), (method, path, reply.body)
    # And what it may do still works, and the person's account is untouched
    assert api.call("GET", "/api/offers", token=key).status == 200
    me = api.call("GET", "/api/me", token=token).body["user"]
    assert (me["name"], me["mfa_enabled"]) == ("Advertiser", False)


def test_a_body_that_is_not_a_json_object_is_refused(api: Api) -> None:
    # Given an advertiser (every request body of the API is a JSON object)
    world = build_world(with_people=True)
    token = api.login(world.emails["advertiser"], PASSWORD)["access_token"]
    # When the object comes wrapped in an array, or the body is another JSON value
    for body in ([{"label": "wrapped"}], [{"label": "a"}, {"label": "b"}], "label", 7, True):
        reply = api.call("POST", "/api/api-keys", body, token=token)
        # Then it is refused (an array around an object was read as the object, and acted on)
        assert (reply.status, reply.code) == (400, "validation_error"), (body, reply.body)
    assert api.call("GET", "/api/api-keys", token=token).body["items"] == []
