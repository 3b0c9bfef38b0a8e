from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "chapterhouse.review"
    label = "review"
    verbose_name = "Review of proposals"

    def ready(self):
        from chapterhouse.accounts.landing import land
        from chapterhouse.accounts.roles import REVIEWER

        land(REVIEWER, "reviewer_home")  # reviewers land on their assignments after log-in
