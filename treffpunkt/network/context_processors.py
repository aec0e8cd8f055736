from django.utils.functional import SimpleLazyObject

from .models import Network


def network(request) -> dict:
    """The network's name for page headers, read only when a template uses it."""
    return {
        "network": SimpleLazyObject(
            lambda: Network.objects.filter(pk=1).first() or Network(name="Treffpunkt")
        )
    }
