"""Author proofs: each author reads their chapter's pages from a galley build and approves or files corrections."""
