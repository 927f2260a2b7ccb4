"""Inputs that contradict each other are an error naming both, never silently resolved
(README, "Inputs"): a single-value option given twice with different values, a provider
both allowed and denied, one input column read as two fields."""

from __future__ import annotations

from pathlib import Path

import pytest

import ratecard
from ratecard.cli import main
from ratecard.reconcile.readers import Columns, InvoiceError
from ratecard.routing.need import Need
from ratecard.whatif.rerate import WhatIf

CATALOG = ratecard.load()
QUOTE = ("quote", "--provider", "evolink", "--model", "kling-v3-image-to-video")
ROUTE = ("route", "--family", "kling-3.0", "--mode", "image-to-video", "--duration", "5")
INVOICE = ("task_id,provider,model,timestamp,duration,charged,currency,status\n"
           "t1,evolink,kling-v3-image-to-video,2026-11-01,5,27,credits,succeeded\n")


@pytest.fixture
def invoice(tmp_path: Path) -> str:
    path = tmp_path / "march.csv"
    path.write_text(INVOICE, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("argv", "first", "second"), [
    ((*QUOTE, "--duration", "5", "--duration", "10"), "--duration 5", "--duration 10"),
    (("quote", "--provider", "fal", "--provider", "evolink", "--model",
      "kling-v3-image-to-video", "--duration", "5"), "--provider fal", "--provider evolink"),
    ((*QUOTE, "--duration", "5", "--sound", "on", "--sound", "off"), "--sound on",
     "--sound off"),
    ((*QUOTE, "--duration", "5", "--at", "2026-01-01", "--at", "2026-02-01"),
     "--at 2026-01-01", "--at 2026-02-01"),
    ((*ROUTE, "--format", "json", "--format", "csv"), "--format json", "--format csv"),
    ((*ROUTE, "--max-usd", "1", "--max-usd", "2"), "--max-usd 1", "--max-usd 2"),
])
def test_a_single_value_option_given_twice_differently_is_refused(
        capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], first: str,
        second: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert f"{first} and {second} contradict each other" in err


@pytest.mark.parametrize("option", ["--engine", "--format"])
def test_reconcile_refuses_two_values_too(capsys: pytest.CaptureFixture[str], invoice: str,
                                          option: str) -> None:
    values = {"--engine": ("python", "duckdb"), "--format": ("json", "csv")}[option]
    with pytest.raises(SystemExit) as stopped:
        main(["reconcile", invoice, option, values[0], option, values[1]])
    assert stopped.value.code == 2
    assert "contradict each other" in capsys.readouterr().err


def test_the_same_value_twice_is_no_contradiction(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*QUOTE, "--duration", "5", "--duration", "5", "--format", "json"]) == 0
    assert '"billed_seconds": "5"' in capsys.readouterr().out


def test_a_provider_both_allowed_and_denied_on_the_command_line_is_refused(
        capsys: pytest.CaptureFixture[str], invoice: str) -> None:
    assert main([*ROUTE, "--allow", "fal", "--deny", "fal"]) == 2
    assert main(["whatif", invoice, "--allow", "fal", "evolink", "--deny", "fal"]) == 2
    err = capsys.readouterr().err
    assert err.count("--allow and --deny both name fal") == 2


def test_the_library_denies_what_it_also_allows() -> None:
    """A gateway allows its sellers and denies those it has tried: no contradiction."""
    need = Need(family="kling-3.0", mode="image-to-video", duration=5)
    route = CATALOG.route(need, allow=["fal", "evolink"], deny=["fal"])
    assert {c.provider for c in route.chain} == {"evolink"}
    assert WhatIf(CATALOG, allow=["fal", "evolink"], deny=["evolink", "fal"]).deny == \
        {"evolink", "fal"}


@pytest.mark.parametrize(("pairs", "message"), [
    (["task_id=id", "provider=id"], "task_id and provider would both be read from column 'id'"),
    (["provider=model"], "provider and model would both be read from column 'model'"),
    (["charged=amount", "reserved=amount"], "charged and reserved would both be read"),
    (["charged=a", "charged=b"], "--column charged=a and --column charged=b disagree"),
])
def test_one_input_column_is_read_as_one_field_at_most(pairs: list[str], message: str) -> None:
    with pytest.raises(InvoiceError, match=message):
        Columns.parse(pairs)


def test_swapped_columns_are_fine() -> None:
    columns = Columns.parse(["provider=model", "model=provider", "charged=charged"])
    assert (columns.source_of("provider"), columns.source_of("model")) == ("model", "provider")


def test_reconcile_reports_a_column_read_twice(capsys: pytest.CaptureFixture[str],
                                                invoice: str) -> None:
    assert main(["reconcile", invoice, "--column", "charged=duration"]) == 2
    assert "duration and charged would both be read from column 'duration'" in \
        capsys.readouterr().err
