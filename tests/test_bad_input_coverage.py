"""Every public function of ``nec`` has bad-input rows (issue 14's "done when").

The bad-input tests are tables, one file per chapter (``tests/test_bad_input_*.py``): each row
calls a public function, or drives an explorer control, with a bad value and names the sentence
it must produce. This test reads those files and fails for any public callable of any ``nec``
module that takes arguments and is called in none of them, unless a bad-input file lists it in
its ``NOT_FOR_READERS`` with the reason it cannot receive bad input from a reader.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import nec

TESTS = Path(__file__).parent


def _public_callables():
    """(qualified name, callable) for every public function, class and method of nec."""
    for info in pkgutil.walk_packages(nec.__path__, "nec."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != info.name:
                continue
            if inspect.isfunction(value):
                yield f"{info.name}.{name}", value
            elif inspect.isclass(value):
                yield f"{info.name}.{name}", value
                for attr, member in vars(value).items():
                    if attr.startswith("_"):
                        continue
                    if isinstance(member, (classmethod, staticmethod)):
                        member = member.__func__
                    if inspect.isfunction(member):
                        yield f"{info.name}.{name}.{attr}", member


def _takes_arguments(qualname: str, value) -> bool:
    """Whether a reader can pass it anything (``self`` and ``cls`` do not count)."""
    try:
        parameters = inspect.signature(value).parameters
    except (TypeError, ValueError):
        return True
    return any(p not in ("self", "cls") for p in parameters)


def _bad_input_files():
    return [p for p in sorted(TESTS.glob("test_bad_input_*.py")) if p.name != Path(__file__).name]


def _not_for_readers() -> dict[str, str]:
    """The exemptions: each bad-input file may hold ``NOT_FOR_READERS = {qualname: reason}``
    for the callables of its chapter that take arguments but never a reader's input."""
    exempt = {}
    for path in _bad_input_files():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
            if isinstance(target, ast.Name) and target.id == "NOT_FOR_READERS":
                exempt.update(ast.literal_eval(node.value))
    return exempt


def _calls(path: Path) -> tuple[set[str], set[str]]:
    """What a bad-input file calls: (qualified names it resolves through its imports, method
    names called on objects). ``from nec import dosing`` then ``dosing.bsa(...)`` counts for
    ``nec.dosing.bsa``; ``luo2024().points(...)`` counts for any public method ``points``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("nec"):
                    aliases[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nec"):
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    qualified, methods = set(), set()

    def resolve(expr) -> str | None:
        if isinstance(expr, ast.Name):
            return aliases.get(expr.id)
        if isinstance(expr, ast.Attribute):
            base = resolve(expr.value)
            return f"{base}.{expr.attr}" if base else None
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = resolve(node.func)
            if name:
                qualified.add(name)
            elif isinstance(node.func, ast.Attribute):
                methods.add(node.func.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.startswith("nec."):
                qualified.add(node.value)  # a call driven by name, e.g. a parametrised table
    return qualified, methods


def _canonical(name: str) -> str:
    """``nec.widgets.GradingExplorer`` → where it is defined, ``nec.widgets.grading_view...``."""
    module, _, attr = name.rpartition(".")
    try:
        value = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError):
        return name
    defined = getattr(value, "__module__", None)
    return f"{defined}.{attr}" if defined else name


def test_every_public_callable_has_bad_input_rows():
    qualified, methods = set(), set()
    for path in _bad_input_files():
        q, m = _calls(path)
        qualified |= {_canonical(n) for n in q}
        methods |= m
    exempt = _not_for_readers()
    missing = []
    for qualname, value in _public_callables():
        if not _takes_arguments(qualname, value) or qualname in exempt:
            continue
        is_method = inspect.isclass(_owner(qualname))
        if qualname in qualified or (is_method and qualname.rsplit(".", 1)[1] in methods):
            continue
        missing.append(qualname)
    assert not missing, (
        "public callables with no bad-input row in tests/test_bad_input_*.py (add rows, or "
        "list them in that file's NOT_FOR_READERS with the reason):\n  " + "\n  ".join(missing)
    )


def _owner(qualname: str):
    """The class a method belongs to, or None for a module-level function or class."""
    module, _, rest = qualname.rpartition(".")
    owner_module, _, owner = module.rpartition(".")
    try:
        return getattr(importlib.import_module(owner_module), owner)
    except (ImportError, AttributeError, ValueError):
        return None


def test_the_exemptions_name_real_callables_with_a_reason():
    names = {qualname for qualname, _ in _public_callables()}
    for qualname, reason in _not_for_readers().items():
        assert qualname in names, f"{qualname} is not a public callable of nec"
        assert len(reason.split()) >= 5, f"{qualname}: say why it takes no reader's input"
