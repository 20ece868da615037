"""bookings_app's layout shows its architecture: a newcomer finds any behaviour in one guess.

Views sit in packages by audience (like the templates), forms in ``forms/`` and never inside a
view, reads in ``selectors/``, writes in ``services/``, the registries other apps plug into in
``plug_ins/``. docs/architecture.md ("Where things live") says where a new feature goes.
"""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "bookings_app"

TOP_LEVEL = {
    "__init__.py", "admin.py", "apps.py", "tasks.py", "urls.py",
    "core", "demo", "display", "forms", "mail", "management", "migrations", "models",
    "payments", "plug_ins", "selectors", "services", "templatetags", "views", "web",
}  # fmt: skip
AUDIENCES = ("public", "dashboard", "staff", "api")


def test_the_top_level_holds_only_the_agreed_packages_and_modules():
    found = {path.name for path in APP.iterdir() if path.suffix == ".py" or (path / "__init__.py").exists()}
    assert found == TOP_LEVEL


def test_views_are_packages_by_audience_like_the_templates():
    for audience in AUDIENCES:
        assert (APP / "views" / audience / "__init__.py").exists(), audience
    assert sorted(path.name for path in (APP / "views").glob("*.py")) == ["__init__.py"]


def test_forms_live_in_the_forms_package_only():
    assert list(APP.rglob("forms_*.py")) == []
    in_views = [
        f"{path.relative_to(APP)}: {node.name}"
        for path in (APP / "views").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any(ast.unparse(base).endswith(("Form", "FormSet")) for base in node.bases)
    ]
    assert in_views == []


def _is_form(node: ast.ClassDef) -> bool:
    return any(ast.unparse(base).endswith(("Form", "FormSet")) for base in node.bases)
