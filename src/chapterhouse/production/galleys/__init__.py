"""Galley assembly: a volume manifest and the authors' Word chapters in, a typeset PDF, an EPUB 3 and a DOCX out.

Plain Python (no Django). ``build.build_galleys`` runs the stages; ``chapterhouse galley`` is its command line.
"""
