"""Point 3: console sessions live in the store; logout, a password change and expiry
end them (a copied cookie is worth nothing afterwards)."""

import httpx

from iamport_sandbox.demo import DEMO
from tests.sandbox.conftest import csrf_of
from tests.security.conftest import count, until


def _login(http, password=DEMO["password"]):
    token = csrf_of(http.get("/console/login"))
    answer = http.post(
        "/console/login", data={"csrf": token, "login": DEMO["login"], "password": password}
    )
    assert answer.status_code == 303, answer.text
    return answer


def _copy(url, http):
    """An attacker's copy of the browser's cookies (and a CSRF token read before)."""
    token = csrf_of(http.get("/console/pg"))
    return httpx.Client(base_url=url, cookies=dict(http.cookies), timeout=10), token


def _still_works(copy, token):
    """Requests the copied cookie gets through with (page read, CSRF-checked POST)."""
    read = copy.get("/console/pg", follow_redirects=False)
    post = copy.post(
        "/console/webhook", data={"csrf": token, "webhook_url": "http://127.0.0.1:1/x"}
    )
    return int(read.status_code == 200) + int(post.status_code == 303)


def test_a_cookie_copied_before_logout_is_dead_after_it(live):
    url, _ = live()
    with httpx.Client(base_url=url, timeout=10) as http:
        _login(http)
        copy, token = _copy(url, http)
        assert _still_works(copy, token) == 2
        assert http.post("/console/logout", data={"csrf": token}).status_code == 303
        through = _still_works(copy, token)
        copy.close()
    count("3 sessions: copied cookie after logout", tried=2, through=through)
    assert through == 0


def test_a_password_change_ends_every_other_session(live):
    url, _ = live()
    with (
        httpx.Client(base_url=url, timeout=10) as http,
        httpx.Client(base_url=url, timeout=10) as other,
    ):
        _login(http)
        _login(other)
        copy, token = _copy(url, other)
        changed = http.post(
            "/console/password",
            data={
                "csrf": csrf_of(http.get("/console/password")),
                "password": DEMO["password"],
                "new_password": "a-new-password-1",
                "confirm": "a-new-password-1",
            },
        )
        assert changed.status_code == 303
        assert http.get("/console/pg", follow_redirects=False).status_code == 200
        through = _still_works(copy, token)
        copy.close()
    with httpx.Client(base_url=url, timeout=10) as fresh:
        _login(fresh, "a-new-password-1")
    count("3 sessions: other session after password change", tried=2, through=through)
    assert through == 0


def test_a_wrong_current_password_changes_nothing(live):
    url, _ = live()
    with httpx.Client(base_url=url, timeout=10) as http:
        _login(http)
        answer = http.post(
            "/console/password",
            data={
                "csrf": csrf_of(http.get("/console/password")),
                "password": "not-it",
                "new_password": "a-new-password-1",
                "confirm": "a-new-password-1",
            },
        )
        assert answer.status_code == 400 and "wrong" in answer.text
    with httpx.Client(base_url=url, timeout=10) as fresh:
        _login(fresh, DEMO["password"])


def test_a_session_ends_when_it_expires(live):
    url, _ = live(session_ttl=1)
    with httpx.Client(base_url=url, timeout=10) as http:
        _login(http)
        copy, token = _copy(url, http)
        assert until(
            lambda: http.get("/console/pg", follow_redirects=False).status_code == 303,
            seconds=5,
            step=0.1,
        )
        through = _still_works(copy, token)
        copy.close()
    count("3 sessions: expired session", tried=2, through=through)
    assert through == 0


def test_the_cookie_holds_only_a_random_id(live):
    url, app = live()
    with httpx.Client(base_url=url, timeout=10) as http:
        answer = _login(http)
        cookie = answer.headers["set-cookie"]
        session_id = http.cookies["iamport_console"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert len(session_id) >= 40 and "." not in session_id  # no signed payload
    with open(app.state.config.db_path, "rb") as db:
        stored = db.read()
    assert session_id.encode() not in stored
