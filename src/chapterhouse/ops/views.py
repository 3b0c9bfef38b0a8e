from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chapterhouse.ops.health import run_checks
from chapterhouse.web.privatecache import not_kept


@not_kept  # reads the worker's heartbeat and the disks, which no stamp follows
@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitors: 200 when the site works ("ok", or "warning" when something needs
    attention soon, such as low disk space), 503 naming what does not work."""
    checks = run_checks()
    serving = all(check.ok for check in checks if check.required)
    status = "unavailable" if not serving else "ok" if all(check.ok for check in checks) else "warning"
    body = {"status": status, "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks}}
    return JsonResponse(body, status=200 if serving else 503)
