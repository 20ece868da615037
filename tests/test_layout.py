"""The test tree's rules: no test module imports another test module or a conftest, and every
folder of tests is a package.

Fixtures reach tests through conftest.py; helpers live in modules that are not tests
(tests/support/, tests/factories.py). A test module imported by another runs its tests' fixtures
under two names and breaks when either moves.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports_of_test_modules(root: Path) -> list[str]:
    """``file → module`` for each import of a test module or a conftest under ``root``/tests."""
    return sorted(
        f"{path.relative_to(root)} → {module}"
        for path in (root / "tests").rglob("*.py")
        for module in _imported_modules(path, root)
        if _is_test_or_conftest(module) and (root / Path(*module.split("."))).with_suffix(".py").exists()
    )


def _imported_modules(path: Path, root: Path) -> set[str]:
    """Every module ``path`` imports, by its dotted name, relative imports resolved."""
    package = path.relative_to(root).parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _is_test_or_conftest(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def test_no_module_of_the_tests_imports_a_test_module_or_a_conftest():
    assert imports_of_test_modules(ROOT) == []


def test_the_check_sees_absolute_and_relative_imports_of_test_modules(tmp_path):
    shop = tmp_path / "tests" / "shop"
    shop.mkdir(parents=True)
    (shop / "test_basket.py").write_text("def test_it(): ...\n")
    (shop / "conftest.py").write_text("")
    (shop / "test_till.py").write_text(
        "from .test_basket import test_it\nfrom tests.shop import conftest\nimport tests.shop.test_basket\n"
    )
    (shop / "helpers.py").write_text("from ..shop.conftest import x\nfrom tests.shop import helpers\n")

    assert imports_of_test_modules(tmp_path) == [
        "tests/shop/helpers.py → tests.shop.conftest",
        "tests/shop/test_till.py → tests.shop.conftest",
        "tests/shop/test_till.py → tests.shop.test_basket",
    ]


def test_every_folder_of_tests_is_a_package():
    """Without __init__.py, two test modules of one name in two folders would clash."""
    folders = {path.parent for path in (ROOT / "tests").rglob("test_*.py")}
    missing = [str(folder.relative_to(ROOT)) for folder in folders if not (folder / "__init__.py").exists()]
    assert sorted(missing) == []
