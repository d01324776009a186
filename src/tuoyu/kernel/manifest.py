"""How a package declares itself to the platform (its manifest), and how the platform finds them.

Every installed app may have a ``manifest`` module holding ``MANIFEST``: the URLs it serves,
the menu entries it adds and the panels it puts on the home page, each shown to the posts that may
take the act it names. The site builds its URL table, its menu and its home page from these alone,
so adding a domain touches nothing outside the domain's folder but ``INSTALLED_APPS``.

Acts themselves are declared in each package's ``actions`` module (``access.Act``).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver, include, path
from django.utils.safestring import SafeString

from tuoyu.kernel.accounts.access import Act, Audience, audience, can_list, permits

if TYPE_CHECKING:
    import datetime as dt

    from tuoyu.kernel.accounts.models import User


class Place(StrEnum):
    """Where a menu entry sits in the page header."""

    MAIN = "main"  # the signed-in post's work, after 首页
    PUBLIC = "public"  # what everyone may open, signed in or not
    ACCOUNT = "account"  # beside the user's name


@dataclass(frozen=True)
class MenuEntry:
    title: str
    url: str  # a URL name, "registry:ledger"
    qa: str  # the page's test hook: data-qa="nav-<qa>"
    order: int  # entries sort by this across all packages
    place: Place = Place.MAIN
    act: Act | None = None  # shown only to posts that may take it
    lists: str | None = None  # and only to posts that can see rows of this model ("filings.Filing")
    badge: Callable[[User], int] | None = None  # a count shown beside the title when not 0


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page for one audience."""

    name: str
    template: str
    audience: Audience
    order: int
    # The panel's template context, or None when the panel has nothing to show this user.
    context: Callable[[HttpRequest], dict[str, Any] | None]
    act: Act | None = None


@dataclass(frozen=True)
class Manifest:
    urls: str | None = None  # the module of URL patterns the package serves
    url_prefix: str = ""
    menu: tuple[MenuEntry, ...] = ()
    panels: tuple[HomePanel, ...] = ()
    # What the package knows of an institution's policy facts on a date, laid over the ledger's
    # (a camera registry knows the video facts better than a self-declaration): a part of the
    # facts format of docs/facts.md, objects merged key by key; {} leaves the ledger's.
    facts: Callable[[Any, dt.date], dict[str, Any]] | None = None


@cache
def manifests() -> tuple[Manifest, ...]:
    """Every installed app's manifest, in ``INSTALLED_APPS`` order; every act in the catalogue."""
    found = []
    for config in apps.get_app_configs():
        # Importing a package's actions module puts its acts in the catalogue (access.ACTS).
        if importlib.util.find_spec(f"{config.name}.actions") is not None:
            importlib.import_module(f"{config.name}.actions")
        name = f"{config.name}.manifest"
        if importlib.util.find_spec(name) is None:
            continue
        manifest = getattr(importlib.import_module(name), "MANIFEST", None)
        if not isinstance(manifest, Manifest):
            raise TypeError(f"{name} must define MANIFEST = Manifest(...)")
        found.append(manifest)
    return tuple(found)


def fact_sources() -> list[Callable[[Any, dt.date], dict[str, Any]]]:
    return [d.facts for d in manifests() if d.facts is not None]


def url_patterns() -> list[URLPattern | URLResolver]:
    return [path(d.url_prefix, include(d.urls)) for d in manifests() if d.urls]


def _shown(user: User, entry: MenuEntry) -> bool:
    if entry.act is not None and not permits(user, entry.act):
        return False
    if entry.lists is not None and not can_list(user, apps.get_model(entry.lists)):
        return False
    return entry.place is Place.PUBLIC or user.is_authenticated


def menu(user: User) -> dict[str, list[dict[str, Any]]]:
    """The menu this user's post opens, by place: entries with their badge counts."""
    entries = sorted((e for d in manifests() for e in d.menu), key=lambda e: e.order)
    placed: dict[str, list[dict[str, Any]]] = {place.value: [] for place in Place}
    for entry in entries:
        if _shown(user, entry):
            count = entry.badge(user) if entry.badge and user.is_authenticated else 0
            placed[entry.place.value].append(
                {"title": entry.title, "url": entry.url, "qa": entry.qa, "badge": count}
            )
    return placed


def home_panels(request: HttpRequest) -> list[SafeString]:
    """The home page of this user's audience, panel by panel, as each package renders it."""
    who = audience(request.user)
    panels = sorted((p for d in manifests() for p in d.panels if p.audience == who), key=lambda p: p.order)
    rendered = []
    for panel in panels:
        if panel.act is not None and not permits(request.user, panel.act):
            continue
        context = panel.context(request)
        if context is not None:
            rendered.append(render_to_string(panel.template, context, request))
    return rendered
