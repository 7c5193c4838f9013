"""Typo-tolerant names and email fragments, through each database's trigram index.

A name with one typo is looked up by the side of it the typo left intact (the same on both
databases); otherwise PostgreSQL answers with pg_trgm (a GIN index), and SQLite with FTS5
(trigram tokenizer) for candidates, re-scored here with the similarity pg_trgm uses, so both
rank alike.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import text

from extensions import db

from ..sql import bound_dialect, prefix_end

SIMILAR_ENOUGH = 0.3  # pg_trgm's default threshold
CANDIDATE_TERMS = 50  # by trigram similarity, then re-ranked by edit distance
TERMS = 3  # the closest few terms lead to customers


@lru_cache(maxsize=100_000)  # the vocabulary's terms come back query after query
def trigrams(value: str) -> frozenset[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams = set()
    for word in value.split():
        padded = f"  {word} "
        grams |= {padded[i : i + 3] for i in range(len(padded) - 2)}
    return frozenset(grams)


def similarity(a: str, b: str) -> float:
    left, right = trigrams(a), trigrams(b)
    return len(left & right) / len(left | right) if left and right else 0.0


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: trigrams find candidates fast, but for short words with a
    dropped letter they can prefer the wrong one ('hoag' is trigram-closer to 'ho' than to
    'hoang'); one edit away is what a typo is. (rapidfuzz: C++, microseconds a pair.)"""
    return Levenshtein.distance(a, b)


def closeness(phrase: str, term: str, score: float) -> float:
    """0 (identical) up to <1: edit distance first, trigram similarity to break ties."""
    return min(edit_distance(phrase, term), 9) / 10 + (1 - score) / 100


def similar_terms(merchant_id: int, phrase: str, one_side_intact: list[str] | None = None) -> list[tuple[str, float]]:
    """The merchant's name terms closest to `phrase`, best first, with their closeness
    (0 identical … <1; see `closeness`). `one_side_intact`: the terms `ONE_SIDE_INTACT`
    gave for the phrase, when a search already read them with its first statement."""
    if len(phrase) < 3:
        return []
    dialect = bound_dialect()
    if one_side_intact is None and (sides := typo_sides(phrase, dialect)):
        one_side_intact = db.session.scalars(ONE_SIDE_INTACT[dialect], {"merchant": merchant_id, **sides}).all()
    scored = _one_typo_away(phrase, one_side_intact or [])
    if not scored:
        similar = _postgres_similar if dialect == "postgresql" else _sqlite_similar
        scored = similar(merchant_id, phrase)
    ranked = sorted((closeness(phrase, term, score), term) for term, score in scored)
    return [(term, distance) for distance, term in ranked[:TERMS]]


def typo_sides(phrase: str, dialect: str) -> dict | None:
    """The values ONE_SIDE_INTACT takes for `phrase`, or None when the phrase is too short
    to look up that way.

    A typo leaves one side of the phrase intact: its first half starts the term, or what
    follows its middle letter is inside it. Those terms come straight from the indexes, a
    few hundred at most, and are compared here by edit distance. Ranking every term that
    shares a trigram, which two typos or a very short phrase still need, costs far more."""
    half = len(phrase) // 2
    head, tail = phrase[:half], phrase[half + 1 :]
    if len(tail) < 3:  # no trigram to look up by
        return None
    tail = _containing(tail) if dialect == "postgresql" else _quoted(tail)
    return {"head": head, "head_end": prefix_end(head), "tail": tail}


def _one_typo_away(phrase: str, one_side_intact: list[str]) -> list[tuple[str, float]]:
    """The similar terms among those with one side intact when one of them is a single typo
    away (two edits for a swap), else []."""
    nearest = process.extract(phrase, one_side_intact, scorer=Levenshtein.distance, limit=CANDIDATE_TERMS)
    if not nearest or nearest[0][1] > 2:
        return []
    return _scored((term for term, _distance, _index in nearest), phrase)


