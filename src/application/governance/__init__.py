"""Governance use cases: keys, teams, users, organizations, budgets, limits and spend."""
