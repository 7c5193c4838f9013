"""Names and their readings: kana normalised to full-width katakana, and a sort key."""

import re
import unicodedata

_KANA_READING = re.compile(r"[\u30a0-\u30ff\u3000\s・ー]+")


def to_katakana(text: str) -> str:
    """NFKC (half-width → full-width), then hiragana → katakana."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(ch) + 0x60) if "\u3041" <= ch <= "\u3096" else ch for ch in text)


def is_kana_reading(text: str) -> bool:
    return bool(_KANA_READING.fullmatch(text))


def sort_key(name: str, kana: str | None) -> str:
    """How the directory orders people: by reading where one is known (Japanese names sort
    by sound, not by kanji code point), otherwise by the case-folded name."""
    return (kana or unicodedata.normalize("NFKC", name).casefold())[:200]
