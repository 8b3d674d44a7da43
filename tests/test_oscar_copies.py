"""Templates copied from Oscar are listed with the sha256 of the original they were copied from.

When an upgrade of Oscar changes an original, the test of its copy fails and
names it, so that the change is merged into the copy (templates/oscar_copies.toml).
"""

import hashlib
import re
import tomllib
from pathlib import Path

import oscar
import pytest

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "templates" / "oscar_copies.toml"
OSCAR_TEMPLATES = Path(oscar.__file__).resolve().parent / "templates"
COPIES = tomllib.loads(REGISTRY.read_text())["copy"]


def _blocks(text: str) -> set[str]:
    return set(re.findall(r"{%\s*block\s+(\w+)\s*%}", text))


@pytest.mark.parametrize("copy", COPIES, ids=[c["template"] for c in COPIES])
def test_the_oscar_original_of_a_copy_is_the_one_it_was_copied_from(copy):
    original = OSCAR_TEMPLATES / copy["original"]
    assert original.is_file(), f"templates/{copy['template']}: Oscar no longer has {original}"

    digest = hashlib.sha256(original.read_bytes()).hexdigest()

    assert digest == copy["sha256"], (
        f"templates/{copy['template']} is a copy of Oscar's {copy['original']}, which changed "
        f"in the installed Oscar: merge the change into the copy, then record sha256 {digest} "
        f"for it in templates/oscar_copies.toml"
    )


@pytest.mark.parametrize("copy", COPIES, ids=[c["template"] for c in COPIES])
def test_a_copy_overrides_only_blocks_the_original_has(copy):
    text = (ROOT / "templates" / copy["template"]).read_text()
    if copy.get("whole_file"):
        assert f'extends "{copy["original"]}"' not in text, "a whole-file copy replaces it"
        return
    original = (OSCAR_TEMPLATES / copy["original"]).read_text()

    assert set(copy["blocks"]) <= _blocks(text), "the copied blocks are in the copy"
    assert set(copy["blocks"]) <= _blocks(original), "the copied blocks are in the original"


def test_every_template_that_takes_the_place_of_an_oscar_template_is_listed():
    """A new override of an Oscar template cannot escape the registry (and so an upgrade)."""
    templates = ROOT / "templates"
    shadowing = {
        path.relative_to(templates).as_posix()
        for path in templates.rglob("*")
        if path.is_file() and (OSCAR_TEMPLATES / path.relative_to(templates)).is_file()
    }
    listed = {copy["template"] for copy in COPIES}

    assert shadowing - listed == set(), "list these in templates/oscar_copies.toml"
