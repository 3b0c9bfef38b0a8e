"""Who may do what on the production pages: editors and production staff run builds and upload the cover;
only editors order the chapters and write front matter. Others get 403, anonymous visitors the log-in page."""

from chapterhouse.accounts.roles import EDITOR, PRODUCTION

PRODUCTION_ROLES = (EDITOR, PRODUCTION)
EDITOR_ONLY = (EDITOR,)
