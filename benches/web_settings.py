"""chapterhouse's own settings for benches/web.py, plus two things the bench needs and nothing else changes:
a trivial view (the stack floor: the same middleware, settings and server, no work) and a header telling the
bench how many SQL queries each response took. Importable by the code before and after a change alike."""

from chapterhouse.settings import *  # noqa: F403
from chapterhouse.settings import MIDDLEWARE

ROOT_URLCONF = "web_urls"
MIDDLEWARE = ["web_settings.count_queries", *MIDDLEWARE]


def count_queries(get_response):
    from django.db import connection

    def middleware(request):
        count = [0]

        def counted(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = get_response(request)
        response["X-Bench-Queries"] = str(count[0])
        return response

    return middleware
