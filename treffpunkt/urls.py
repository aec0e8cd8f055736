from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from treffpunkt.network import views as network

urlpatterns = [
    path("", include("treffpunkt.meetings.urls")),
    path("organisations/", network.organisation_list, name="organisations"),
    path("organisations/<int:pk>/", network.organisation_detail, name="organisation"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
