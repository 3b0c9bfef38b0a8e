"""The clearance stage's final chapters (author A's and author B's) and a real galley build, for the to-do lists."""

from tests.clearance.conftest import chapter_file, final_chapter, store_version, volume  # noqa: F401  (fixtures)
from tests.lineedit.conftest import copyedited  # noqa: F401  (fixture)
from tests.proofs.conftest import built, proof_round  # noqa: F401  (fixtures)
