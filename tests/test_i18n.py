"""German first, English on request; the catalogue is complete."""

from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_pages_are_german_by_default(client, db):
    response = client.get("/")

    assert response["Content-Language"] == "de"
    assert "Anstehende Treffen" in response.content.decode()


def test_the_language_switch_gives_english_and_back(client, db):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/organisations/"})
    english = client.get("/organisations/")
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    german = client.get("/organisations/")

    assert switched.url == "/organisations/"
    assert english["Content-Language"] == "en"
    assert "Directory of organisations" in english.content.decode()
    assert "Verzeichnis der Organisationen" in german.content.decode()


def test_the_switch_refuses_a_language_we_do_not_offer(client, db):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})

    assert client.get("/")["Content-Language"] == "de"


def test_every_string_has_a_german_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)

    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert untranslated == []
