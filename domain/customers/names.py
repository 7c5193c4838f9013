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


# Hepburn romanisation of katakana, longest sequences first (キャ before キ).
_DIGRAPHS = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "シャ": "sha", "シュ": "shu", "ショ": "sho", "シェ": "she",
    "チャ": "cha", "チュ": "chu", "チョ": "cho", "チェ": "che", "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo",
    "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ミャ": "mya", "ミュ": "myu", "ミョ": "myo", "リャ": "rya",
    "リュ": "ryu", "リョ": "ryo", "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo", "ジャ": "ja", "ジュ": "ju",
    "ジョ": "jo", "ジェ": "je", "ビャ": "bya", "ビュ": "byu", "ビョ": "byo", "ピャ": "pya", "ピュ": "pyu",
    "ピョ": "pyo", "ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo", "ティ": "ti", "ディ": "di",
    "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo",
}  # fmt: skip
_MONOGRAPHS = dict(
    zip(
        "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
        "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォャュョ",
        "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no "
        "ha hi fu he ho ma mi mu me mo ya yu yo ra ri ru re ro wa o n "
        "ga gi gu ge go za ji zu ze zo da ji zu de do ba bi bu be bo pa pi pu pe po "
        "vu a i u e o ya yu yo".split(),
        strict=True,
    )
)


def romanise(kana: str) -> str:
    """Katakana (or hiragana) in Hepburn without macrons: タナカ タロウ → tanaka tarou.

    The doubled vowel is kept (tarou): people type both "taro" and "tarou", and a search
    key of "tarou" matches either as a prefix."""
    text, out, index = to_katakana(kana), [], 0
    while index < len(text):
        pair, char = text[index : index + 2], text[index]
        if pair in _DIGRAPHS:
            out.append(_DIGRAPHS[pair])
            index += 2
            continue
        if char == "ッ" and index + 1 < len(text):  # small tsu doubles the next consonant
            following = _DIGRAPHS.get(text[index + 1 : index + 3]) or _MONOGRAPHS.get(text[index + 1], "")
            out.append("t" if following.startswith("ch") else following[:1])
        elif char == "ー" and out:
            out.append(out[-1][-1:])
        elif char == "ン" and index + 1 < len(text) and _MONOGRAPHS.get(text[index + 1], "x")[0] in "aiueoy":
            out.append("n'")
        else:
            out.append(_MONOGRAPHS.get(char, " " if char in "\u3000 ・" else char))
        index += 1
    return " ".join("".join(out).replace("'", "").split())