_MINE = "SELECT term FROM name_vocabulary WHERE merchant_id = :merchant"
# The terms with one side of a phrase intact (values: typo_sides), per database: SQLite's
# full-text index or PostgreSQL's trigram index finds the tail inside a term.
ONE_SIDE_INTACT = {
    "sqlite": text(f"{_MINE} AND term >= :head AND term < :head_end UNION {_MINE} AND rowid IN "
                   "(SELECT rowid FROM name_vocabulary_fts WHERE name_vocabulary_fts MATCH :tail) LIMIT 300"),
    "postgresql": text(f"{_MINE} AND term >= :head AND term < :head_end UNION {_MINE} AND term LIKE :tail LIMIT 300"),
}  # fmt: skip


def _postgres_similar(merchant_id: int, phrase: str) -> list[tuple[str, float]]:
    # The GIN index gives the terms sharing enough trigrams to pass pg_trgm's threshold
    # (`%`, SIMILAR_ENOUGH by default): none at once for a phrase whose trigrams no term
    # has (see migration 0016), a few dozen to rank for a name with typos.
    rows = db.session.execute(_SIMILAR, {"phrase": phrase, "merchant": merchant_id, "limit": CANDIDATE_TERMS})
    return [(row.term, row.score) for row in rows if row.score >= SIMILAR_ENOUGH]


_SIMILAR = text(
    "SELECT term, similarity(term, :phrase) AS score FROM name_vocabulary "
    "WHERE merchant_id = :merchant AND term % :phrase ORDER BY score DESC, term LIMIT :limit"
)


def _sqlite_similar(merchant_id: int, phrase: str) -> list[tuple[str, float]]:
    # Candidates come from the full-text index first (a join let SQLite probe it once per row).
    terms = db.session.scalars(_SHARING_A_TRIGRAM, {"query": _any_trigram(phrase), "merchant": merchant_id})
    return _scored(terms, phrase)


_SHARING_A_TRIGRAM = text(
    "SELECT term FROM name_vocabulary WHERE merchant_id = :merchant AND rowid IN "
    "(SELECT rowid FROM name_vocabulary_fts WHERE name_vocabulary_fts MATCH :query ORDER BY rank LIMIT 300)"
)


def _scored(terms, phrase: str) -> list[tuple[str, float]]:
    """(term, trigram similarity) of the terms similar enough to `phrase`, most similar first."""
    scored = ((term, similarity(term, phrase)) for term in terms)
    return sorted((s for s in scored if s[1] >= SIMILAR_ENOUGH), key=lambda s: (-s[1], s[0]))[:CANDIDATE_TERMS]


def _any_trigram(value: str) -> str:
    """An FTS5 query of any of the value's trigrams (quoted, so no trigram is syntax)."""
    grams = {value[i : i + 3] for i in range(len(value) - 2)} - {""}
    return " OR ".join(_quoted(gram) for gram in sorted(grams))


def _quoted(value: str) -> str:
    """An FTS5 phrase: with the trigram tokenizer, the value as a substring (3+ characters)."""
    return '"' + value.replace('"', '""') + '"'


def _containing(value: str) -> str:
    """A LIKE pattern for the value anywhere (a trigram index serves it from 3 characters)."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def email_fragment_points(merchant_id: int, fragment: str, limit: int) -> list:
    """Contact point ids of the merchant's live emails containing `fragment` (3+ chars)."""
    if len(fragment) < 3:
        return []
    if bound_dialect() == "postgresql":
        query = ("SELECT id FROM contact_point WHERE merchant_id = :merchant AND kind = 'email' AND live "
                 "AND value LIKE :pattern LIMIT :limit")  # fmt: skip
        values = {"merchant": merchant_id, "pattern": _containing(fragment), "limit": limit}
        return list(db.session.scalars(text(query), values))
    query = ("SELECT id FROM contact_point WHERE merchant_id = :merchant AND live = 1 AND id IN "
             "(SELECT rowid FROM email_fts WHERE email_fts MATCH :match LIMIT 2000) LIMIT :limit")  # fmt: skip
    return list(db.session.scalars(text(query), {"match": _quoted(fragment), "merchant": merchant_id, "limit": limit}))
