"""Roles, as LiteLLM names them, so existing scripts and JWT claims keep their meaning."""

from __future__ import annotations

from enum import StrEnum


class UserRole(StrEnum):
    PROXY_ADMIN = "proxy_admin"  # manages everything
    PROXY_ADMIN_VIEWER = "proxy_admin_viewer"  # reads everything, changes nothing
    INTERNAL_USER = "internal_user"  # calls models, manages their own keys
    INTERNAL_USER_VIEWER = "internal_user_viewer"  # calls models, reads their own things


class TeamRole(StrEnum):
    ADMIN = "admin"  # manages the team's keys, members and settings (not its budget)
    USER = "user"
