"""Reads of the messaging app shared by staff pages."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from messaging.models import SmsMessage, SmsStatus
from organization.models import Role
from organization.scoping import sees_everything, user_unit


def may_see_messages(user) -> bool:
    """IT support (and superusers) help people whose SMS did not arrive (DESIGN §1)."""
    if sees_everything(user):
        return True
    profile = getattr(user, "staff_profile", None)
    return user_unit(user) is not None and profile.role == Role.IT_SUPPORT


def troubled_messages(*, status: str = "") -> QuerySet:
    """Messages that did not leave: failed, or waiting for a retry after a failed try."""
    waiting = Q(status__in=[SmsStatus.QUEUED, SmsStatus.SENDING], attempts__gt=0)
    messages = SmsMessage.objects.filter(Q(status=SmsStatus.FAILED) | waiting)
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at", "-pk")
