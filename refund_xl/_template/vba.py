"""The template's VBA: the formula wrappers, and putting modules into the project.

``xlwings_udfs`` holds one VBA function per formula function of
:mod:`refund_xl.udfs`, the wrappers xlwings' "Import Functions" button writes
(each calls ``XLPy.CallUDF`` of the embedded xlwings runtime).  Shipping them
prebuilt lets the formulas work on first open, without the desk trusting
access to the VBA project.

Why this module writes the wrappers itself: xlwings has no public way to get
that text without Excel.  Its generator (``xlwings.udfs.generate_vba_wrapper``)
lives in a module that imports pywin32 at import time, so it cannot be
imported on Linux or a Mac, and off Windows ``xw.func``/``xw.arg`` are no-op
decorators, so the functions carry none of the metadata it reads.  The
metadata (argument names, which are optional, ``call_in_wizard``,
``volatile``, an argument's ``vba=`` expression) is in the decorators written
in ``udfs.py``, so :func:`udf_signatures` reads them from its source with
:mod:`ast`, and :func:`udf_wrapper_vba` writes the module in the shape
xlwings 0.37 writes it (the committed copy in ``generated/`` was checked equal
to xlwings' own output; ``tests/test_template_parts.py`` compares it with
xlwings' generator wherever that imports, i.e. on Windows).

:func:`add_vba` puts the modules into the staged workbook with pyopenvba.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from refund_xl._template.layout import NEW_SHEET_CODE_NAMES, UDF_MODULE
from refund_xl._template.ribbon import VBA_RIBBON_MODULE, ribbon_vba

__all__ = ["VBA_UDF_MODULE", "GENERATED", "UdfArg", "Udf", "udf_signatures", "udf_wrapper_vba",
           "generated_modules", "write_generated", "add_vba"]

VBA_UDF_MODULE = "xlwings_udfs"      # the module name xlwings' ImportPythonUDFs replaces
SHEET_DOC_BASE = "0{00020820-0000-0000-C000-000000000046}"   # VB_Base of a worksheet's document module
GENERATED = Path(__file__).resolve().parent / "generated"   # the committed copies of the generated modules
MAX_VBA_LINE = 1023                  # the VBA editor's limit on a physical line


# ------------------------------------------------------- the formula wrappers

@dataclass(frozen=True)
class UdfArg:
    name: str
    optional: bool = False
    vba: str | None = None        # an expression passed instead of a parameter (xw.arg(..., vba=...))


@dataclass(frozen=True)
class Udf:
    name: str
    args: tuple[UdfArg, ...]
    call_in_wizard: bool = True
    volatile: bool = False


def _literal(node: ast.AST, what: str) -> object:
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise ValueError(f"{what} must be a literal in the source to be written into VBA") from None


def udf_signatures(source: str, xlwings_names: tuple[str, ...] = ("xw", "xlwings")) -> list[Udf]:
    """The formula functions of a module's source: each top-level function decorated ``@xw.func``.

    In the order xlwings writes them (by name).  Options that change the VBA
    text are read; the others (``category``, ``doc``, conversion) only matter
    to Python or to Excel's function dialog.  Forms no formula function of
    ours uses (``*args``, ``@xw.sub``, keyword-only arguments) are refused
    rather than guessed.
    """
    found: list[Udf] = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        kind, options, arg_options = None, {}, {}
        for dec in node.decorator_list:
            call = dec if isinstance(dec, ast.Call) else None
            target = call.func if call else dec
            if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                    and target.value.id in xlwings_names):
                continue
            keywords = {k.arg: k.value for k in call.keywords} if call else {}
            if target.attr in ("func", "sub"):
                kind = target.attr
                options = {k: _literal(v, f"{node.name}: {k}") for k, v in keywords.items()
                           if k in ("call_in_wizard", "volatile")}
            elif target.attr == "arg" and call and call.args:
                name = str(_literal(call.args[0], f"{node.name}: the argument's name")).lstrip("*")
                if "vba" in keywords:
                    arg_options[name] = str(_literal(keywords["vba"], f"{node.name}: {name} vba"))
        if kind is None:
            continue
        a = node.args
        if kind == "sub" or a.vararg or a.kwonlyargs or a.kwarg:
            raise ValueError(f"{node.name}: only plain formula functions get prebuilt VBA wrappers "
                             "(no @xw.sub, *args or keyword-only arguments)")
        names = [p.arg for p in a.posonlyargs + a.args]
        unknown = set(arg_options) - set(names)
        if unknown:
            raise ValueError(f"{node.name}: xw.arg names no parameter {sorted(unknown)}")
        first_optional = len(names) - len(a.defaults)
        args = tuple(UdfArg(n, optional=i >= first_optional,
                            # xlwings hands a `caller` parameter the calling range, not a cell value
                            vba="Nothing" if n == "caller" else arg_options.get(n))
                     for i, n in enumerate(names))
        found.append(Udf(node.name, args, call_in_wizard=bool(options.get("call_in_wizard", True)),
                         volatile=bool(options.get("volatile", False))))
    return sorted(found, key=lambda u: u.name)


def _wrapper(udf: Udf, module_name: str) -> list[str]:
    params = ", ".join(("Optional " if a.optional else "") + a.name for a in udf.args if not a.vba)
    array = "Array(" + ", ".join(a.vba or a.name for a in udf.args) + ")"
    call = f'XLPy.CallUDF("{module_name}", "{udf.name}", {array}'
    lines = [f"Function {udf.name}({params})"]
    if not udf.call_in_wizard:       # not while the Insert Function dialog is open
        lines.append('    If (Not Application.CommandBars("Standard").Controls(1).Enabled) Then Exit Function')
    if udf.volatile:
        lines.append("    Application.Volatile")
    lines += [
        '    #If App = "Microsoft Excel" Then',
        "        If TypeOf Application.Caller Is Range Then On Error GoTo failed",
        f"        {udf.name} = {call}, ThisWorkbook, Application.Caller)",
        "        Exit Function",
        "    #Else",
        f"        {udf.name} = {call})",
        "        Exit Function",
        "    #End If",
        "failed:",
        f"    {udf.name} = Err.Description",
        "End Function",
        "",
    ]
    return lines


def udf_wrapper_vba(module_name: str = UDF_MODULE, source: str | None = None) -> str:
    """The ``xlwings_udfs`` module for the formula functions of ``module_name`` (LF line ends, ASCII)."""
    if source is None:
        spec = importlib.util.find_spec(module_name)
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError(module_name)
        source = Path(spec.origin).read_text(encoding="utf-8")
    lines = [
        f'Attribute VB_Name = "{VBA_UDF_MODULE}"',
        "'Autogenerated code by xlwings - changes will be lost with next import!",
        """#Const App = "Microsoft Excel" 'Adjust when using outside of Excel""",
    ]
    for udf in udf_signatures(source):
        lines += _wrapper(udf, module_name)
    too_long = [ln for ln in lines if len(ln) > MAX_VBA_LINE]
    if too_long:
        raise ValueError(f"VBA line longer than {MAX_VBA_LINE} characters: {too_long[0][:60]}…")
    return "\n".join(lines) + "\n"


