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
