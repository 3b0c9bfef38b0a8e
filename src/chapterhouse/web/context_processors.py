from chapterhouse.accounts.roles import AUTHOR, EDITOR, REVIEWER, roles_of


def site(request):
    # A request refused before authentication ran (a bad Host header, a body too large) has no user yet.
    roles = roles_of(getattr(request, "user", None)) if request is not None else set()
    return {
        "user_roles": roles,
        "is_editor": EDITOR in roles,
        "is_author": AUTHOR in roles,
        "is_reviewer": REVIEWER in roles,
    }
