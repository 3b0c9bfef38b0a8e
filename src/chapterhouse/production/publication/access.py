"""Who may read and edit the publication record: the volume's editors and production staff; everyone else is
refused (403), anonymous visitors go to the log-in page, an unknown volume is a 404."""

from chapterhouse.accounts.roles import EDITOR, PRODUCTION

PUBLICATION_ROLES = (EDITOR, PRODUCTION)
