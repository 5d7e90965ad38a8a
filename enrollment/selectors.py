"""What the enrollment area shows elsewhere: the home page, the staff console's queues."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser

from enrollment.models import EnrollmentRequest, EnrollmentRequestStatus


def enrollment_request_pending(*, user: AbstractBaseUser) -> bool:
    """Whether ``user`` asked for portal access and the practice has not decided yet."""
    return EnrollmentRequest.objects.filter(
        user=user, status=EnrollmentRequestStatus.PENDING
    ).exists()
