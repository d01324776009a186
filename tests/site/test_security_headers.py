"""No script injection anywhere: a strict Content-Security-Policy on every page, and transport
security on by default outside DEBUG."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/public/", "/care/", "/policy/", "/accounts/login/"])
def test_every_page_sends_a_strict_content_security_policy(db, client, path):
    response = client.get(path, follow=True)
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


def test_no_template_carries_inline_script_or_style():
    for template in (ROOT / "src" / "tuoyu").rglob("*.html"):
        if template.name == "receipt.html":
            continue  # printed to PDF on the server, never served to a browser
        text = template.read_text()
        assert " style=" not in text and "<style" not in text, template
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", text), f"inline event handler in {template}"
        for script in text.split("<script")[1:]:
            head = script.split(">")[0]
            assert "src=" in head, f"inline script in {template}"


def test_map_tooltips_are_built_from_text_nodes():
    script = (ROOT / "src" / "tuoyu" / "site" / "static" / "tuoyu" / "map.js").read_text()
    assert "textContent" in script
    for line in script.splitlines():
        if "bindTooltip(" in line or "bindPopup(" in line:
            assert "bindTooltip(label(" in line or "bindPopup(label(" in line, line


def _settings(**env) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({k: getattr(settings, k) for k in ('SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS')}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TUOYU_") or k == "TUOYU_DATA"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "tuoyu.site.settings",
            "PYTHONPATH": str(ROOT / "src"),
            **env,
        },
    )
    return json.loads(out.stdout)


def test_production_defaults_are_secure_cookies_and_hsts():
    production = _settings()
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600


def test_only_debug_or_plain_http_on_this_machine_turn_them_off():
    assert _settings(TUOYU_PLAIN_HTTP="1") == {
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
    }
    assert _settings(TUOYU_DEBUG="1")["SESSION_COOKIE_SECURE"] is False


def test_pages_for_signed_in_people_are_not_cached_but_public_pages_may_be(world, client, login):
    assert "no-store" not in client.get(reverse("registry:public")).get("Cache-Control", "")
    assert "no-store" in login(world.user("regulator_a")).get(reverse("home"))["Cache-Control"]
