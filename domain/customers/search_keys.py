"""Search keys: how names, kana, phones and emails are folded so what a cashier types
matches what was stored, whatever the script, width, case or diacritics."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers

from .names import romanise, to_katakana

_WORD_BREAKS = re.compile(r"[\s\u3000・･,.\-‐－_/()（）\"'“”]+")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """Latin letters lose their diacritics (ễ → e, đ → d); katakana becomes hiragana, so
    タナカ, たなか and ﾀﾅｶ (made full-width by NFKC) are one key. Other scripts stay."""
    if char in "đĐ":
        return "d"
    if "\u30a1" <= char <= "\u30f6":
        return chr(ord(char) - 0x60)
    if "LATIN" in unicodedata.name(char, ""):
        return "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return char


def fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(_fold_char(char) for char in text)


def words(text: str | None) -> list[str]:
    return [word for word in _WORD_BREAKS.split(fold(text)) if word]


def name_terms(name: str | None, kana: str | None = None, alt: str | None = None) -> set[str]:
    """What a customer can be found by: for the name, the other-script name, the kana
    reading and its romanisation (タナカ タロウ → tanaka tarou), every trailing run of
    words, folded. "nguyen van an" gives "nguyen van an", "van an" and "an", so typing the
    start of any word, or of several words in order, is one prefix search."""
    romaji = romanise(to_katakana(kana)) if kana else None
    # People type long vowels short (佐藤: "sato", not "satou"): store both spellings.
    variants = [name, alt, kana, romaji, shorten_vowels(romaji) if romaji else None]
    terms = set()
    for variant in variants:
        parts = words(variant)
        terms |= {" ".join(parts[start:])[:120] for start in range(len(parts))}
    return terms


def shorten_vowels(romaji: str) -> str:
    """satou → sato, yuuki → yuki, oono → ono: the way long vowels are usually typed."""
    return re.sub(r"([aiueo])\1|ou", lambda m: m.group(0)[0], romaji)


def phone_digits(e164: str) -> tuple[str, str]:
    """The national significant number and its reverse: typed national numbers match the
    first by prefix, and "the last four digits" match the second by prefix."""
    digits = str(phonenumbers.parse(e164).national_number)
    return digits, digits[::-1]
