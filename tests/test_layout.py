"""The layout: no inline script or style (the CSP forbids them), login and logout work."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .conftest import PASSWORD
from .test_pages import client_for

TEMPLATES = sorted(Path(settings.BASE_DIR).rglob("templates/**/*.html"))
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_templates_carry_no_inline_script_or_style(template):
    text = template.read_text(encoding="utf-8")

    found = [what for pattern, what in INLINE if pattern.search(text)]

    assert found == []


def test_every_page_sends_a_strict_content_security_policy(client, db):
    policy = client.get("/")["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_the_page_is_made_for_phones_and_print(client, db):
    html = client.get("/").content.decode()
    css = (Path(settings.BASE_DIR) / "static/treffpunkt/site.css").read_text()

    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "@media print" in css


def test_login_with_the_right_password_and_logout(client, member):
    page = client.get(reverse("login"))
    logged_in = client.post(reverse("login"), {"username": "mitglied", "password": PASSWORD})
    logged_out = client.post(reverse("logout"))

    assert "Benutzername" in page.content.decode()
    assert logged_in.url == "/"
    assert logged_out.url == "/"
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_says_so_in_german(client, member):
    response = client.post(reverse("login"), {"username": "mitglied", "password": "falsch"})

    assert response.status_code == 200
    assert "Bitte Benutzername und Passwort eingeben." in response.content.decode()


def test_a_page_not_found_is_explained_in_german_in_the_site_layout(client, db):
    response = client.get("/r/falsch/")

    assert response.status_code == 404
    assert "<h1>Seite nicht gefunden</h1>" in response.content.decode()
    assert "Kopieren Sie ihn vollständig aus der E-Mail" in response.content.decode()


def test_a_forbidden_page_says_so_in_the_site_layout(client, member, upcoming_meeting):
    response = client_for(client, member).get(reverse("checkin", args=[upcoming_meeting.pk]))

    assert response.status_code == 403
    assert "<h1>Nicht erlaubt</h1>" in response.content.decode()


def test_the_server_error_page_renders_without_a_request_or_database(db):
    with translation.override("de"):
        html = render_to_string("500.html")

    assert "<h1>Etwas ist schiefgelaufen</h1>" in html
    assert "<style" not in html and "<script" not in html
