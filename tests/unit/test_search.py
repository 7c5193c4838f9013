"""Search finds the right customer from what a cashier types, in every written form."""

import time

import pytest

from domain.customers import records
from domain.customers.search import classify, search
from extensions import db
from tests.factories import actor_for, make_customer


@pytest.fixture
def people(app, world, other_world):
    """A few customers of merchant A (JP region) and one of merchant B with a shared phone."""
    with app.app_context():
        made = {
            "tanaka": make_customer(world, name="田中 太郎", name_kana="タナカ タロウ", phone="090-1234-5678",
                                    email="taro.tanaka@example.com"),
            "hanako": make_customer(world, name="田中 花子", name_kana="タナカ ハナコ", phone="080-2222-3333"),
            "nguyen": make_customer(world, name="Nguyễn Văn An", phone="+84 912 345 999", email="an.nguyen@example.vn"),
            "smith": make_customer(world, name="Emily Smith", phone="+1 415 555 0132", email="emily@example.com"),
        }  # fmt: skip
        make_customer(other_world, name="Other Brand Person", phone="+81 90 1234 5678")
        return {key: customer.id for key, customer in made.items()}


def found(app, world, query, role="cashier"):
    with app.app_context():
        results = search(actor_for(world.staff(role)), query)
        return [hit.customer.id for hit in results.hits]


@pytest.mark.parametrize(
    "query",
    ["090-1234-5678", "09012345678", "+81 90 1234 5678", "+819012345678", "(090) 1234-5678",
     "０９０－１２３４－５６７８", "090 1234", "5678", "345678", "CUST-000001", "000001", "1"],
)  # fmt: skip
def test_phone_and_number_forms_find_tanaka(app, world, people, query):
    assert found(app, world, query)[0] == people["tanaka"]


@pytest.mark.parametrize("query", ["0912 345 999", "+84 912 345 999", "912345999", "5999"])
def test_vietnamese_numbers_at_a_japanese_merchant(app, world, people, query):
    assert people["nguyen"] in found(app, world, query)


@pytest.mark.parametrize(
    "query, key",
    [("田中 太郎", "tanaka"), ("タナカ タロウ", "tanaka"), ("たなか たろう", "tanaka"), ("ﾀﾅｶ ﾀﾛｳ", "tanaka"),
     ("tanaka taro", "tanaka"), ("TANAKA TAROU", "tanaka"), ("taro", "tanaka"), ("たろう", "tanaka"),
     ("tanaka hana", "hanako"), ("nguyen van", "nguyen"), ("Nguyễn Văn An", "nguyen"), ("van an", "nguyen"),
     ("NGUYEN", "nguyen"), ("emily", "smith"), ("smi", "smith")],
)  # fmt: skip
def test_names_in_every_script_width_and_case(app, world, people, query, key):
    assert found(app, world, query)[0] == people[key]


def test_a_family_name_finds_the_whole_family(app, world, people):
    assert set(found(app, world, "tanaka")) == {people["tanaka"], people["hanako"]}


@pytest.mark.parametrize(
    "query, key",
    [("taro.tanaka@example.com", "tanaka"), ("taro.tanaka@", "tanaka"), ("EMILY@EXAMPLE.COM", "smith"),
     ("an.nguyen@ex", "nguyen")],
)  # fmt: skip
def test_emails_by_address_and_prefix(app, world, people, query, key):
    assert found(app, world, query)[0] == people[key]


def test_exact_comes_before_prefix_then_recent_visits(app, world, people):
    from tests.unit.test_sales import ring_up

    with app.test_request_context():
        ring_up(actor_for(world.cashier, world.store_id), people["hanako"])  # a visit, from a real sale
    assert found(app, world, "tanaka") == [people["hanako"], people["tanaka"]]  # the recent visitor first
    assert found(app, world, "tanaka taro")[0] == people["tanaka"]  # exact beats recent


