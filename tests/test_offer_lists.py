"""The coordinator's list of offers and assignments: filters and pagination."""


def test_filters_and_pagination(app, client, factory, login):
    coordinator = factory.coordinator("03")
    _u1, chiba = factory.talent_user("03", name="千葉 沙織", available_hours_per_month=200)
    _u2, sugawara = factory.talent_user("03", name="菅原 拓海", available_hours_per_month=200)
    morioka = factory.request("032018", title="盛岡の窓口DX", hours_per_month=5)
    hanamaki = factory.request("032051", title="花巻のセキュリティ", hours_per_month=5)
    factory.offer(coordinator, morioka, chiba)
    withdrawn = factory.offer(coordinator, hanamaki, sugawara)
    login(coordinator)
    client.post(f"/offers/{withdrawn.id}/withdraw", data={"confirmed": "1"})

    everything = client.get("/offers/").text
    assert "千葉 沙織" in everything and "菅原 拓海" in everything
    by_state = client.get("/offers/?state=withdrawn").text
    assert "菅原 拓海" in by_state and "千葉 沙織" not in by_state
    by_city = client.get(f"/offers/?municipality_id={morioka.municipality_id}").text
    assert "千葉 沙織" in by_city and "菅原 拓海" not in by_city
    by_text = client.get("/offers/?q=セキュリティ").text  # request title
    assert "菅原 拓海" in by_text and "千葉 沙織" not in by_text
    by_name = client.get("/offers/?q=千葉").text
    assert "千葉 沙織" in by_name and "菅原 拓海" not in by_name
    assert client.get("/offers/?municipality_id=abc&page=x").status_code == 200

    app.config["PER_PAGE"] = 1
    try:
        first = client.get("/offers/").text
        assert "2件中 1–1件を表示" in first and 'rel="next"' in first
    finally:
        app.config["PER_PAGE"] = 25
