"""Site assembly (the command's top level, serve, setup, the demo) sits above the stages in ``chapterhouse/site/``:
it imports them, and nothing below imports it. ``web/`` is the shared base every stage uses, so it imports no
stage, and no stage keeps demo seeding of its own (the demo is one story, told in ``site/demo/``)."""

import ast
from pathlib import Path

import chapterhouse

PACKAGE = Path(chapterhouse.__file__).parent
SITE = PACKAGE / "site"
# The pipeline's stages (README's layout table); the shared packages (accounts, workflow, outbox, screening, ooxml,
# ops, web) may be imported by anyone below the site.
STAGES = ["call", "proposals", "chapters", "progress", "review", "selection", "manuscripts", "production",
          "clearance", "launch"]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, package: list[str] | None = None) -> list[str]:
    """Every module ``path`` imports, at the top or inside a function, relative imports made absolute (against
    ``package``, by default the package ``path`` is in)."""
    names = []
    if package is None:
        package = module_name(path).split(".")
        if path.name != "__init__.py":
            package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.append(module)
            names += [f"{module}.{alias.name}" for alias in node.names]
    return names


def modules_outside(folder: Path) -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if folder not in path.parents]


def test_no_module_below_the_site_imports_it():
    offenders = [f"{path.relative_to(PACKAGE)} imports {name}"
                 for path in modules_outside(SITE) for name in imported_names(path)
                 if name == "chapterhouse.site" or name.startswith("chapterhouse.site.")]
    assert offenders == []


def test_the_shared_web_base_imports_no_stage():
    web = PACKAGE / "web"
    offenders = [f"{path.relative_to(PACKAGE)} imports {name}"
                 for path in sorted(web.rglob("*.py")) for name in imported_names(path)
                 if name.split(".")[:2] in [["chapterhouse", stage] for stage in STAGES]]
    assert offenders == []


def test_the_demo_lives_only_in_the_site_package():
    stray = [str(path.relative_to(PACKAGE)) for path in modules_outside(SITE)
             if path.stem == "demo" or "demo" in path.relative_to(PACKAGE).parts[:-1]]
    assert stray == []


def test_the_check_finds_a_forbidden_import(tmp_path):
    """The parser above is not blind: a stage module importing the site, relatively or not, is seen."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from chapterhouse.site.demo import story\n\nfrom ..site import cli\n")
    names = imported_names(sample, ["chapterhouse", "launch"])
    assert "chapterhouse.site.demo" in names and "chapterhouse.site.cli" in names


def test_the_console_entry_point_is_the_site_command():
    import tomllib

    scripts = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["chapterhouse"] == "chapterhouse.site.cli:main"
    from chapterhouse.site.cli import main

    assert callable(main)
