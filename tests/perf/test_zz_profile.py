import cProfile, pstats, io, time
import pytest
from django.urls import reverse
from tests.perf import bulk
pytestmark = pytest.mark.django_db

def prof(client, url, n=5):
    client.get(url)
    pr = cProfile.Profile()
    t = time.perf_counter()
    pr.enable()
    for _ in range(n):
        r = client.get(url)
    pr.disable()
    print(f"\nPROFILE {url} {(time.perf_counter()-t)/n*1000:.1f} ms/req {len(r.content)} bytes")
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(45)
    print(s.getvalue()[:9000])

def test_profile(client, call):
    editor, contact = bulk.editor(), bulk.author()
    made = bulk.proposals(call, 300, contact)
    panel = bulk.reviewers(20)
    bulk.assignments([(p, panel[(i*3+k) % 20]) for i, p in enumerate(made) for k in range(3)], editor, reviewed=400)
    client.force_login(editor)
    prof(client, reverse("desk_list", args=[call.slug]))
    client.logout()
    prof(client, reverse("propose", args=[call.slug]))
    client.force_login(panel[0])
    prof(client, reverse("reviewer_home"))
