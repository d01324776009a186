"""Account management within a jurisdiction: open an account for a post, deactivate it. Audited.

Kept in the registry because an institution's accounts are tied to the institution (Membership);
who may manage which accounts is declared in accounts/actions.py.
"""

from __future__ import annotations

import secrets
from enum import StrEnum

from django.db import transaction

from tuoyu.errors import DomainError
from tuoyu.kernel.accounts.access import (
    AccessDenied,
    Action,
    authorize,
    post_needs,
    require_actor,
)
from tuoyu.kernel.accounts.actions import MANAGE_ACCOUNTS, may_create_post
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Role, User
from tuoyu.kernel.audit.models import Verb
from tuoyu.kernel.audit.trail import record, snapshot
from tuoyu.kernel.regions.models import Region
from tuoyu.kernel.registry.models import Institution, Membership


class AccountError(StrEnum):
    TAKEN = "taken"
    NEEDS = "needs"
    SELF = "self"


def temporary_password() -> str:
    """Twelve characters people can read out over the phone, with enough entropy for a first login."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


def account_create(
    *,
    actor: Actor,
    username: str,
    display_name: str,
    role: Role,
    region: Region,
    department: str = "",
    phone: str = "",
    institution: Institution | None = None,
    password: str | None = None,
    sign_in: bool = True,
) -> tuple[User, str]:
    """Open an account for a post in the manager's jurisdiction; returns it with its password: a
    temporary one to change at first sign-in, unless ``password`` gives the one the person chose.
    ``sign_in=False`` opens an account nobody can sign in to until its password is reset (the demo's
    synthetic families, who only fill its lotteries); it returns no password."""
    authorize(actor, MANAGE_ACCOUNTS)
    if actor.user is not None and not may_create_post(actor.user, role, region.path):
        raise AccessDenied
    if lacking := post_needs(role, department=department, institution=institution):
        raise DomainError(AccountError.NEEDS, lacking)
    chosen = password is not None
    password = password if chosen else temporary_password() if sign_in else ""
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise DomainError(AccountError.TAKEN, f"账号 {username} 已被使用（账号名不区分大小写）。")
        if institution is not None:
            require_actor(actor, institution, Action.VIEW)
            region = institution.subdistrict
        user = User(
            username=username,
            display_name=display_name,
            role=role,
            region=region,
            department=department,
            phone=phone,
            must_change_password=sign_in and not chosen,
        )
        user.set_password(password or None)
        user.full_clean(exclude=["password"])
        user.save()
        if institution is not None:
            Membership.objects.create(user=user, institution=institution)
        record(
            actor,
            Verb.CREATE,
            user,
            note=f"开通{user.role_label}账号" + (f"（{institution.name}）" if institution else ""),
        )
    return user, password


def account_set_active(*, actor: Actor, user: User, active: bool) -> User:
    authorize(actor, MANAGE_ACCOUNTS)
    if actor.user is not None and actor.user.pk == user.pk:
        raise DomainError(AccountError.SELF, "不能停用自己的账号。")
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=user.pk)
        require_actor(actor, current, Action.CHANGE)
        before = snapshot(current)
        current.is_active = active
        current.save(update_fields=["is_active"])
        record(actor, Verb.UPDATE, current, before=before, note="启用账号" if active else "停用账号")
    return current


def password_reset(*, actor: Actor, user: User) -> str:
    """A new temporary password for someone who has forgotten theirs; the old one stops working."""
    authorize(actor, MANAGE_ACCOUNTS)
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=user.pk)
        require_actor(actor, current, Action.CHANGE)
        password = temporary_password()
        current.set_password(password)
        current.must_change_password = True
        current.save(update_fields=["password", "must_change_password"])
        record(actor, Verb.TRANSITION, current, note="重置密码")  # the hash itself is never in the trail
    return password
