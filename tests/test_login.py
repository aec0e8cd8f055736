"""Logging in: password guessing is stopped, a real user elsewhere is not locked out."""

import pytest
from django.urls import reverse

from .conftest import PASSWORD

LOCKED = "Zu viele fehlgeschlagene Anmeldungen"


def log_in(client, username, password, address="192.0.2.1", url="login"):
    return client.post(
        reverse(url), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.parametrize("url", ["login", "admin:login"])
def test_ten_wrong_passwords_lock_the_account_from_that_address(client, organiser, url):
    for _ in range(9):
        assert log_in(client, "orga", "falsch", url=url).status_code == 200
    assert log_in(client, "orga", "falsch", url=url).status_code == 429  # the tenth

    response = log_in(client, "orga", PASSWORD, url=url)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_same_account_still_logs_in_from_another_address(client, organiser):
    for _ in range(10):
        log_in(client, "orga", "falsch")

    response = log_in(client, "orga", PASSWORD, address="198.51.100.7")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(organiser.pk)


def test_a_success_resets_the_count(client, organiser):
    for _ in range(9):
        log_in(client, "orga", "falsch")
    assert log_in(client, "orga", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    for _ in range(9):
        log_in(client, "orga", "falsch")

    assert log_in(client, "orga", PASSWORD).status_code == 302
