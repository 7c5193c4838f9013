"""The API page integrators read: rendered from the same document the code is checked against."""

from html import unescape

from blueprints.api.openapi import document

from ..conftest import text_of


def test_the_reference_page_shows_every_operation_without_a_token(client, world):
    page = client.get("/api/v1/docs", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = unescape(text_of(page))
    for path, item in document()["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                assert f"{method.upper()} {path}" in text
                assert operation["summary"] in text
    assert "Idempotency-Key" in text and "If-Match" in text  # the contract's headers are explained
    assert 'href="/api/v1/openapi.json"' in page.get_data(as_text=True)
