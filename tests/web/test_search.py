"""/customers/search as htmx and a browser see it."""

from tests.conftest import text_of
from tests.factories import actor_for, make_customer

HX = {"HX-Request": "true"}


def test_results_are_a_fragment_for_htmx_and_a_page_otherwise(app, world, signed_in):
    with app.app_context():
        taro = make_customer(world, name="田中 太郎", name_kana="タナカ タロウ", phone="090-1234-5678")
        profile = f"/customers/{taro.id}"
    client = signed_in("cashier")
    fragment = client.get("/customers/search?q=5678", headers=HX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in html and html.lstrip().startswith('<div id="search-results"')
    assert "田中 太郎" in html and "HX-Request" in fragment.headers["Vary"]
    assert f'href="{profile}"' in html and "田中 太郎" in text_of(client.get(profile))
    page = client.get("/customers/search?q=5678")
    assert "<html" in page.get_data(as_text=True) and 'value="5678"' in page.get_data(as_text=True)


def test_cashiers_see_masked_phones_in_results(app, world, signed_in):
    with app.app_context():
        make_customer(world, phone="090-1234-5678")
    html = signed_in("cashier").get("/customers/search?q=tanaka", headers=HX).get_data(as_text=True)
    assert "•••• 5678" in html and "090-1234-5678" not in html
    assert "090-1234-5678" in signed_in("manager").get("/customers/search?q=tanaka", headers=HX).get_data(True)


def test_empty_short_and_unmatched_queries_explain_themselves(world, signed_in):
    client = signed_in("cashier")
    for query in ("", "t", "%20"):
        response = client.get(f"/customers/search?q={query}", headers=HX)
        assert response.status_code == 200 and "Type a phone number" in text_of(response)
    assert "No customer matches “zzzz”." in text_of(client.get("/customers/search?q=zzzz", headers=HX))


def test_blocked_customers_are_marked(app, world, signed_in):
    from domain.customers import records

    with app.app_context():
        customer = make_customer(world)
        records.update_section(actor_for(world.manager), customer.id, "status",
                               {"status": "blocked", "status_reason": "Chargebacks"}, 1)  # fmt: skip
    page = text_of(signed_in("cashier").get("/customers/search?q=tanaka", headers=HX))
    assert "Blocked: Chargebacks" in page


def test_a_page_of_results_costs_the_same_statements_whatever_its_length(app, world, signed_in):
    """The list reads its customers and their tags in the search's own statements: nothing
    it shows is read row by row, a statement per customer."""
    from sqlalchemy import event

    from domain.customers import records, tags
    from extensions import db

    def statements_for_search(client) -> int:
        run = []

        def count(*_args):
            run.append(1)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert "Blocked: Chargebacks" in text_of(client.get("/customers/search?q=tanaka", headers=HX))
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(run)

    with app.app_context():
        manager = actor_for(world.manager)
        vip = tags.create_tag(manager, {"name": "VIP", "colour": "purple"})
        blocked = make_customer(world, name="Tanaka Ichiro", phone="090-1111-0001")
        records.update_section(manager, blocked.id, "status", {"status": "blocked", "status_reason": "Chargebacks"}, 1)
    client = signed_in("cashier")
    one = statements_for_search(client)
    with app.app_context():
        manager = actor_for(world.manager)
        for n in range(2, 7):
            customer = make_customer(world, name=f"Tanaka {n}", phone=f"090-1111-000{n}")
            tags.set_customer_tags(manager, customer.id, [vip.id])
    assert statements_for_search(client) == one
    page = client.get("/customers/search?q=tanaka", headers=HX).get_data(as_text=True)
    assert page.count('<span class="tag tag-purple">VIP</span>') == 5


def test_search_needs_sign_in_and_sees_only_the_merchant(app, world, other_world, signed_in, client):
    with app.app_context():
        make_customer(world, name="Alpha Person", phone="090-1234-5678")
    assert client.get("/customers/search?q=5678").status_code == 302
    assert "Alpha Person" not in text_of(signed_in("owner", other_world).get("/customers/search?q=5678"))


def test_the_directory_searches_with_the_same_function_and_keeps_its_filters(app, world, signed_in):
    from domain.customers import tags

    with app.app_context():
        taro = make_customer(world, name="田中 太郎", name_kana="タナカ タロウ", phone="090-1234-5678")
        make_customer(world, name="田中 花子", name_kana="タナカ ハナコ", phone="080-1111-2222")
        vip = tags.create_tag(actor_for(world.manager), {"name": "VIP"})
        tags.set_customer_tags(actor_for(world.manager), taro.id, [vip.id])
        vip_id = vip.id
    client = signed_in("manager")
    both = client.get("/customers?q=tanaka", headers=HX)
    assert f'href="/customers/{taro.id}"' in both.get_data(as_text=True)  # the profile's address
    both = text_of(both)
    assert "Results for “tanaka”" in both and "田中 太郎" in both and "田中 花子" in both
    only_vip = text_of(client.get(f"/customers?q=tanaka&tag={vip_id}", headers=HX))
    assert "田中 太郎" in only_vip and "田中 花子" not in only_vip
    by_phone = text_of(client.get("/customers?phone=5678", headers=HX))  # an explicit filter
    assert "田中 太郎" in by_phone and "田中 花子" not in by_phone
    assert "田中" not in text_of(client.get("/customers?name=5678", headers=HX))  # read as a name: nothing
    assert "No customer matches “zzzz”." in text_of(client.get("/customers?q=zzzz"))


def test_reindex_rebuilds_the_keys(app, world):
    from sqlalchemy import delete

    from domain.customers.search_models import CustomerTerm
    from extensions import db

    with app.app_context():
        make_customer(world, name="Rebuilt Person", phone="070-3333-4444")
        db.session.execute(delete(CustomerTerm))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["customers", "reindex"])
    assert "1 customers indexed" in result.output
    with app.app_context():
        from domain.customers.search import search

        assert [h.customer.name for h in search(actor_for(world.cashier), "rebuilt").hits] == ["Rebuilt Person"]
