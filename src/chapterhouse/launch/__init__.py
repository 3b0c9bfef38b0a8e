"""The launch stage: the public catalogue page, chapter pages, metadata exports and the catalogue API.
The metadata exports themselves are plain Python (``metadata/``)."""
