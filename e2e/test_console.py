"""The seed's walkthrough, clicked through the console in a real browser."""

import httpx

from e2e.checkout import TIMEOUT

SECRET_SIGN_KEY = "SIGNKEY-WALKTHROUGH-0001"


def _add(page, service, pg, mid, label, default=False, sign_key=None):
    page.click("[data-testid=add-pg]")
    page.select_option("[data-testid=pg_provider]", pg)
    page.fill("[data-testid=pg_id]", mid)
    page.fill("[data-testid=label]", label)
    if default:
        page.check("[data-testid=default]")
    if sign_key:
        page.fill("[data-testid=sign_key]", sign_key)
    page.click("[data-testid=save]")
    page.wait_for_url(service + "/console/pg?notice=added", timeout=TIMEOUT)


def test_seed_walkthrough_in_the_console(page, service):
    page.goto(service + "/console/login")
    page.fill("input[name=login]", "walk")
    page.fill("input[name=password]", "wrong")
    page.click("[data-testid=login]")
    assert "Wrong login or password" in page.inner_text("[data-testid=error]")
    page.fill("input[name=login]", "walk")
    page.fill("input[name=password]", "walk-password")
    page.click("[data-testid=login]")
    page.wait_for_selector("[data-testid=add-pg]", timeout=TIMEOUT)
    user_code = page.inner_text("[data-testid=user-code]")

    _add(
        page,
        service,
        "html5_inicis",
        "MID-a",
        "General payment",
        default=True,
        sign_key=SECRET_SIGN_KEY,
    )
    _add(page, service, "html5_inicis", "MID-b", "Recurring payment")
    _add(page, service, "kakaopay", "MID-c", "Simple payment")
    rows = page.query_selector_all("[data-testid=setting-row]")
    assert [(r.get_attribute("data-pg"), r.get_attribute("data-mid")) for r in rows] == [
        ("html5_inicis", "MID-a"),
        ("html5_inicis", "MID-b"),
        ("kakaopay", "MID-c"),
    ]
    assert SECRET_SIGN_KEY not in page.content()

    # Adding as default: the new one is No. 1, the former default No. 2, the rest in order.
    page.click("[data-testid=add-pg]")
    page.select_option("[data-testid=pg_provider]", "kcp")
    page.fill("[data-testid=pg_id]", "K-1")
    page.check("[data-testid=default]")
    page.click("[data-testid=save]")
    page.wait_for_url(service + "/console/pg?notice=added", timeout=TIMEOUT)

    settings = httpx.get(service + "/users/pg/" + user_code).json()["data"]
    assert [s["pg_id"] for s in settings] == ["K-1", "MID-a", "MID-b", "MID-c"]

    # Delete asks first; Cancel leaves everything as it was.
    first = page.query_selector_all("[data-testid=setting-row]")[0]
    first.query_selector("a.danger").click()
    page.wait_for_selector("[data-testid=default-warning]", timeout=TIMEOUT)
    assert "html5_inicis.MID-a" in page.inner_text("[data-testid=default-warning]")
    page.click("[data-testid=confirm-delete]")
    page.wait_for_url(service + "/console/pg?notice=delete", timeout=TIMEOUT)
    settings = httpx.get(service + "/users/pg/" + user_code).json()["data"]
    assert [s["pg_id"] for s in settings] == ["MID-a", "MID-b", "MID-c"]
