"""The authorisation matrices' shared check: who may call a view, as a status code or a redirect to log in."""

from django.urls import reverse

WHO = ["anonymous", "author_a", "author_b", "reviewer", "security", "production", "editor"]
LOGIN = "login"


def call_as(client, people, who, method, url, data=None):
    if who != "anonymous":
        client.force_login(people[who])
    return getattr(client, method)(url, data or {})


def assert_outcome(response, expected, what: str) -> None:
    """``expected`` is a status code, or LOGIN for a redirect to the log-in page; ``what`` names the request."""
    if expected == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("login")), what
    else:
        assert response.status_code == expected, what
