"""Persistence in SQL (SQLite by default, PostgreSQL): repositories, the spend ledger,
migrations."""
