"""PG settings order in Chromium (issue 15): ▲/▼ move settings among the non-default ones
and never change the default; "Make default" swaps the chosen setting with the default and
leaves every other in place; Delete asks first; notices in Korean and English."""

import httpx

from e2e.checkout import TIMEOUT

LOGIN, PASSWORD = "order", "order-password-1"


def _rows(page):
    return [
        row.get_attribute("data-mid")
        for row in page.query_selector_all("[data-testid=setting-row]")
    ]


def _sdk_order(service, user_code):
    return [s["pg_id"] for s in httpx.get(service + "/users/pg/" + user_code).json()["data"]]


def _act(page, testid, notice):
    page.click("[data-testid={}]".format(testid))
    page.wait_for_selector("[data-testid=notice]", timeout=TIMEOUT)
    assert page.inner_text("[data-testid=notice]") == notice


def test_reorder_make_default_and_delete_keep_the_default_explicit(page, sandbox, service):
    store = sandbox.app.state.store
    merchant = store.create_merchant(LOGIN, PASSWORD)
    for code, mid in (
        ("html5_inicis", "MID-a"),
        ("html5_inicis", "MID-b"),
        ("kakaopay", "MID-c"),
        ("kcp", "K-1"),
    ):
        store.add_setting(
            merchant["id"], {"pg_provider": code, "pg_id": mid, "type": "payment", "sandbox": True}
        )
    ids = {s["pg_id"]: s["id"] for s in store.settings(merchant["id"])}
    page.goto(service + "/console/login")
    page.fill("input[name=login]", LOGIN)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login]")
    page.wait_for_selector("[data-testid=add-pg]", timeout=TIMEOUT)
    assert _rows(page) == ["MID-a", "MID-b", "MID-c", "K-1"]
    # The default has no arrows, and nothing can move up into its place.
    for hidden in (
        "up-{}".format(ids["MID-a"]),
        "down-{}".format(ids["MID-a"]),
        "up-{}".format(ids["MID-b"]),
        "default-{}".format(ids["MID-a"]),
    ):
        assert page.query_selector("[data-testid={}]".format(hidden)) is None, hidden

    _act(page, "down-{}".format(ids["MID-b"]), "순서를 바꿨습니다 · Order changed")
    assert _rows(page) == ["MID-a", "MID-c", "MID-b", "K-1"]
    _act(page, "up-{}".format(ids["K-1"]), "순서를 바꿨습니다 · Order changed")
    assert _rows(page) == ["MID-a", "MID-c", "K-1", "MID-b"]

    _act(page, "default-{}".format(ids["K-1"]), "기본 PG를 바꿨습니다 · Default PG changed")
    assert _rows(page) == ["K-1", "MID-c", "MID-a", "MID-b"]
    first = page.query_selector_all("[data-testid=setting-row]")[0]
    assert first.query_selector("[data-testid=default-badge]") is not None
    assert [n.inner_text() for n in page.query_selector_all("[data-testid=position]")] == [
        "1",
        "2",
        "3",
        "4",
    ]
    assert _sdk_order(service, merchant["user_code"]) == ["K-1", "MID-c", "MID-a", "MID-b"]

    page.click("[data-testid=delete-{}]".format(ids["MID-c"]))
    page.wait_for_selector("[data-testid=confirm-delete]", timeout=TIMEOUT)
    assert page.query_selector("[data-testid=default-warning]") is None
    _act(page, "confirm-delete", "PG 설정을 삭제했습니다 · PG setting deleted")
    assert _rows(page) == ["K-1", "MID-a", "MID-b"]
    assert _sdk_order(service, merchant["user_code"]) == ["K-1", "MID-a", "MID-b"]