def test_among_equals_never_visited_the_newest_customer_comes_first(app, world, people):
    with app.app_context():
        first = make_customer(world, name="佐藤 一郎", phone="070-9999-0001").id
        time.sleep(0.002)  # ids are time-ordered to the millisecond
        second = make_customer(world, name="佐藤 一郎", phone="070-9999-0002").id
    assert found(app, world, "佐藤 一郎") == [second, first]  # e.g. the one just created at the till


def test_a_common_start_is_read_most_recent_first_with_the_same_answer(app, world, people, monkeypatch):
    from domain.customers import search as search_module
    from tests.unit.test_sales import ring_up

    with app.test_request_context():
        ring_up(actor_for(world.cashier, world.store_id), people["hanako"])
        dialect = db.engine.dialect.name
    sorted_answers = {phrase: found(app, world, phrase) for phrase in ("ta", "tana")}
    assert sorted_answers["tana"] == [people["hanako"], people["tanaka"]]
    # Both start more terms than that: "tana" is walked among the terms starting "tan",
    # "ta" (shorter than a term start) among all the merchant's terms.
    monkeypatch.setattr(search_module, "WALK_START_FROM", 2)
    monkeypatch.setitem(search_module.WALK_FROM, dialect, 2)
    with app.app_context():
        merchant = actor_for(world.cashier).merchant
        assert "name prefix, most recent of its start" in search_module.FINDERS["name"](merchant, "tana").ways
        assert "name prefix, most recent first" in search_module.FINDERS["name"](merchant, "ta").ways
    assert {phrase: found(app, world, phrase) for phrase in ("ta", "tana")} == sorted_answers


def test_each_hit_carries_its_tags_once_in_name_order(app, world, people):
    from domain.customers import tags

    with app.app_context():
        manager = actor_for(world.manager)
        vip, regular = (tags.create_tag(manager, {"name": name}) for name in ("VIP", "Regular"))
        tags.set_customer_tags(manager, people["hanako"], [vip.id, regular.id])
        hits = search(actor_for(world.cashier), "tanaka").hits
        assert [(hit.customer.id, [tag.name for tag in hit.customer.tags]) for hit in hits] == [
            (people["hanako"], ["Regular", "VIP"]), (people["tanaka"], [])]  # fmt: skip


def test_of_the_phones_starting_with_the_digits_the_most_recent_visitor_comes_first(app, world, monkeypatch):
    from domain.customers import search as search_module
    from tests.unit.test_sales import ring_up

    monkeypatch.setattr(search_module, "CANDIDATES", 1)  # as if thousands of phones started with them
    with app.test_request_context():
        first, second = (make_customer(world, name=name, phone=phone).id
                         for name, phone in (("Anna", "090-5555-0001"), ("Bruno", "090-5555-0002")))  # fmt: skip
        cashier = actor_for(world.cashier, world.store_id)
        for visitor, expected in ((second, [second, first]), (first, [first, second])):
            ring_up(cashier, visitor)
            assert found(app, world, "090-5555") == expected


def test_of_the_phones_sharing_last_digits_the_most_recent_visitor_comes_first(app, world, people):
    from tests.unit.test_sales import ring_up

    with app.test_request_context():
        sato = make_customer(world, name="佐藤 一郎", phone="070-9999-5678").id  # also ends in 5678
        cashier = actor_for(world.cashier, world.store_id)
        ring_up(cashier, sato)
        assert found(app, world, "5678")[:2] == [sato, people["tanaka"]]
        ring_up(cashier, people["tanaka"])
        assert found(app, world, "5678")[:2] == [people["tanaka"], sato]


def test_deleted_customers_are_not_found_and_come_back_when_restored(app, world, people):
    with app.app_context():
        records.delete_customer(actor_for(world.manager), people["smith"])
    assert found(app, world, "emily") == [] and found(app, world, "+1 415 555 0132") == []
    with app.app_context():
        records.restore_customer(actor_for(world.manager), people["smith"])
    assert found(app, world, "emily") == [people["smith"]]


def test_another_merchants_customer_is_never_returned(app, world, other_world, people):
    assert found(app, world, "Other Brand") == []
    with app.app_context():
        theirs = search(actor_for(other_world.cashier), "+81 90 1234 5678")
        assert [hit.customer.name for hit in theirs.hits] == ["Other Brand Person"]


