"""Metadata exports for a published volume, plain Python (no Django): ONIX 3.0, a Crossref deposit, CSL-JSON,
RIS and BibTeX, all written from one ``VolumeRecord``."""
