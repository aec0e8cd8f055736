"""The meetings app's pages: each views module lists its own URL patterns."""

from .views import jobs, public, rotation

urlpatterns = [
    *public.urlpatterns,
    *jobs.urlpatterns,
    *rotation.urlpatterns,
]
