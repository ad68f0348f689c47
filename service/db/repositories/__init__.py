"""Repository functions: keyword-only, one module per record kind; they never commit.

The caller owns the transaction (`with database.session() as s, s.begin(): ...`), so one use
case writes all of its rows or none of them.
"""