def test_new_and_edited_customers_are_findable_at_once(app, world, people):
    with app.app_context():
        make_customer(world, name="Brand New", phone="070-1111-2222")
        records.update_section(actor_for(world.manager), people["smith"], "identity", {"name": "Emily Jones"}, 1)
    assert found(app, world, "brand new") and found(app, world, "07011112222")
    assert found(app, world, "jones") == [people["smith"]] and found(app, world, "smith") == []


@pytest.mark.parametrize("query, kind", [("", ""), ("t", ""), ("ta", "name"), ("田", "name"), ("12", "phone"),
                                         ("a@", "email"), ("090-1234", "phone"), ("CUST-000123", "phone")])  # fmt: skip
def test_classify_reads_what_was_typed(query, kind):
    assert classify(query) == kind


def test_nothing_is_searched_for_too_short_input(app, world, people):
    with app.app_context():
        assert search(actor_for(world.cashier), "t").kind == ""
        assert search(actor_for(world.cashier), "12").hits == []  # too few digits for a phone


@pytest.mark.parametrize(
    "query, key",
    [("tanka taro", "tanaka"), ("tanaka tarp", "tanaka"), ("nguyn van an", "nguyen"), ("emly smith", "smith"),
     ("smiht", "smith"), ("emliy smith", "smith"), ("tnaka tarp", "tanaka")],  # a swap; two typos
)  # fmt: skip
def test_typos_still_find_the_person(app, world, people, query, key):
    assert found(app, world, query)[0] == people[key]


@pytest.mark.parametrize("query, key", [("@example.vn", "nguyen"), ("tanaka@example", "tanaka"),
                                        ("@EXAMPLE.COM", "tanaka")])  # fmt: skip
def test_email_fragments_anywhere_in_the_address(app, world, people, query, key):
    assert people[key] in found(app, world, query)


def test_a_typo_is_looked_up_again_when_the_filters_leave_no_real_match(app, world, people):
    """The first statement reads the typo lookup's terms only when nothing starts with the
    phrase; when something does but the directory's filters exclude it, the lookup runs
    on its own."""
    from domain.customers.models import Customer

    with app.app_context():
        actor = actor_for(world.cashier)
        assert search(actor, "emily smit").customers[0].id == people["smith"]
        assert search(actor, "emily smit", where=[Customer.status == "blocked"]).hits == []
        assert search(actor, "emly smith", where=[Customer.status == "active"]).customers[0].id == people["smith"]


def test_typos_rank_after_real_matches(app, world, people):
    with app.app_context():
        make_customer(world, name="Smitty Werben", phone="070-9999-0000")
        results = search(actor_for(world.cashier), "smit")
    assert [int(hit.rank) for hit in results.hits] == sorted(int(hit.rank) for hit in results.hits)


def test_trigram_similarity_matches_pg_trgm():
    from domain.customers.fuzzy import similarity

    assert similarity("word", "two words") == pytest.approx(0.3636, abs=1e-3)  # pg_trgm's documented example
    assert similarity("tanaka", "tanaka") == 1.0 and similarity("abc", "xyz") == 0.0


def test_search_keys_compare_by_byte_order_on_postgresql(app):
    """Prefix ranges equal 'starts with' only under byte order; a server created with a
    linguistic collation (en_US) would otherwise mis-match silently."""
    from sqlalchemy import text

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite compares bytes already")
        rows = db.session.execute(text(
            "SELECT table_name, column_name, collation_name FROM information_schema.columns WHERE "
            "(table_name, column_name) IN (('customer_term', 'term'), ('name_vocabulary', 'term'), "
            "('contact_point', 'value'), ('contact_point', 'digits'), ('contact_point', 'digits_reversed'))"
        )).all()  # fmt: skip
        assert {row.collation_name for row in rows} == {"C"} and len(rows) == 5


def test_punctuation_only_name_filter_finds_nothing(app, world, people):
    with app.app_context():
        assert search(actor_for(world.cashier), "!!", kind="name").hits == []
