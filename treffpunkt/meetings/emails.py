"""E-mails as named template triplets, sent through Django's SMTP backend.

An e-mail called ``name`` is made of three templates in ``templates/emails/``:

- ``<name>-subject.txt``: one line (line breaks are removed);
- ``<name>-body.txt``: the plain-text body (start it with ``{% autoescape off %}``);
- ``<name>-body.html``: the HTML alternative (optional: left out when the file is missing).

Every part of the meeting path sends its mails through :func:`send_email` (or
:func:`make_email` plus one connection for many mails), so they look alike and are rendered
in one language.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Attachment:
    """A file sent along: its name, its content and its MIME type."""

    filename: str
    content: bytes | str
    mimetype: str


def _render(name: str, context: dict) -> tuple[str, str, str | None]:
    subject = render_to_string(f"emails/{name}-subject.txt", context)
    body = render_to_string(f"emails/{name}-body.txt", context)
    try:
        html = render_to_string(f"emails/{name}-body.html", context)
    except TemplateDoesNotExist:
        html = None
    # A header must be one line: a line break in a subject would end the header early.
    return " ".join(subject.split()), body, html


def make_email(
    name: str,
    *,
    to: str | Iterable[str],
    context: dict,
    attachments: Sequence[Attachment] = (),
    language: str | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    """Build the e-mail ``name`` for ``to`` from its templates, in ``language``.

    ``language`` defaults to the active one (a request's); background tasks pass the
    language of the organiser who started them. No side effects: nothing is sent.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        subject, body, html = _render(name, {**context, "site_url": settings.SITE_URL})
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=recipients,
        connection=connection,
        # RFC 3834: no out-of-office replies to a machine's mail.
        headers={"Auto-Submitted": "auto-generated"},
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_email(
    name: str,
    *,
    to: str | Iterable[str],
    context: dict,
    attachments: Sequence[Attachment] = (),
    language: str | None = None,
) -> None:
    """Render and send the e-mail ``name`` (see :func:`make_email`).

    Side effects: one SMTP delivery; SMTP errors are raised to the caller. Call it after
    the transaction has committed (``transaction.on_commit``), never inside it.
    """
    make_email(name, to=to, context=context, attachments=attachments, language=language).send()
