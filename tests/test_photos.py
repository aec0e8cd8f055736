"""Photos: safe uploads without metadata, tags, and who may see which photo."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from treffpunkt.meetings import photos
from treffpunkt.meetings.models import Photo
from treffpunkt.meetings.report import meeting_report
from treffpunkt.network.models import ConsentPurpose
from treffpunkt.network.services import withdraw_consent

from .test_pages import client_for
from .test_report import build_held, jpeg, make_photo

NOT_A_PHOTO = "Diese Datei ist kein Foto. Laden Sie ein JPEG-, PNG- oder WebP-Bild hoch."
OTHERS = ["member", "moderator", "guest", "outsider"]


@pytest.fixture
def held(db, consent_texts, glassworks, town, moderator):
    """The hand-built held meeting of ``test_report``."""
    return build_held(glassworks, town, moderator)


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Spionagekamera"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (50.0, 36.0, 12.0)  # latitude
    return jpeg(size=(80, 60), exif=exif.tobytes())


def upload(client, meeting, content, name="bild.jpg", **data):
    return client.post(
        reverse("photos", args=[meeting.pk]),
        {"image": SimpleUploadedFile(name, content), "kind": "group", "caption": "", **data},
    )


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_an_upload_is_stored_without_exif_or_gps(client, organiser, held):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825) != {}

    response = upload(client_for(client, organiser), held.meeting, original, caption="Alle")

    photo = Photo.objects.get()
    stored = photo.image.read()
    image = Image.open(io.BytesIO(stored))
    assert response.url == reverse("photo", args=[photo.pk])
    assert (photo.meeting, photo.kind, photo.caption) == (held.meeting, "group", "Alle")
    assert (image.format, image.size) == ("JPEG", (80, 60))
    assert dict(image.getexif()) == {}
    assert b"Exif" not in stored
    assert b"Spionagekamera" not in stored
    assert "bild" not in photo.image.name


def test_a_large_photo_is_scaled_down_and_turned_upright(client, organiser, held):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show upright
    content = jpeg(size=(3000, 1000), exif=exif.tobytes())

    upload(client_for(client, organiser), held.meeting, content)

    image = Image.open(Photo.objects.get().image)
    assert image.size == (800, 2400)


def test_a_png_with_transparency_becomes_a_jpeg(client, organiser, held):
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, format="PNG")

    upload(client_for(client, organiser), held.meeting, buffer.getvalue(), name="logo.png")

    image = Image.open(Photo.objects.get().image)
    assert (image.format, image.mode, image.getpixel((5, 5))) == ("JPEG", "RGB", (255, 255, 255))


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.4 not a photo at all", "bild.jpg"),
        (b"<svg onload='alert(1)'></svg>", "bild.svg"),
        (jpeg()[:200], "kaputt.jpg"),
        (b"GIF89a" + b"\x00" * 50, "bild.gif"),
    ],
    ids=["pdf", "svg", "truncated", "gif"],
)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_stored(
    client, organiser, held, content, name
):
    response = upload(client_for(client, organiser), held.meeting, content, name=name)

    assert response.status_code == 200
    assert response.context["form"].errors == {"image": [NOT_A_PHOTO]}
    assert NOT_A_PHOTO in response.content.decode()
    assert (Photo.objects.count(), stored_files()) == (0, [])


def test_a_real_gif_is_refused_too(client, organiser, held):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")

    response = upload(client_for(client, organiser), held.meeting, buffer.getvalue(), "a.gif")

    assert response.context["form"].errors == {"image": [NOT_A_PHOTO]}
    assert Photo.objects.count() == 0


def test_a_huge_file_is_refused_with_the_limit_in_the_message(client, organiser, held):
    content = jpeg() + b"\x00" * photos.MAX_UPLOAD_BYTES

    response = upload(client_for(client, organiser), held.meeting, content)

    assert response.context["form"].errors == {
        "image": ["Die Datei ist zu groß: Ein Foto darf höchstens 15 MB haben."]
    }
    assert (Photo.objects.count(), stored_files()) == (0, [])


def test_a_photo_with_too_many_pixels_is_refused(client, organiser, held, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 1000)

    response = upload(client_for(client, organiser), held.meeting, jpeg(size=(50, 50)))

    assert response.context["form"].errors == {
        "image": ["Das Foto hat zu viele Bildpunkte: höchstens 0 Megapixel."]
    }
    assert Photo.objects.count() == 0


def test_organisers_tag_the_people_registered_for_the_meeting(client, organiser, held):
    photo = make_photo(held.meeting)

    response = client_for(client, organiser).post(
        reverse("photo", args=[photo.pk]),
        {"kind": "exchange", "caption": "Am Stand", "people": [held.anna.pk, held.max.pk]},
    )

    photo.refresh_from_db()
    assert response.url == reverse("photos", args=[held.meeting.pk])
    assert (photo.kind, photo.caption) == ("exchange", "Am Stand")
    assert set(photo.people.all()) == {held.anna, held.max}


def test_a_no_show_or_a_stranger_cannot_be_tagged_and_nothing_changes(
    client, organiser, held, member
):
    photo = make_photo(held.meeting, [held.anna], caption="Vorher")
    stranger = member.person

    for person in (held.emil, stranger):
        response = client_for(client, organiser).post(
            reverse("photo", args=[photo.pk]),
            {"kind": "other", "caption": "Nachher", "people": [person.pk]},
        )
        assert response.context["form"].errors == {
            "people": [
                "Markiert werden können nur Personen, die zu diesem Treffen angemeldet sind."
            ]
        }
    photo.refresh_from_db()
    assert (photo.caption, list(photo.people.all())) == ("Vorher", [held.anna])


def test_the_photo_list_says_why_a_photo_is_not_in_the_report(client, organiser, held):
    make_photo(held.meeting, [held.anna, held.ben], caption="Frei")
    make_photo(held.meeting, [held.anna, held.cem], caption="Cem fehlt")
    make_photo(held.meeting, [], caption="Leer")

    html = client_for(client, organiser).get(reverse("photos", args=[held.meeting.pk]))
    html = html.content.decode()

    assert "3 Fotos" in html
    assert html.count("Im Bericht: Alle darauf haben eingewilligt.") == 1
    assert "Nicht im Bericht: keine Einwilligung in Fotos von Cem Celik." in html
    assert "Nicht im Bericht: Niemand ist darauf markiert." in html


@pytest.mark.parametrize("items", [1, 3])
def test_the_photo_list_query_count_does_not_grow(
    client, organiser, held, django_assert_num_queries, items
):
    for i in range(items):
        make_photo(held.meeting, [held.anna, held.cem], caption=f"Foto {i}")
    client_for(client, organiser)

    # Session, user, meeting, photos, people, consents, the network's name.
    with django_assert_num_queries(7):
        client.get(reverse("photos", args=[held.meeting.pk]))


@pytest.mark.parametrize("role", OTHERS)
def test_only_organisers_upload_tag_and_delete(client, request, role, held):
    photo = make_photo(held.meeting, [held.anna], caption="Bleibt")
    client_for(client, request.getfixturevalue(role))

    responses = [
        client.get(reverse("photos", args=[held.meeting.pk])),
        upload(client, held.meeting, jpeg()),
        client.get(reverse("photo", args=[photo.pk])),
        client.post(reverse("photo", args=[photo.pk]), {"kind": "other", "caption": "Weg"}),
        client.post(reverse("photo_delete", args=[photo.pk])),
    ]

    assert [r.status_code for r in responses] == [403] * 5
    photo.refresh_from_db()
    assert (Photo.objects.count(), photo.caption, list(photo.people.all())) == (
        1,
        "Bleibt",
        [held.anna],
    )


def test_anonymous_is_sent_to_the_login_for_photos(client, held):
    response = client.get(reverse("photos", args=[held.meeting.pk]))

    assert response.url.startswith(reverse("login"))


def test_deleting_a_photo_removes_its_file(
    client, organiser, held, django_capture_on_commit_callbacks
):
    photo = make_photo(held.meeting, [held.anna])
    path = Path(photo.image.path)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(client, organiser).post(reverse("photo_delete", args=[photo.pk]))

    assert response.url == reverse("photos", args=[held.meeting.pk])
    assert (Photo.objects.count(), path.exists()) == (0, False)


def get_image(client, photo):
    return client.get(reverse("photo_image", args=[photo.pk]))


def test_organisers_see_every_photo_uncached(client, organiser, held):
    untagged = make_photo(held.meeting, [])

    response = get_image(client_for(client, organiser), untagged)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == untagged.image.open("rb").read()


def test_a_member_sees_only_photos_everybody_on_it_consented_to(client, member, held):
    cleared = make_photo(held.meeting, [held.anna, held.ben])
    with_cem = make_photo(held.meeting, [held.anna, held.cem])
    untagged = make_photo(held.meeting, [])
    client_for(client, member)

    codes = [get_image(client, p).status_code for p in (cleared, with_cem, untagged)]

    assert codes == [200, 404, 404]


@pytest.mark.parametrize("role", ["anonymous", "outsider", "guest"])
def test_guests_outsiders_and_the_public_see_no_photo(client, request, role, held):
    cleared = make_photo(held.meeting, [held.anna, held.ben])
    if role != "anonymous":
        client_for(client, request.getfixturevalue(role))

    assert get_image(client, cleared).status_code == 404


def test_a_photo_of_a_draft_meeting_is_not_found_for_members(client, member, held):
    held.meeting.status = "draft"
    held.meeting.save(update_fields=["status"])
    cleared = make_photo(held.meeting, [held.anna])

    assert get_image(client_for(client, member), cleared).status_code == 404


def test_withdrawing_photo_consent_hides_the_photo_at_once(client, member, organiser, held):
    cleared = make_photo(held.meeting, [held.anna, held.ben], caption="Gruppenbild am Ofen")
    client_for(client, member)
    assert get_image(client, cleared).status_code == 200
    assert meeting_report(held.meeting).photos == [cleared]

    withdraw_consent(person=held.ben, purpose=ConsentPurpose.PHOTOS)

    assert get_image(client, cleared).status_code == 404
    assert meeting_report(held.meeting).photos == []
    report = client_for(client, organiser).get(reverse("meeting_report", args=[held.meeting.pk]))
    assert reverse("photo_image", args=[cleared.pk]) not in report.content.decode()
    assert "Gruppenbild am Ofen" not in report.content.decode()


def test_an_upload_through_the_admin_is_cleaned_the_same_way(client, organiser, held):
    response = client_for(client, organiser).post(
        reverse("admin:meetings_photo_add"),
        {
            "meeting": held.meeting.pk,
            "image": SimpleUploadedFile("IMG_zuhause.jpg", jpeg_with_gps()),
            "kind": "group",
            "caption": "",
        },
    )

    photo = Photo.objects.get()
    stored = photo.image.read()
    assert response.status_code == 302
    assert dict(Image.open(io.BytesIO(stored)).getexif()) == {}
    assert b"Spionagekamera" not in stored
    assert "zuhause" not in photo.image.name


def test_a_file_that_is_no_photo_is_refused_by_the_admin_too(client, organiser, held):
    response = client_for(client, organiser).post(
        reverse("admin:meetings_photo_add"),
        {
            "meeting": held.meeting.pk,
            "image": SimpleUploadedFile("bild.jpg", b"<svg></svg>"),
            "kind": "group",
            "caption": "",
        },
    )

    assert response.status_code == 200
    assert Photo.objects.count() == 0


def test_a_photo_whose_file_is_gone_from_the_disk_is_not_found(client, organiser, held):
    photo = make_photo(held.meeting, [held.anna])
    Path(photo.image.path).unlink()

    response = client_for(client, organiser).get(reverse("photo_image", args=[photo.pk]))

    assert response.status_code == 404
