"""The meetings app's pages: each views module lists its own URL patterns."""

from .views import (
    after,
    checkin,
    jobs,
    personal,
    printing,
    public,
    registration,
    rotation,
    stations,
)

urlpatterns = [
    *public.urlpatterns,
    *jobs.urlpatterns,
    *rotation.urlpatterns,
    *after.urlpatterns,
    *printing.urlpatterns,
    *checkin.urlpatterns,
    *registration.urlpatterns,
    *personal.urlpatterns,
    *stations.urlpatterns,
]