# ----------------------------------------------- the committed generated copies

def generated_modules() -> dict[str, str]:
    """File name → text of every generated VBA module, as committed under ``generated/``."""
    return {f"{VBA_UDF_MODULE}.bas": udf_wrapper_vba(), f"{VBA_RIBBON_MODULE}.bas": ribbon_vba()}


def write_generated(folder: str | Path = GENERATED) -> list[Path]:
    """Write :func:`generated_modules` into ``folder`` (LF line ends); returns the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generated_modules().items():
        path = folder / name
        path.write_bytes(text.encode("ascii"))
        written.append(path)
    return written


# ------------------------------------------------------- into the VBA project

def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _sheet_module_header(code_name: str) -> str:
    return (f'Attribute VB_Name = "{code_name}"\r\nAttribute VB_Base = "{SHEET_DOC_BASE}"\r\n'
            "Attribute VB_GlobalNameSpace = False\r\nAttribute VB_Creatable = False\r\n"
            "Attribute VB_PredeclaredId = True\r\nAttribute VB_Exposed = True\r\n"
            "Attribute VB_TemplateDerived = False\r\nAttribute VB_Customizable = True\r\n")


def _declare_as_documents(book, code_names: tuple[str, ...]) -> None:
    """Make pyopenvba declare the modules about to be added under ``code_names`` as documents.

    The one private attribute the builder sets, because pyopenvba (6.5) has no
    public way to add a sheet's document module to an existing project:
    ``add_module(kind=VBAModuleKind.other)`` declares a module ``Document=`` in
    the PROJECT stream only when its name is among the file's
    ``_document_names``, which only ``add_vba_project`` fills, and that refuses a
    file that already has a project (the xlwings runtime's, with its
    references).  Declared ``Class=`` instead, Excel would not tie the module
    to its sheet.  tests/test_template_parts.py checks the PROJECT stream.
    """
    if not hasattr(book, "_document_names"):
        raise RuntimeError("this pyopenvba has no _document_names: check how it declares document modules")
    book._document_names = set(book._document_names) | {c.casefold() for c in code_names}


def add_vba(path: Path) -> None:
    """In the staged workbook at ``path``: drop the quickstart's sample module, add a document module
    per new sheet (as Excel gives every sheet one), the formula wrappers and the ribbon module."""
    from pyopenvba import ExcelFile, VBAModuleKind

    new_docs = tuple(code for _title, code in NEW_SHEET_CODE_NAMES)
    with ExcelFile(path) as book:
        project = book.vba_project()
        names = {m.casefold() for m in project.module_names()}
        if "module1" in names:  # the quickstart's SampleCall, which imports a module named after the book
            project.delete_module("Module1")
        _declare_as_documents(book, new_docs)
        for code in new_docs:
            if code.casefold() not in names:
                project.add_module(code, _sheet_module_header(code), kind=VBAModuleKind.other)
        project.add_module(VBA_UDF_MODULE, _crlf(udf_wrapper_vba()))
        project.add_module(VBA_RIBBON_MODULE, _crlf(ribbon_vba()))
        book.save()
