from chapterhouse.accounts.roles import AUTHOR, EDITOR, REVIEWER, roles_of


def site(request):
    roles = roles_of(request.user)
    return {
        "user_roles": roles,
        "is_editor": EDITOR in roles,
        "is_author": AUTHOR in roles,
        "is_reviewer": REVIEWER in roles,
    }
