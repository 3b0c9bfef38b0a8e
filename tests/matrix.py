"""The authorisation matrices' shared check: who may call a view, as a status code or a redirect to log in."""

from django.urls import reverse

WHO = ["anonymous", "author_a", "author_b", "reviewer", "security", "production", "editor"]
LOGIN = "login"


def call_as(client, people, who, method, url, data=None):
    if who != "anonymous":
        client.force_login(people[who])
    return getattr(client, method)(url, data or {})


def assert_outcome(response, expected, who, method, url):
    if expected == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("login")), response
    else:
        assert response.status_code == expected, f"{who} {method.upper()} {url}"
