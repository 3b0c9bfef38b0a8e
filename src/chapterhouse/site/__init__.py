"""Site assembly: what puts the pipeline's stages together into one running site — the ``chapterhouse`` command's
top level (``cli.py``), ``serve`` and ``setup`` (``commands.py``, ``server.py``, the ``setup_site`` management
command) and the demo story (``demo/``, one module per stage it runs through).

It sits above the stages: it imports them, and no stage (nor ``web/``, the shared base every stage uses) imports
it. ``tests/test_site_assembly.py`` keeps it so.
"""
