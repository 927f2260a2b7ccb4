"""An invoice's provider and model are read as the cards spell them, whatever their case.

An export that names its seller by its brand (``EvoLink``, as the seeds write it) or
writes a model id in capitals was UNKNOWN_OFFERING on every line ("unknown provider
'EvoLink'; did you mean evolink?") while the same line's ``Credits`` and ``SUCCEEDED``
were read, and ``EvoLink``'s task t1 was no duplicate of ``evolink``'s t1. The expected
values below are literals: seed 001 prices EvoLink Kling 3.0 image to video at 5.4
credits per second (720p, no sound), 27 credits for 5 s.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import ratecard
from ratecard.reconcile.names import OfferingNames
from ratecard.reconcile.readers import lines_from_text
from ratecard.reconcile.reconciler import reconcile
from ratecard.whatif.rerate import whatif

CATALOG = ratecard.load(cache=False)

HEADER = "task_id,provider,model,timestamp,duration,quality,sound,charged,currency,status\n"
JOB = "2026-11-01,5,720p,off,27,credits,succeeded\n"


@pytest.mark.parametrize(("given", "named"), [
    (("evolink", "kling-v3-image-to-video"), ("evolink", "kling-v3-image-to-video")),
    (("EvoLink", "kling-v3-image-to-video"), ("evolink", "kling-v3-image-to-video")),
    (("EVOLINK", "KLING-V3-IMAGE-TO-VIDEO"), ("evolink", "kling-v3-image-to-video")),
    (("evolink", "Kling-V3-Image-To-Video"), ("evolink", "kling-v3-image-to-video")),
    # a model is read among its provider's only
    (("evolink", "PRO-TEXT-TO-VIDEO"), ("evolink", "PRO-TEXT-TO-VIDEO")),
    (("Kling3API", "PRO-TEXT-TO-VIDEO"), ("kling3api", "pro-text-to-video")),
    # text that is not printable ASCII is never folded: a dotted capital I, a tab
    (("EVOL\u0130NK", "kling-v3-image-to-video"), ("EVOL\u0130NK", "kling-v3-image-to-video")),
    (("Evo\tLink", "kling-v3-image-to-video"), ("Evo\tLink", "kling-v3-image-to-video")),
    (("nope", "x"), ("nope", "x")),
])
def test_names_are_read_as_the_cards_spell_them(given: tuple[str, str],
                                                named: tuple[str, str]) -> None:
    names = OfferingNames([("evolink", "kling-v3-image-to-video"),
                           ("kling3api", "pro-text-to-video")])
    assert names(*given) == named


def test_a_lower_case_two_names_share_names_neither() -> None:
    names = OfferingNames([("Foo", "m"), ("foo", "m"), ("bar", "Model"), ("bar", "MODEL"),
                           ("bar", "other")])
    assert names("FOO", "m") == ("FOO", "m")
    assert names("Foo", "m") == ("Foo", "m")  # as the cards spell it: itself
    assert names("BAR", "model") == ("bar", "model")
    assert names("BAR", "OTHER") == ("bar", "other")


def test_a_brand_name_in_an_invoice_is_its_seller_and_can_repeat_a_task() -> None:
    text = HEADER + "".join(f"{task},{provider},{model},{JOB}" for task, provider, model in [
        ("t1", "EvoLink", "kling-v3-image-to-video"),
        ("t1", "evolink", "KLING-V3-IMAGE-TO-VIDEO"),
        ("t2", "EVOLINK", "Kling-V3-Image-To-Video"),
        ("t3", "EvoL\u0131nk", "kling-v3-image-to-video"),  # a dotless i: not EvoLink
    ])
    results, _ = reconcile(CATALOG, lines_from_text(text))
    assert [(r.provider, r.model, r.status) for r in results] == [
        ("evolink", "kling-v3-image-to-video", "MATCH"),
        ("evolink", "kling-v3-image-to-video", "DUPLICATE_TASK"),
        ("evolink", "kling-v3-image-to-video", "MATCH"),
        ("EvoL\u0131nk", "kling-v3-image-to-video", "UNKNOWN_OFFERING")]
    assert [r.expected for r in results] == [Decimal(27), None, Decimal(27), None]
    assert "task t1 already appeared for evolink" in results[1].reason


def test_whatif_reads_a_brand_name_as_its_seller() -> None:
    text = HEADER + f"t1,EvoLink,Kling-V3-Image-To-Video,{JOB}"
    results, summary = whatif(CATALOG, lines_from_text(text))
    assert [(r.provider, r.model, r.status, r.best_provider) for r in results] == [
        ("evolink", "kling-v3-image-to-video", "REPRICED", "evolink")]
    assert summary.charged == {"evolink credits": Decimal(27)}


def test_the_sql_engines_read_names_by_the_same_rule() -> None:
    """The SQL written for DuckDB and Spark (names as constants) gives what the rule says,
    ambiguous lower cases and text beyond printable ASCII included (DuckDB runs it)."""
    from ratecard.batch.sql.dialects import DUCKDB
    from ratecard.batch.sql.names import model_name, provider_name
    from tests.batch_lines import require_duckdb

    require_duckdb()
    import duckdb

    names = OfferingNames([("Foo", "m"), ("foo", "m"), ("bar", "Model"), ("bar", "MODEL"),
                           ("bar", "other"), ("evolink", "kling-v3-image-to-video")])
    cases = [  # given -> as the rule reads it (literals)
        (("FOO", "m"), ("FOO", "m")),
        (("Foo", "M"), ("Foo", "m")),  # Foo as the cards spell it, and its one model m
        (("BAR", "model"), ("bar", "model")),
        (("BAR", "OTHER"), ("bar", "other")),
        (("EvoLink", "KLING-V3-IMAGE-TO-VIDEO"), ("evolink", "kling-v3-image-to-video")),
        (("EVOL\u0130NK", "kling-v3-image-to-video"),
         ("EVOL\u0130NK", "kling-v3-image-to-video")),
        (("evo\tlink", "x"), ("evo\tlink", "x")),
        (("nope", "x"), ("nope", "x")),
    ]
    provider = provider_name(DUCKDB, "p", names)
    model = model_name(DUCKDB, "named", "m", names)
    connection = duckdb.connect()
    for given, expected in cases:
        row = connection.execute(
            f"SELECT named, {model} FROM (SELECT {provider} AS named, m "
            "FROM (SELECT ? AS p, ? AS m))", list(given)).fetchone()
        assert row == expected, (given, row)
        assert names(*given) == expected, given
