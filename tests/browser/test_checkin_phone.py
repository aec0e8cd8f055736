"""The check-in at the door on a phone 360 px wide: no sideways scrolling, big targets."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from treffpunkt.meetings.models import Registration

from ..conftest import PASSWORD, make_person
from .conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET_SIZES = (
    "els => els.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])"
)


def test_the_check_in_works_on_a_phone_360_px_wide(
    page, live_server, organiser, upcoming_meeting, town
):
    person = make_person("Maximiliane", "Schmidt-Großkreutzenberger", town)
    registration = Registration.objects.create(meeting=upcoming_meeting, person=person)
    code_url = reverse("checkin_code", args=[upcoming_meeting.pk, registration.checkin_code])
    walk_in_url = reverse("checkin_walk_in", args=[upcoming_meeting.pk])
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/login/?next=/meetings/{upcoming_meeting.pk}/checkin/")
    page.get_by_label("Benutzername").fill("orga")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_label("Name oder Organisation").fill("Großkreutz")
    page.get_by_role("button", name="Suchen").click()

    width = page.evaluate("document.documentElement.scrollWidth")
    targets = page.locator("main button, main input:not([type=hidden]), main a.button")
    sizes = targets.evaluate_all(TARGET_SIZES)
    shoot(page, "checkin-360px")
    check_in = page.get_by_role("button", name="Einchecken Maximiliane Schmidt-Großkreutzenberger")
    check_in.first.click()

    assert width <= 360
    assert [size for size in sizes if min(size) < 44] == []
    expect(page.locator(".messages")).to_contain_text(
        "Maximiliane Schmidt-Großkreutzenberger ist eingecheckt"
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED
    for name, url in [("person", code_url), ("walk-in", walk_in_url)]:
        page.goto(live_server.url + url)
        shoot(page, f"checkin-360px-{name}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
