"""Phone numbers as people write them, in each region we serve."""

import pytest

from domain import phones
from domain.errors import Invalid


@pytest.mark.parametrize(
    "region, written, e164",
    [
        ("JP", "090-1234-5678", "+819012345678"),
        ("JP", "09012345678", "+819012345678"),
        ("JP", "090 1234 5678", "+819012345678"),
        ("JP", "(090) 1234-5678", "+819012345678"),
        ("JP", "090.1234.5678", "+819012345678"),
        ("JP", "０９０－１２３４－５６７８", "+819012345678"),  # full-width digits and dash
        ("JP", "+81 90 1234 5678", "+819012345678"),
        ("JP", "+81 (0)90-1234-5678", "+819012345678"),
        ("JP", "03-1234-5678", "+81312345678"),
        ("VN", "0912 345 678", "+84912345678"),
        ("VN", "091-234-5678", "+84912345678"),
        ("VN", "+84 912 345 678", "+84912345678"),
        ("VN", "84912345678", "+84912345678"),
        ("OM", "9123 4567", "+96891234567"),
        ("OM", "+968 9123 4567", "+96891234567"),
        ("US", "(415) 555-0132", "+14155550132"),
        ("US", "415.555.0132", "+14155550132"),
        ("US", "+1 415 555 0132", "+14155550132"),
        ("JP", "+1 415 555 0132", "+14155550132"),  # a visitor's foreign number
    ],
)
def test_written_forms_normalise_to_e164(app, region, written, e164):
    with app.test_request_context():
        assert phones.to_e164(written, region) == e164


@pytest.mark.parametrize(
    "region, written, message",
    [
        ("JP", "", "Enter a phone number."),
        ("JP", "hello", "This does not look like a phone number."),
        ("JP", "090-12", "too short"),
        ("US", "(415) 555-01329", "too long"),
        ("US", "(000) 555-0132", "not a valid phone number"),
        ("VN", "0112 345 678", "not a valid phone number"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(app, region, written, message):
    with app.test_request_context(), pytest.raises(Invalid) as refused:
        phones.to_e164(written, region)
    assert message in refused.value.errors["phone"]


def test_display_is_national_at_home_and_international_abroad():
    assert phones.display("+819012345678", "JP") == "090-1234-5678"
    assert phones.display("+819012345678", "VN") == "+81 90-1234-5678"
    assert phones.display("+84912345678", "VN") == "0912 345 678"
    assert phones.masked("+819012345678") == "•••• 5678"
