"""Shared fixtures: the default call loaded into the test database, people in every role, proposals."""

import datetime
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("CHAPTERHOUSE_DATA", tempfile.mkdtemp(prefix="chapterhouse-test-"))

import pytest  # noqa: E402

from tests.project_only import OutsideReads, allowed_roots  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CALL = PROJECT / "calls" / "dscu-fms-2024.toml"
CALL_SOURCE = PROJECT / "calls" / "dscu-fms-2024.source.md"  # the published call the call file transcribes
CORPUS = PROJECT / "tests" / "fixtures" / "corpus"  # real Word files from other tools, with their licences


OUTSIDE = OutsideReads(allowed_roots())


def pytest_report_header(config):
    """Says which database this run tests on (.ci/run runs the suite on SQLite and again on PostgreSQL)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"


def pytest_configure(config):
    # Installed once for the process (audit hooks cannot be removed); collection is watched too.
    sys.addaudithook(OUTSIDE.audit)


@pytest.fixture(autouse=True)
def _stays_in_project(request):
    """Fails a test that opened, listed or ran anything outside the project (see tests/project_only.py).
    What collection or a session-wide fixture touched is charged to the first test that follows."""
    before = [f"{found} (before this test: collection or a module or session fixture)" for found in OUTSIDE.take(None)]
    OUTSIDE.current = request.node.nodeid
    yield
    OUTSIDE.current = None
    found = OUTSIDE.take(request.node.nodeid)
    if before or found:
        pytest.fail("read outside the project tree (a clone of the project alone would not have it):\n  "
                    + "\n  ".join(dict.fromkeys(before + found)), pytrace=False)


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; argon2 is tested apart
    # Galley page images at a third of the real resolution: pdftoppm at 144 dpi was most of each of the ~35 builds
    # a pass makes. The full size is tested apart (tests/proofs/test_proofs.py, full_size_page_images).
    settings.CHAPTERHOUSE_PAGE_IMAGE_DPI = 48


@pytest.fixture
def full_size_page_images(settings):
    """Galley page images at the site's real resolution (request it before the fixture that builds)."""
    settings.CHAPTERHOUSE_PAGE_IMAGE_DPI = 144


@pytest.fixture
def call(db):
    """The default call, moved so its proposal window is open today."""
    from django.utils import timezone

    from chapterhouse.call.loading import install_call_file

    return install_call_file(DEFAULT_CALL, open_on=timezone.localdate() - datetime.timedelta(days=7))


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    from chapterhouse.accounts.roles import ensure_group

    def make(username, *roles, email=None, password="correct-horse-battery"):
        user = get_user_model().objects.create_user(username, email or f"{username}@example.org", password,
                                                    first_name=username.title())
        for role in roles:
            user.groups.add(ensure_group(role))  # the groups of its roles only (every role's: a query each)
        return user

    return make


@pytest.fixture
def people(make_user):
    """Everyone the authorization tests ask about."""
    return {
        "editor": make_user("editor", "editor"),
        "reviewer": make_user("reviewer", "reviewer"),
        "security": make_user("security", "security_reviewer"),
        "production": make_user("production", "production"),
        "author_a": make_user("author_a", "author"),
        "author_b": make_user("author_b", "author"),
    }


SAMPLE_ABSTRACT = (
    "This chapter examines how the security cooperation case process shapes the release of technology to allies "
    "and partner nations. It traces the Tiered Review and Congressional Notification processes through three "
    "recent cases, asks what the Continuous Process Improvement Board has changed in practice, and compares the "
    "reform with earlier acquisition and contracting reform efforts. Drawing on interviews with case managers at "
    "implementing agencies, it shows where deliberate decision-making protects outcomes and where it only adds "
    "delay, and it proposes metrics for the award process that partners could also use to counter corruption in "
    "their own defense acquisition systems. The chapter ends with lessons for planning multi-year cases."
)


@pytest.fixture
def make_proposal(call):
    """Stores a proposal through the real intake service (screening included) for the given contact user."""
    from chapterhouse.proposals.intake import Submission, submit_proposal

    def make(contact, title="Streamlining technology release in security cooperation cases", theme="process",
             abstract=SAMPLE_ABSTRACT, **extra):
        author = {"name": contact.get_full_name() or contact.username, "email": contact.email,
                  "affiliation": "Example University", "bio": "Writes on security cooperation."}
        return submit_proposal(call, Submission(title=title, theme=theme, abstract=abstract,
                                                keywords="technology release, process", authors=[author], **extra),
                               "http://testserver")

    return make


# What lets a test reach the suite's database (pytest-django refuses every query to a test without one of these).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                     "live_server"}


def pytest_itemcollected(item):
    """Every test that can reach the suite's database is marked ``database``: the others run alike whichever
    database DATABASE_URL names, so CI runs them once (.ci/run)."""
    if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        item.add_marker(pytest.mark.database)


def pytest_collection_modifyitems(config, items):
    """The longest tests first (stable, so every xdist worker collects the same order): started last, one of them
    would be the suite's tail with the other worker idle."""
    items.sort(key=lambda item: item.get_closest_marker("longest") is None)
