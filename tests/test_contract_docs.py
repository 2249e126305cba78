"""The product contract lives in docs/contract/ (issue 11): every section number cited in the
code, the tests and the docs is a heading there, and what the pages say about the code is true
of the code (names under "Where in the code", settings, fields, codes, command-line options)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from refund_xl import cli
from refund_xl._core import engine, rules
from refund_xl._core.fields import FIELD_BY_KEY
from refund_xl._core.settings import LEGACY, SETTINGS

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "docs" / "contract"
PAGES = sorted(CONTRACT.glob("*.md"))

# The sections of contract v3, in order (the same numbers as v2).
V3_SECTIONS = ("1", "2", "2.1", "2.2", "3", "4", "4.1", "4.2", "4.3", "5", "6", "7", "8", "9")

SECTION = r"§(\d+(?:\.\d+)?)"
_HEADING = re.compile(r"^#{1,6}\s+" + SECTION + r"(?=\s|$)")
# A citation with a named part: §2 "Column precedence", §2, column "some aliases".
_NAMED = re.compile(SECTION + r'(?:,?\s+column)?\s+"([^"\n]+)"')


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _headings() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for page in PAGES:
        for line in _text(page).splitlines():
            m = _HEADING.match(line)
            if m:
                assert m.group(1) not in found, f"§{m.group(1)} is a heading on two pages: {found[m.group(1)].name}, {page.name}"
                found[m.group(1)] = page
    return found


HEADINGS = _headings()


def _citing_files() -> list[Path]:
    files = [*sorted((ROOT / "refund_xl").rglob("*.py")), *sorted((ROOT / "tests").rglob("*.py")),
             *sorted((ROOT / "tests").rglob("*.md")), *sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
    return [f for f in files if f.is_file()]


def _where(path: Path, text: str, pos: int) -> str:
    return f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, pos) + 1}"


def test_the_pages_carry_every_section_of_contract_v3_as_a_heading():
    assert set(HEADINGS) == set(V3_SECTIONS), sorted(HEADINGS)
    for page in PAGES:
        assert "contract v3" in _text(page) or page.name == "README.md", f"{page.name} does not say which version"
        assert "contract v2" not in _text(page), f"{page.name} still says v2"
    assert "(v3)" in _text(CONTRACT / "README.md").splitlines()[0]


def test_the_index_says_where_each_section_is():
    index = _text(CONTRACT / "README.md")
    rows = dict(re.findall(r"^\| " + SECTION + r" \| ([^|]+?) \|", index, flags=re.M))
    assert set(rows) == set(V3_SECTIONS), sorted(rows)
    for number, page in HEADINGS.items():
        cell = rows[number]
        expected = "this page" if page.name == "README.md" else f"[{page.name}]({page.name})"
        assert cell == expected, f"the index puts §{number} at {cell!r}; its heading is on {page.name}"


def test_the_docs_index_links_the_contract():
    assert "(contract/README.md)" in _text(ROOT / "docs" / "README.md")


def test_every_cited_section_is_a_heading_in_docs_contract():
    unknown = []
    cited = 0
    for path in _citing_files():
        text = _text(path)
        for m in re.finditer(SECTION, text):
            cited += CONTRACT not in path.parents
            if m.group(1) not in HEADINGS:
                unknown.append(f"{_where(path, text, m.start())}: §{m.group(1)}")
    assert cited >= 60  # code, tests and docs outside the contract cite it: a scan finding none proves nothing
    assert not unknown, "cited but no such heading in docs/contract/*.md:\n" + "\n".join(unknown)


def test_a_named_part_cited_is_on_the_page_of_its_section():
    missing = []
    for path in _citing_files():
        text = _text(path)
        for m in _NAMED.finditer(text):
            number, name = m.groups()
            page = HEADINGS.get(number)
            if page is not None and name.lower() not in _text(page).lower():
                missing.append(f'{_where(path, text, m.start())}: §{number} "{name}" is not on {page.name}')
    assert not missing, "\n".join(missing)


def test_the_chosen_citation_form_is_documented():
    index = _text(CONTRACT / "README.md")
    assert "**`contract §N`**" in index and 'Do not cite a "SPEC" document' in index


def test_no_code_comment_cites_spec():
    stale = []
    for path in sorted((ROOT / "refund_xl").rglob("*.py")):
        text = _text(path)
        for m in re.finditer(r"SPEC(?: v\d+)? ?§", text):
            stale.append(_where(path, text, m.start()))
    assert not stale, "cite the contract as `contract §N` (docs/contract/README.md): " + ", ".join(stale)


# ------------------------------------------------------------ what the pages say about the code

def _resolve(dotted: str) -> object:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def test_every_name_under_where_in_the_code_exists():
    names, paths = set(), set()
    for page in PAGES:
        text = _text(page)
        names.update(re.findall(r"`(refund_xl(?:\.\w+)+)`", text))
        paths.update(re.findall(r"`((?:refund_xl|tests|benchmarks)/[\w./]+)`", text))
    assert len(names) >= 40 and paths
    gone = []
    for name in sorted(names):
        try:
            _resolve(name)
        except (ImportError, AttributeError):
            gone.append(name)
    gone += [p for p in sorted(paths) if not (ROOT / p).exists()]
    assert not gone, f"docs/contract names code that is not there (moved or renamed? fix the page): {gone}"


def test_every_link_between_the_pages_resolves():
    broken = []
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", _text(page)):
            if not (page.parent / target).exists():
                broken.append(f"{page.name} → {target}")
    assert not broken, broken


def _table_rows(page: str) -> list[list[str]]:
    rows = []
    for line in _text(CONTRACT / page).splitlines():
        if line.startswith("| `"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def test_the_settings_page_lists_every_setting_the_code_reads_with_its_label():
    table = {row[0].strip("`"): row for row in _table_rows("settings.md")}
    code = {s.key: s for s in SETTINGS + LEGACY}
    assert set(table) == set(code) | {"now"}
    for key, s in code.items():
        assert table[key][1] == s.label, key
        if s.default is not None:  # the legacy timer has no default of its own in the code
            assert table[key][2] == str(s.default), key


def test_the_fields_page_matches_the_field_table():
    table = _table_rows("fields.md")
    assert len(table) == 25
    for key, header, aliases, *_rest in table:
        f = FIELD_BY_KEY[key.strip("`")]
        assert f.header == header, key
        missing = [a for a in aliases.split(", ") if a not in f.aliases]
        assert not missing, (key, missing)


def test_the_rules_page_names_every_code_of_section_4():
    text = _text(CONTRACT / "rules.md")
    action_rows = [line for line in text.splitlines() if re.match(r"^\| (0[abc]|\d+) \|", line)]
    numbers = [line.split("|")[1].strip() for line in action_rows]
    assert numbers == ["0a", "0b", "0c", *map(str, range(1, 34))]
    # the code column, and row 1's "→ `CODE`" alternatives
    in_table = {c for line in action_rows for cell in (line.split("|")[3], line.split("|")[2])
                for c in re.findall(r"(?:^\s*|→ )`([A-Z_]+)`", cell)}
    assert in_table == set(rules.ACTIONS)
    for family in (rules.STALLS, rules.DEADLINES, rules.TIERS, rules.RISKS):
        for code in family:
            assert f"`{code}`" in text, code


def test_the_evaluate_columns_on_the_commands_page_are_the_engines():
    text = _text(CONTRACT / "commands.md")
    listed = re.search(r"Writes the input columns plus\s+(.*?)\.\n", text, flags=re.S).group(1)
    assert tuple(re.findall(r"`(\w+)`", listed)) == engine.OUTPUT_COLUMNS


def _synopses() -> list[tuple[str, list[str]]]:
    out = []
    for span in re.findall(r"`(refund-xl [^`]+)`", _text(CONTRACT / "commands.md")):
        tokens = span.split()[1:]
        command = tokens[0]
        if command.isupper():  # `refund-xl COMMAND -h`: a placeholder, not a command
            continue
        out.append((command, re.findall(r"--[a-z][\w-]*", span)))
    return out


SYNOPSES = _synopses()


def test_the_commands_page_covers_every_command():
    assert {c for c, _ in SYNOPSES} == {"demo", "evaluate", "batch", "template", "import", "track", "archive",
                                        "fill", "setup", "doctor", "--version"}


@pytest.mark.parametrize("command, options", SYNOPSES, ids=[f"{c} {' '.join(o)}" for c, o in SYNOPSES])
def test_every_option_in_a_synopsis_exists(command, options, capsys):
    argv = [command] if command.startswith("-") else [command, "-h"]
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert shown.strip()
    for option in options:
        if option != command:
            assert option in shown, f"`refund-xl {command}` has no {option}"


def test_every_option_the_commands_page_names_exists_somewhere(capsys):
    shown = []
    for command, _options in SYNOPSES:
        with pytest.raises(SystemExit):
            cli.main([command] if command.startswith("-") else [command, "-h"])
        shown.append(capsys.readouterr().out)
    named = set(re.findall(r"(?<![\w-])--[a-z][\w-]*", _text(CONTRACT / "commands.md")))
    assert {"--values", "--refresh", "--carriers"} <= named
    unknown = sorted(o for o in named if o != "--version" and not any(o in out for out in shown))
    assert not unknown, f"docs/contract/commands.md names options no command has: {unknown}"
