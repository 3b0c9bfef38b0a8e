"""The publication record of a volume: what the book carries besides its texts, edited in the web app."""
