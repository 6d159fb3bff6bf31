"""Governance: who may call (keys, users, teams, organizations), what they may spend and how fast."""
