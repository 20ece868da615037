"""Which automation a dashboard page is about; the owner decorator has checked the role."""

from django.shortcuts import get_object_or_404

from ..models import Automation


def get_automation_for_owner(pk: int, *, deleted_too: bool = False) -> Automation:
    """The automation, 404 when unknown; a deleted one only where its history is read."""
    automations = Automation.objects.all()
    if not deleted_too:
        automations = automations.filter(deleted_at__isnull=True)
    return get_object_or_404(automations, pk=pk)
