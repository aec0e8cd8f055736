"""Photos of a meeting: safe uploads, the people on them, and which photos the report may show.

A photo is personal data. Uploads are checked to be real images, limited in size, and
re-encoded before they are stored, which drops EXIF metadata (camera, time, GPS position).
Nothing here looks at faces: people are tagged by hand by the organisers.

A photo is *cleared* (may leave the organisers' view: the report, the press release, a
member) only when at least one person is tagged on it and every tagged person has a standing
consent to photos. An untagged photo is not cleared: the model has no way to say "nobody
recognisable is on it", and a photo nobody looked at must not reach the public by default.
"""

import io
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from treffpunkt.network.models import Consent, ConsentPurpose, Person

from .models import Meeting, Photo, Registration

#: The largest upload accepted, in bytes (a phone photo is 3–8 MB).
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
#: The most pixels an upload may have: more is a decompression bomb, not a photo.
MAX_PIXELS = 50_000_000
#: Stored photos are scaled down to this many pixels on the long side (print and screen).
STORED_LONG_SIDE = 2400
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}

NOT_AN_IMAGE = _("This file is not a photo. Upload a JPEG, PNG or WebP image.")


def prepare_image(upload) -> ContentFile:
    """Check an uploaded file and return it re-encoded as a JPEG without any metadata.

    Raises ValidationError with a message for the organiser when the file is too large, is
    not an image, or has too many pixels. No side effects.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large: a photo may have at most %(limit)s MB."),
            code="too_large",
            params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    image = _open_checked(upload)
    try:
        # Turn the picture upright before the orientation tag is dropped with the metadata.
        image = ImageOps.exif_transpose(image)
        image.thumbnail((STORED_LONG_SIDE, STORED_LONG_SIDE))
        output = io.BytesIO()
        # A fresh RGB image saved without exif= carries no EXIF, XMP or GPS data.
        _flatten(image).save(output, format="JPEG", quality=85, optimize=True)
    except (OSError, ValueError) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    return ContentFile(output.getvalue(), name=f"{secrets.token_hex(12)}.jpg")


def _open_checked(upload) -> Image.Image:
    """Open the upload with Pillow, verifying it is a whole image of an accepted format."""
    try:
        upload.seek(0)
        probe = Image.open(upload)
        if probe.format not in ACCEPTED_FORMATS:
            raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
        if probe.width * probe.height > MAX_PIXELS:
            raise ValidationError(
                _("The photo has too many pixels: at most %(limit)s megapixels."),
                code="too_many_pixels",
                params={"limit": MAX_PIXELS // 1_000_000},
            )
        probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """An RGB copy: transparency becomes white (JPEG has no alpha channel)."""
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


@transaction.atomic
def add_photo(*, meeting: Meeting, image: ContentFile, kind: str, caption: str) -> Photo:
    """Store a prepared image as a photo of ``meeting``.

    Side effects: writes the image file to the media storage and creates a Photo row.
    """
    photo = Photo(meeting=meeting, kind=kind, caption=caption)
    photo.image.save(image.name, image, save=False)
    photo.save()
    return photo


@transaction.atomic
def update_photo(*, photo: Photo, kind: str, caption: str, people: list[Person]) -> None:
    """Change what a photo shows: its kind, caption and the people tagged on it.

    Side effects: updates the Photo row and replaces its tags.
    """
    photo.kind, photo.caption = kind, caption
    photo.save(update_fields=["kind", "caption"])
    photo.people.set(people)


def delete_photo(*, photo: Photo) -> None:
    """Delete a photo and, once that is committed, its image file.

    Side effects: deletes the Photo row (and its tags); removes the file from the storage.
    """
    storage, name = photo.image.storage, photo.image.name
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: storage.delete(name))


def taggable_people(meeting: Meeting) -> QuerySet[Person]:
    """People who can be on a meeting's photos: those registered with a seat, or who came."""
    return (
        Person.objects.filter(
            registrations__meeting=meeting, registrations__status__in=Registration.SEATED
        )
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


def with_people(photos: QuerySet[Photo]) -> QuerySet[Photo]:
    """``photos`` with the tagged people and their consents: three queries in all."""
    people = Person.objects.select_related("organisation").prefetch_related(
        Prefetch("consents", queryset=Consent.objects.select_related("text"))
    )
    return photos.prefetch_related(Prefetch("people", queryset=people))


def photos_with_people(meeting: Meeting) -> QuerySet[Photo]:
    """A meeting's photos in upload order, with the tagged people and their consents."""
    return with_people(meeting.photos.all())


def is_cleared(photo: Photo) -> bool:
    """May the photo leave the organisers' view? Uses prefetched people and consents.

    Only when somebody is tagged on it and every tagged person has a standing consent to
    photos: consent is read on every call, so a withdrawal hides the photo at once.
    """
    people = list(photo.people.all())
    return bool(people) and all(p.has_consent(ConsentPurpose.PHOTOS) for p in people)


def without_photo_consent(photo: Photo) -> list[Person]:
    """The tagged people who keep the photo out of the report (prefetched data)."""
    return [p for p in photo.people.all() if not p.has_consent(ConsentPurpose.PHOTOS)]


def cleared_photos(meeting: Meeting) -> list[Photo]:
    """The photos of ``meeting`` the report may show, in upload order; three queries."""
    return [photo for photo in photos_with_people(meeting) if is_cleared(photo)]
