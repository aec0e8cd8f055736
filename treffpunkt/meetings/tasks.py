"""Background tasks: thin wrappers that take ids, fetch, and call the real work."""

from django_tasks import task

from .jobs import Progress, run_reporting
from .models import Job


@task()
def count_registrations(*, job_id: int) -> None:
    """The smallest real task (used to check the worker set-up): counts the registrations."""

    def work(progress: Progress) -> None:
        meeting = Job.objects.select_related("meeting").get(pk=job_id).meeting
        progress.start(total=1)
        count = meeting.registrations.count()
        progress.step()
        progress.finish(message=str(count), filename="count.txt", content=f"{count}\n".encode())

    run_reporting(job_id, work)


@task()
def make_printout(*, job_id: int, key: str, language: str) -> None:
    """A printout (station plan, schedules, badges) as a PDF, in the organiser's language."""
    from django.utils import translation

    from . import printing

    def work(progress: Progress) -> None:
        meeting = Job.objects.select_related("meeting__host").get(pk=job_id).meeting
        with translation.override(language):
            printing.make_printout(meeting=meeting, key=key, progress=progress)

    run_reporting(job_id, work)


@task()
def make_report_pdf(*, job_id: int, language: str) -> None:
    """The meeting report as a PDF (figures, stations with notes, cleared photos)."""
    from django.utils import translation
    from django.utils.text import slugify

    from .report import meeting_report
    from .report_pdf import render_report_pdf, report_steps

    def work(progress: Progress) -> None:
        meeting = Job.objects.select_related("meeting__host").get(pk=job_id).meeting
        with translation.override(language):
            report = meeting_report(meeting)
            progress.start(total=report_steps(report))
            content = render_report_pdf(report, step=progress.step)
            progress.finish(
                message=translation.gettext("The report is ready."),
                filename=f"{slugify(translation.gettext('Meeting report'))}-{meeting.pk}.pdf",
                content=content,
            )

    run_reporting(job_id, work)


@task()
def send_invitations(*, job_id: int, invitation_ids: list[int], language: str) -> None:
    """The invitation e-mails of a meeting, one SMTP connection, progress per mail."""
    from . import invitations

    def work(progress: Progress) -> None:
        invitations.send_invitations(
            invitation_ids=invitation_ids, progress=progress, language=language
        )

    run_reporting(job_id, work)
