"""The organiser's view of background work: progress, then the result to download."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import path

from ..access import get_job_for_organiser


def job_detail(request, pk: int, job_pk: int):
    job = get_job_for_organiser(request.user, pk, job_pk)
    return render(request, "meetings/job_detail.html", {"job": job, "meeting": job.meeting})


def job_result(request, pk: int, job_pk: int):
    job = get_job_for_organiser(request.user, pk, job_pk)
    if not job.result:
        raise Http404
    try:
        file = job.result.open("rb")
    except FileNotFoundError:  # cleaned away on disk: the job can be run again
        raise Http404 from None
    return FileResponse(file, as_attachment=True, filename=job.result.name.split("/")[-1])


urlpatterns = [
    path("meetings/<int:pk>/jobs/<int:job_pk>/", job_detail, name="job"),
    path("meetings/<int:pk>/jobs/<int:job_pk>/result/", job_result, name="job_result"),
]
