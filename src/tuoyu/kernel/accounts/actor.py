"""Who is acting and from where: handed to every service so the audit trail can record it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tuoyu.kernel.accounts.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None
    ip: str | None = None
    # Who acted when there is no user: "命令行", "示例数据生成" …
    label: str = ""

    @property
    def name(self) -> str:
        if self.user is not None and self.user.is_authenticated:
            return f"{self.user}（{self.user.username}）"
        return self.label or "匿名访问"

    @classmethod
    def system(cls, label: str) -> Actor:
        return cls(user=None, ip=None, label=label)

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, ip=client_ip(request))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind a reverse proxy set TUOYU_TRUSTED_PROXY_HOPS to read X-Forwarded-For."""
    from django.conf import settings

    hops = settings.TUOYU_TRUSTED_PROXY_HOPS
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None
