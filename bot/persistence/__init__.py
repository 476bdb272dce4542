"""Persistence: the database, its engines and transactions, and the SQL that
is worth writing by hand. The only package that knows SQLite from PostgreSQL."""
