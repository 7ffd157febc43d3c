"""The one keyword-search rule every list follows.

The words of the search box (NFKC-normalised, split on spaces) must all be found: each in
any of the searched columns, ignoring case, with `%` and `_` taken as themselves.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, or_

from talentpool.text import search_key


def keyword_clause(q: str, *columns: ColumnElement[str]) -> ColumnElement[bool] | None:
    """The condition that every word of `q` is in one of `columns`; None for no words."""
    words = search_key(q).split()
    if not words:
        return None
    return and_(
        *(or_(*(column.icontains(word, autoescape=True) for column in columns)) for word in words)
    )


def with_keywords(query: Select, q: str, *columns: ColumnElement[str]) -> Select:
    """`query` narrowed to the rows whose `columns` hold every word of `q` (see above)."""
    clause = keyword_clause(q, *columns)
    return query if clause is None else query.where(clause)
