"""What starting up costs is mostly what it imports: ``import ratecard; ratecard.load()``
and a quote, as a library or as ``ratecard quote``, import only what they need (the
routing and request-body modules, the table library, the package metadata and the
temporary-file machinery are imported when something uses them), while every public name
stays where it was: importable, listed, and the very object its module defines."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import ratecard

ROOT = Path(__file__).resolve().parent.parent

PUBLIC = (
    "Candidate", "CardError", "CardProblem", "Catalog", "CircuitPolicy", "CircuitStatus",
    "Comparison", "Exclusion", "Health", "HealthPolicy", "Need", "OfferingPrice",
    "PayloadError", "PayloadRoute", "PayloadStep", "Quote", "QuoteError", "RatecardError",
    "Request", "Route", "Shot", "Step", "TaskRecord", "Translation", "TranslationError",
    "UnknownOfferingError", "VideoInfo", "Violation", "load", "load_health_policy",
)
"""Every public name of the package, as of the start-up work (a literal: the contract)."""

NOT_FOR_A_QUOTE = (
    "ratecard.routing", "ratecard.payloads", "ratecard.gateway", "ratecard.cli",
    "ratecard.reconcile", "ratecard.batch", "pydantic", "yaml", "tabulate", "wcwidth",
    "importlib.metadata", "email", "tempfile", "shutil", "difflib", "statistics",
    "threading", "argparse",
)
"""Modules (and packages, with everything under them) that neither loading the built-in
cards nor quoting needs."""


def _imported(code: str) -> set[str]:
    """The modules imported by a fresh interpreter running ``code``."""
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules), "
         "file=sys.stderr)"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120)
    return set(result.stderr.split())


def _unneeded(loaded: set[str], allowed: tuple[str, ...] = ()) -> list[str]:
    """The modules of :data:`NOT_FOR_A_QUOTE` in ``loaded``, but those ``allowed``."""
    return sorted(m for m in loaded for prefix in NOT_FOR_A_QUOTE
                  if (m == prefix or m.startswith(f"{prefix}."))
                  and not any(m == a or m.startswith(f"{a}.") for a in allowed))


@pytest.mark.slow  # a fresh interpreter: CI runs it
def test_loading_and_quoting_import_nothing_they_do_not_use() -> None:
    loaded = _imported("import ratecard\ncatalog = ratecard.load()\n"
                       "q = catalog.quote('evolink', 'kling-v3-image-to-video', duration=10,"
                       " quality='1080p', sound=True)\nassert str(q.credits) == '108.0000'")
    assert "ratecard.pricing.index" in loaded
    assert not _unneeded(loaded), _unneeded(loaded)


@pytest.mark.slow  # a fresh interpreter: CI runs it
def test_the_quote_command_imports_no_table_library_nor_metadata() -> None:
    """``ratecard quote`` prints its tables itself (tabulate imports
    ``importlib.metadata`` and ``wcwidth``), and reads the version only for
    ``--version``."""
    loaded = _imported(
        "from ratecard.cli import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    status = main(['quote', '--provider', 'evolink', '--model', "
        "'kling-v3-image-to-video', '--duration', '10', '--quality', '1080p', "
        "'--sound', 'on'])\n"
        "assert status == 0 and 'usd       1.500000' in out.getvalue(), out.getvalue()")
    assert "ratecard.cli.quote" in loaded
    allowed = ("ratecard.cli", "argparse", "shutil")  # argparse's formatter imports shutil
    assert not _unneeded(loaded, allowed), _unneeded(loaded, allowed)


def test_version_is_read_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    from ratecard.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"ratecard {ratecard.__version__}\n"


@pytest.mark.slow  # a fresh interpreter: CI runs it
def test_every_public_name_resolves_to_its_own_object() -> None:
    assert sorted(ratecard.__all__) == sorted(PUBLIC)
    listed = dir(ratecard)
    _imported("from ratecard import *\n"
              f"assert sorted(n for n in dir() if not n.startswith('_')) == {sorted(PUBLIC)}")
    for name in PUBLIC:
        assert name in listed, name
        value = getattr(ratecard, name)
        exec_globals: dict[str, object] = {}
        exec(f"from ratecard import {name}", exec_globals)
        assert exec_globals[name] is value, name
        home = importlib.import_module(value.__module__)
        assert getattr(home, name) is value, name
    with pytest.raises(AttributeError):
        ratecard.NoSuchName  # noqa: B018 (the lookup is the test)


def test_routing_names_work_when_imported_on_first_use() -> None:
    """A catalog builds its routing index when it first routes, then keeps it."""
    catalog = ratecard.load()
    need = ratecard.Need(family="kling-3.0", mode="image-to-video", quality="1080p",
                         sound=True, duration=10)
    route = catalog.route(need, down=["evolink"], max_usd="2")
    assert route.head is not None
    assert (route.head.provider, str(route.head.usd)) == ("comfy", "1.680000")
    assert isinstance(route, ratecard.Route)
    assert catalog.routing_index() is catalog.routing_index()
    assert catalog.compare(need).candidates[0].provider == "evolink"
