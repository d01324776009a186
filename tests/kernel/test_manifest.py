"""The site is composed from what each package declares: acts, URLs, menu entries, home panels."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.test import override_settings
from django.urls import reverse

from tuoyu.kernel.accounts.access import ACTS, Act, Reach, authorize, holders, permits
from tuoyu.kernel.accounts.actor import Actor
from tuoyu.kernel.accounts.models import Role
from tuoyu.kernel.manifest import Place, manifests, menu

# What each post's menu holds, as users know it: pinned so a manifest cannot drop or leak an entry.
MENUS = {
    "regulator_a": [
        "ledger",
        "queue",
        "alerts",
        "staff-dues",
        "rounds",
        "cameras",
        "planning",
        "audit",
        "inbox",
    ],
    "city_regulator": ["ledger", "queue", "alerts", "staff-dues", "cameras", "planning", "audit", "inbox"],
    "police_a": ["ledger", "queue", "staff-dues", "cameras", "inbox"],
    "inspector_a": ["ledger", "queue", "staff-dues", "cameras", "inbox"],
    "expert_a": ["ledger", "planning", "inbox"],
    "manager_a": [
        "ledger",
        "checks",
        "attendance",
        "growth",
        "filings",
        "alerts",
        "staff-dues",
        "cameras",
        "disclosure",
        "inbox",
    ],
    "caregiver_a": ["ledger", "checks", "attendance", "growth", "alerts", "inbox"],
    "guardian_a": ["applications", "link-child", "pickups", "inbox"],
}


@pytest.mark.parametrize("persona", sorted(MENUS))
def test_each_post_sees_the_menu_of_the_acts_it_may_take(world, persona):
    entries = menu(world.user(persona))
    assert [e["qa"] for e in entries[Place.MAIN]] == MENUS[persona]
    assert [e["qa"] for e in entries[Place.PUBLIC]] == ["find", "public", "public-filings"]


def test_anonymous_visitors_see_only_the_public_entries(db):
    from django.contrib.auth.models import AnonymousUser

    entries = menu(AnonymousUser())
    assert entries[Place.MAIN] == [] and entries[Place.ACCOUNT] == []
    assert [e["title"] for e in entries[Place.PUBLIC]] == ["找托育", "机构公示", "备案公示"]


def test_every_menu_entry_and_declared_url_resolves(db):
    for manifest in manifests():
        for entry in manifest.menu:
            assert reverse(entry.url)


def test_every_installed_package_with_work_declares_a_manifest():
    declared = {m.urls for m in manifests() if m.urls}
    for config in apps.get_app_configs():
        if config.name.startswith(("tuoyu.kernel.", "tuoyu.domains.")) and config.label != "regions":
            assert f"{config.name}.urls" in declared, config.name


def test_the_catalogue_names_every_act_once_with_a_chinese_title():
    manifests()
    assert len(ACTS) >= 10
    for name, act in ACTS.items():
        assert act.name == name and "." in name
        assert act.title and not act.title.isascii()
        assert act.roles
    with pytest.raises(ValueError, match="declared twice"):
        Act("filings.decide", "重复", frozenset({Role.ADMIN}))


def test_county_acts_need_a_county_post(world):
    from tuoyu.domains.enrollment.actions import RUN_ROUNDS

    assert RUN_ROUNDS.reach is Reach.COUNTY
    assert permits(world.user("regulator_a"), RUN_ROUNDS)
    assert not permits(world.user("city_regulator"), RUN_ROUNDS)
    assert not permits(world.user("manager_a"), RUN_ROUNDS)
    # The system itself (the command line, the worker) takes every act.
    authorize(Actor.system("test"), RUN_ROUNDS)


def test_an_act_on_a_row_needs_the_row_in_reach(world):
    from tuoyu.kernel.people.actions import REGISTER_STAFF

    assert permits(world.user("manager_a"), REGISTER_STAFF, world.inst_a)
    assert not permits(world.user("manager_a"), REGISTER_STAFF, world.inst_b)


def test_holders_are_the_active_posts_of_the_region_that_hold_the_act(world):
    from tuoyu.domains.filings.actions import DECIDE

    assert set(holders(DECIDE, world.county_a)) == {world.user("regulator_a"), world.user("colleague_a")}
    assert list(holders(DECIDE, world.county_a.parent)) == []


DEMO = {"password": "demo-pass-1234", "accounts": [["regulator", "区级监管（示例）"]]}


def test_demo_logins_show_only_when_the_demo_command_sets_them(client, world):
    world.county_a.synthetic = True
    world.county_a.save()
    page = client.get(reverse("accounts:login")).content.decode()
    assert "demo-accounts" not in page and "密码均为" not in page
    with override_settings(
        TUOYU_DEMO_LOGINS={"password": DEMO["password"], "accounts": [tuple(a) for a in DEMO["accounts"]]}
    ):
        page = client.get(reverse("accounts:login")).content.decode()
    assert 'data-qa="demo-accounts"' in page and DEMO["password"] in page and "区级监管（示例）" in page


def test_the_demo_logins_setting_reads_the_json_the_demo_command_writes():
    from tuoyu.site.settings import _demo_logins

    assert _demo_logins(None) is None
    assert _demo_logins(json.dumps(DEMO, ensure_ascii=False)) == {
        "password": "demo-pass-1234",
        "accounts": [("regulator", "区级监管（示例）")],
    }
