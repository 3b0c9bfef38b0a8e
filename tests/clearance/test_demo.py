"""The demo helpers carry a volume through the security review and a proof round, and a second run adds nothing."""

import pytest

from chapterhouse.clearance.demo import clear_as_amended
from chapterhouse.clearance.models import AmendedVersion, ClearanceRequest
from chapterhouse.clearance.package import verify_package

pytestmark = pytest.mark.django_db


def test_the_demo_clears_the_volume_as_amended_with_a_confirmed_amendment(call, people, volume):
    request = clear_as_amended(call, people["editor"], people["security"])
    assert request.status == "cleared_as_amended" and request.expected_on > request.submitted_on
    with request.package.open("rb") as handle:
        assert verify_package(handle.read()) == []
    amendment = request.amendments.get()
    amended = AmendedVersion.objects.get()
    assert amendment.status == "confirmed" and amended.flagged == 0 and amended.unmet == []
    assert amended.version.is_final and amended.chapter.final_version == amended.version
    assert clear_as_amended(call, people["editor"], people["security"]) == request
    assert ClearanceRequest.objects.count() == 1
