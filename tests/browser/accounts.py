"""Logging in and out as a person does, for every browser flow: one copy, so a change to the login page is
mended in one place."""

PASSWORD = "correct-horse-battery"  # the password the fixtures give people made without one


def log_in(page, username, password=PASSWORD):
    """Logs in through the form, logging out first when someone else is."""
    if page.locator("button:has-text('Log out')").count():
        log_out(page)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button:has-text('Log in')")


def log_out(page):
    page.click("button:has-text('Log out')")
