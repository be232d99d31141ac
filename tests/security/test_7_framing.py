"""Point 7: no console response may be framed; payment windows and the PG page may."""

import httpx

from iamport_sandbox.demo import DEMO
from tests.sandbox.conftest import csrf_of


def _framable(answer):
    return answer.headers.get(
        "x-frame-options"
    ) != "DENY" or "frame-ancestors 'none'" not in answer.headers.get("content-security-policy", "")


def test_every_console_response_forbids_framing(live):
    from tests.security.conftest import count

    url, _ = live()
    with httpx.Client(base_url=url, timeout=10) as http:
        answers = [
            http.get("/console"),
            http.get("/console/login"),
            http.get("/console/pg"),
            http.post("/console/pg", data={}),
            http.post("/console/login", data={"csrf": "x"}),
        ]
        answers.append(
            http.post(
                "/console/login",
                data={
                    "csrf": csrf_of(http.get("/console/login")),
                    "login": DEMO["login"],
                    "password": DEMO["password"],
                },
            )
        )
        answers += [
            http.get(path)
            for path in (
                "/console/pg",
                "/console/pg/new",
                "/console/payments",
                "/console/webhooks",
                "/console/password",
                "/console/pg/999/edit",
            )
        ]
    framable = [answer.request.url.path for answer in answers if _framable(answer)]
    count("7 framing: console responses without DENY", tried=len(answers), through=len(framable))
    assert framable == []


def test_payment_windows_stay_frameable(live):
    url, _ = live()
    with httpx.Client(base_url=url, timeout=10) as http:
        window = http.get("/payments/ready/{}/html5_inicis/MID-a".format(DEMO["user_code"]))
        settings = http.get("/users/pg/" + DEMO["user_code"])
    assert window.status_code == 200 and "x-frame-options" not in window.headers
    assert "frame-ancestors" not in window.headers.get("content-security-policy", "")
    assert "x-frame-options" not in settings.headers
