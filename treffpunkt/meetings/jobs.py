"""Long work in the background, with progress the organiser can watch.

A view calls ``start_job(...)``: it creates a Job row and, once the surrounding transaction has
committed, enqueues the task (django-tasks, stored in the database, run by ``treffpunkt
db_worker``). The task reports through ``Progress``; the job page shows how far it has come.
"""

import logging
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job, Meeting

logger = logging.getLogger(__name__)


def start_job(*, meeting: Meeting, kind: str, user, task, **task_kwargs) -> Job:
    """Create the Job and enqueue ``task(job_id=..., **task_kwargs)`` after commit.

    Side effects: one Job row; one queued task once the transaction commits (a rolled-back
    request leaves no task behind).
    """
    job = Job.objects.create(meeting=meeting, kind=kind, created_by=user)
    transaction.on_commit(lambda: task.enqueue(job_id=job.pk, **task_kwargs))
    return job


class Progress:
    """What a running task tells its Job: started, one more done, finished, failed.

    Each report is a single UPDATE outside any transaction, so the organiser sees it while
    the task runs.
    """

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.done = 0

    def _update(self, **fields) -> None:
        Job.objects.filter(pk=self.job_id).update(**fields)

    def start(self, total: int) -> None:
        self._update(status=Job.Status.RUNNING, total=total, done=0)

    def step(self, count: int = 1) -> None:
        self.done += count
        self._update(done=self.done)

    def finish(self, *, message: str = "", filename: str = "", content: bytes = b"") -> None:
        job = Job.objects.get(pk=self.job_id)
        if filename:
            job.result.save(filename, ContentFile(content), save=False)
        job.status = Job.Status.DONE
        job.message = message
        job.finished_at = timezone.now()
        job.save(update_fields=["result", "status", "message", "finished_at"])

    def fail(self, message: str) -> None:
        self._update(status=Job.Status.FAILED, message=message, finished_at=timezone.now())


def run_reporting(job_id: int, work: Callable[[Progress], None]) -> None:
    """Run ``work`` for a job; an unexpected error marks the job failed instead of vanishing."""
    progress = Progress(job_id)
    try:
        work(progress)
    except Exception:
        logger.exception("Job %s failed", job_id)
        progress.fail(_("Something went wrong, the work stopped. The server log has the details."))
        raise
