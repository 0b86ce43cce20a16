"""The committed reference docs are what the code generates; the README only links inside the repository."""

from __future__ import annotations

import re

from conftest import ROOT


def test_reference_docs_are_up_to_date():
    from qudao.docgen import generate

    stale = [str(path.relative_to(ROOT)) for path, text in generate().items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"out of date (run `make docs`): {stale}"


def test_readme_and_docs_link_only_inside_the_repository():
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        for target in (re.findall(r"\]\(([^)#]+)[^)]*\)", text) + re.findall(r"`(\.\./[^`\s]*)`", text)
                       + re.findall(r"`(docs/[^`\s]+\.md)`", text)):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            resolved = (path.parent / target) if not target.startswith("docs/") else ROOT / target
            assert resolved.resolve().is_relative_to(ROOT), f"{path.name} links outside the repository: {target}"
            assert resolved.exists(), f"{path.name} links to a missing file: {target}"


def test_every_command_and_option_has_help():
    from typer.main import get_command

    from qudao.cli import app

    group = get_command(app)
    missing = []
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        commands = [(name, command)]
        if hasattr(command, "list_commands"):
            commands += [(f"{name} {sub}", command.get_command(None, sub)) for sub in command.list_commands(None)]
        for label, cmd in commands:
            if not (cmd.help or "").strip():
                missing.append(label)
            for param in cmd.params:
                if getattr(param, "help", None) is not None and not param.help.strip():
                    missing.append(f"{label} {param.name}")
                if param.param_type_name == "option" and not getattr(param, "help", None) and param.name != "help":
                    missing.append(f"{label} --{param.name}")
    assert not missing, missing
