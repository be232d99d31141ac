"""The REST reference page in a browser (issue 24, item 3): reached from the console's API
keys page, it renders PortOne's 78 operations from the pinned Swagger UI, and "Try it out"
gets a token and, authorized with it, reads the bank codes from this sandbox; nothing is
requested from another host (the page fixture checks it)."""

from iamport_sandbox.demo import DEMO


def _log_in(page, service):
    page.goto(service + "/console/login")
    page.fill("input[name=login]", DEMO["login"])
    page.fill("input[name=password]", DEMO["password"])
    page.locator("form button").first.click()
    page.wait_for_url("**/console/**")


def _execute(operation):
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    return status.inner_text().split()[0]


def test_try_it_out_against_the_sandbox_from_the_api_keys_page(page, service):
    _log_in(page, service)
    page.goto(service + "/console/keys")
    page.get_by_test_id("api-reference").click()
    page.wait_for_url(service + "/api/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() == 78

    get_token = page.locator("#operations-authenticate-getToken")
    get_token.locator(".opblock-summary").click()
    get_token.locator("button.try-out__btn").click()
    get_token.locator("input[placeholder=imp_key]").fill(DEMO["imp_key"])
    get_token.locator("input[placeholder=imp_secret]").fill(DEMO["imp_secret"])
    get_token.locator("button.execute").click()
    body = get_token.locator(".live-responses-table tbody .microlight").first
    body.wait_for()
    token = page.evaluate("text => JSON.parse(text).response.access_token", body.inner_text())
    assert token

    page.locator("button.authorize").first.click()
    page.locator(".auth-container input").first.fill(token)
    page.locator(".auth-btn-wrapper button.authorize").click()
    page.locator("button.btn-done").click()
    banks = page.locator("#operations-codes-allBankCodes")
    assert _execute(banks) == "200"
    answer = banks.locator(".live-responses-table tbody .microlight").first.inner_text()
    assert "KDB산업은행" in answer
