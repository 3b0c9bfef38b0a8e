from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chapterhouse.ops.health import run_checks


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitors: 200 when everything works, 503 naming what does not."""
    checks = run_checks()
    healthy = all(check.ok for check in checks)
    body = {"status": "ok" if healthy else "unavailable",
            "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks}}
    return JsonResponse(body, status=200 if healthy else 503)
