from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "treffpunkt.network"
    verbose_name = _("Network")

    def ready(self) -> None:
        # Fill the personal-data register and the permission rules once models exist.
        from treffpunkt import permissions  # noqa: F401

        from . import privacy  # noqa: F401
