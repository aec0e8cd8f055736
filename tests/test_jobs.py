"""Background jobs: progress the organiser can watch, run by the real database worker."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from treffpunkt.meetings.jobs import start_job
from treffpunkt.meetings.models import Job
from treffpunkt.meetings.tasks import count_registrations

from .test_pages import client_for


# The worker closes its database connection after each task, as in production: that needs
# real transactions, not the test's rolled-back one.
@pytest.mark.django_db(transaction=True)
def test_a_job_runs_through_the_database_worker(
    settings, upcoming_meeting, organiser, hidden_participant, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(
            meeting=upcoming_meeting, kind="count", user=organiser, task=count_registrations
        )
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.message) == (Job.Status.DONE, 1, 1, "1")
    assert job.result.read() == b"1\n"


def test_the_job_page_shows_progress_and_refreshes_until_done(client, organiser, upcoming_meeting):
    job = Job.objects.create(meeting=upcoming_meeting, kind="Einladungen", total=200, done=50)
    job.status = Job.Status.RUNNING
    job.save(update_fields=["status"])

    html = client_for(client, organiser).get(reverse("job", args=[upcoming_meeting.pk, job.pk]))
    html = html.content.decode()

    assert "50 von 200 erledigt" in html
    assert '<progress max="100" value="25">' in html
    assert '<meta http-equiv="refresh" content="2">' in html


@pytest.mark.parametrize("role", ["member", "moderator", "guest"])
def test_only_organisers_see_jobs(client, request, role, upcoming_meeting):
    job = Job.objects.create(meeting=upcoming_meeting, kind="x")

    response = client_for(client, request.getfixturevalue(role)).get(
        reverse("job", args=[upcoming_meeting.pk, job.pk])
    )

    assert response.status_code == 403


def test_a_job_of_another_meeting_is_not_found(client, organiser, upcoming_meeting, draft_meeting):
    job = Job.objects.create(meeting=draft_meeting, kind="x")

    response = client_for(client, organiser).get(reverse("job", args=[upcoming_meeting.pk, job.pk]))

    assert response.status_code == 404
