"""What the code and the pages say to people, read from the source (`make messages` adds it
to the catalogs; tests/test_labels.py fails on any of it without English): the labels the
templates pass through `_()`, and the messages the code says — problem titles and details,
flash messages and page errors, rule outcomes, workflow refusals and the sentences services
return for a page to show — each as a template, `{}` where a value goes in."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATE_LABEL = re.compile(r"""_\((?:"([^"]*)"|'([^']*)')\)""")
PACKAGES = ("api", "activities", "workflows", "mutasi", "planning", "contracts")
# Call name -> the positional arguments that are messages.
MESSAGE_ARGS = {
    "ProblemError": slice(1, 3),
    "redirect": slice(1, 2),
    "RuleCheck": slice(2, 3),
    "ApplicationError": slice(0, 1),
    "refused": slice(0, 1),
    "SigningRefused": slice(0, 1),
    "SigningUnavailable": slice(0, 1),
    "TemplateRefused": slice(0, 1),
    "ValueError": slice(0, 1),
    "Verification": slice(2, 3),
}
MESSAGE_KEYWORDS = ("error", "detail", "flash", "message")


def templates(node: ast.expr) -> list[str]:
    """Every text `node` can evaluate to, as templates; [] when it is not text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [
            "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)  # type: ignore[misc]
        ]
    if isinstance(node, ast.IfExp):
        return templates(node.body) + templates(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = templates(node.left), templates(node.right)
        # A suffix added under a condition is its own sentence: each side stands alone too.
        return [a + b for a in left for b in right] if left and right else left + right
    return []


def _is_sentence(text: str) -> bool:
    return text.rstrip().endswith(".") and " " in text


def messages() -> Iterator[tuple[str, str]]:
    """(template, where) for every message in the packages, and pydantic's errors as
    the forms and the API say them."""
    for kind, text in _validation_messages().items():
        yield re.sub(r"\{\w+\}", "{}", text), f"api/validation_text.py:{kind}"
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            where = str(path.relative_to(ROOT))
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                found: list[ast.expr] = []
                if isinstance(node, ast.Call):
                    func = node.func
                    name = getattr(func, "id", getattr(func, "attr", ""))
                    if name in MESSAGE_ARGS:
                        found += node.args[MESSAGE_ARGS[name]]
                        found += [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
                    elif name in ("render", "redirect") or name.endswith("_page"):
                        found += [
                            k.value for k in node.keywords if k.arg in ("error", "title", "detail")
                        ]
                        # A not-found page says "<what> tidak ditemukan.".
                        found += [
                            ast.Constant(f"{t} tidak ditemukan.")
                            for k in node.keywords
                            if k.arg == "what"
                            for t in templates(k.value)
                        ]
                elif isinstance(node, ast.Return) and node.value is not None:
                    if where.startswith(("api/services", "api/pages", "mutasi/decree")):
                        found += [
                            n for n in [node.value] if any(_is_sentence(t) for t in templates(n))
                        ]
                elif (
                    isinstance(node, ast.Assign)
                    and where.startswith("api/pages")
                    and any(getattr(t, "id", "") == "message" for t in node.targets)
                ):
                    found.append(node.value)
                for expr in found:
                    for text in templates(expr):
                        if text.strip() and text.strip("{}: ;"):
                            yield text, f"{where}:{getattr(node, 'lineno', 0)}"


def _validation_messages() -> dict[str, str]:
    """api/validation_text.MESSAGES, read from its source (the API sits above this package)."""
    tree = ast.parse((ROOT / "api" / "validation_text.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(getattr(t, "id", "") == "MESSAGES" for t in targets):
                value: Any = ast.literal_eval(node.value) if node.value is not None else {}
                return dict(value)
    raise LookupError("api/validation_text.py has no MESSAGES")


def template_labels() -> Iterator[tuple[str, str]]:
    """(label, where) for every text a page template passes through `_()`."""
    for path in sorted((ROOT / "api" / "templates").rglob("*.html")):
        where = str(path.relative_to(ROOT))
        for found in TEMPLATE_LABEL.finditer(path.read_text()):
            yield found[1] if found[1] is not None else found[2], where
