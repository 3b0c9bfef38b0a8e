"""The production stage: line editing, cover, galleys and proofs. Galley assembly is plain Python (``galleys/``)."""
