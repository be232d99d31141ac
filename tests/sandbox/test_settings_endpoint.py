"""GET /users/pg/{user_code}: the SDK's view of the merchant's PG settings."""

from iamport_sandbox.demo import DEMO


def test_demo_settings_are_the_seeds_three_in_order(http):
    answer = http.get("/users/pg/" + DEMO["user_code"])
    assert answer.status_code == 200
    body = answer.json()
    keys = [entry.pop("channel_key") for entry in body["data"]]
    assert body == {
        "code": 0,
        "msg": None,
        "data": [
            {"pg_provider": "html5_inicis", "pg_id": "MID-a", "sandbox": True, "type": "payment"},
            {"pg_provider": "html5_inicis", "pg_id": "MID-b", "sandbox": True, "type": "payment"},
            {"pg_provider": "kakaopay", "pg_id": "MID-c", "sandbox": True, "type": "payment"},
        ],
    }
    assert len(set(keys)) == 3 and all(key.startswith("channel-key-") for key in keys)


def test_settings_allow_any_origin(http):
    answer = http.get("/users/pg/" + DEMO["user_code"], headers={"Origin": "http://shop.test"})
    assert answer.headers["access-control-allow-origin"] == "*"
    assert http.options("/users/pg/" + DEMO["user_code"]).status_code == 204


def test_unknown_user_code_is_404_with_a_nonzero_code(http):
    answer = http.get("/users/pg/imp00000000")
    assert answer.status_code == 404
    assert answer.json()["code"] != 0 and answer.json()["msg"]


def test_tier_settings_are_separate(http, store, demo):
    store.add_setting(
        demo["id"],
        {
            "pg_provider": "kcp",
            "pg_id": "T-KCP",
            "type": "payment",
            "sandbox": True,
            "tier_code": "T01",
        },
    )
    tier = http.get("/users/pg/{}?tier=T01".format(DEMO["user_code"])).json()
    assert [s["pg_id"] for s in tier["data"]] == ["T-KCP"]
    assert http.get("/users/pg/{}?tier=NOPE".format(DEMO["user_code"])).status_code == 404


def test_default_is_first_after_reordering(http, store, demo):
    kakao = store.settings(demo["id"])[2]
    store.reorder_setting(demo["id"], kakao["id"], "default")  # the console's swap
    data = http.get("/users/pg/" + DEMO["user_code"]).json()["data"]
    assert [s["pg_id"] for s in data] == ["MID-c", "MID-b", "MID-a"]
