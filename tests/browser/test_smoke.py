"""The site in a real browser: German first, English by the switch, the organiser's admin."""

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_in_german_then_english(page, live_server, upcoming_meeting):
    page.goto(live_server.url + "/")

    assert page.locator("h1").inner_text() == "Anstehende Treffen"
    assert page.get_by_role("link", name="3. Netzwerktreffen").is_visible()

    page.get_by_role("button", name="EN").click()

    expect(page.locator("h1")).to_have_text("Upcoming meetings")


def test_the_organiser_logs_in_and_reaches_the_admin(page, live_server, organiser):
    page.goto(live_server.url + "/login/")
    page.get_by_label("Benutzername").fill("orga")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name="Verwaltung").click()

    expect(page.locator("#site-name")).to_have_text("Treffpunkt-Verwaltung")
    expect(page.get_by_role("link", name="Organisationen")).to_be_visible()
