"""The loader is strict, and every error names the file, the line, the key and what was
expected. Small cards are written into ``tmp_path``; line numbers are found by searching
the text written, so the assertions say *which* line and not just *a* line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import ratecard
from ratecard import CardError, CardProblem

SOURCE = "{document: market-prices.md, checked_on: 2026-11-21, basis: documented}"

VERSION = f"""\
      - per_second: 1
        multipliers:
          720p: {{off: 1.0, on: 1.5}}
          1080p: {{off: 2.0, on: 3.0}}
        source: {SOURCE}
"""

CREDIT_VALUES = f"""\
credit_values:
  - credits_per_usd: 10
    source: {SOURCE}
"""

VALID = f"""\
# a small, complete card used only by these tests
provider: testco
name: Test Co
currency: credits
{CREDIT_VALUES}\
defaults:
  quality: 720p
  sound: off
  duration: 5
rounding:
  amount:
    mode: half_up
    precision: 0.01
  usd:
    mode: half_up
    precision: 0.0001
offerings:
  - id: gen
    family: kling-3.0
    mode: text-to-video
    title: yes
    qualities: [720p, 1080p]
    sounds: [off, on]
    accepts:
      duration:
        min: 3
        max: 15
        integer: true
        source: {SOURCE}
    billing:
      basis: duration
      source: {SOURCE}
    prices:
{VERSION}"""

CONFLICT = f"""\
conflicts:
  - subject: price
    offering: nope
    claims:
      - value: a
        source: {SOURCE}
      - value: b
        source: {SOURCE}
    resolution: keep a
"""


def edit(old: str, new: str, text: str = VALID) -> str:
    """``text`` with ``old`` (which must occur exactly once) replaced by ``new``."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def write(tmp_path: Path, text: str, name: str = "card.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the ``occurrence``-th ``needle``."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found {occurrence} time(s)")


def problems(path: Path, *more: Path) -> list[CardProblem]:
    with pytest.raises(CardError) as info:
        ratecard.load(path, *more, builtin=False)
    assert info.value.problems, "a CardError must list its problems"
    return info.value.problems


def only_problem(path: Path) -> CardProblem:
    found = problems(path)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- valid data


def test_the_template_card_is_valid(tmp_path: Path) -> None:
    card = ratecard.load(write(tmp_path, VALID), builtin=False)
    assert card.providers == ("testco",)
    assert card.quote("testco", "gen", duration=4).credits == Decimal("4.00")


def test_yaml_floats_are_decimals_and_on_off_yes_stay_strings(tmp_path: Path) -> None:
    text = edit("      - per_second: 1\n", "      - per_second: 0.1\n")
    card = ratecard.load(write(tmp_path, text), builtin=False).cards["testco"]
    offering = card.offerings[0]
    version = offering.prices[0]
    assert type(version.per_second) is Decimal
    assert str(version.per_second) == "0.1"
    assert version.multipliers is not None
    assert version.multipliers["1080p"]["off"] == Decimal("2.0")
    assert all(type(v) is Decimal for row in version.multipliers.values() for v in row.values())
    assert str(card.rounding.usd.precision) == "0.0001"
    assert sorted(version.multipliers["720p"]) == ["off", "on"]
    assert offering.sounds == ["off", "on"]
    assert card.defaults.sound == "off"
    assert offering.title == "yes"
    assert offering.accepts.duration is not None
    assert offering.accepts.duration.integer is True


def test_a_price_of_one_tenth_prices_exactly(tmp_path: Path) -> None:
    text = edit("      - per_second: 1\n", "      - per_second: 0.1\n")
    card = ratecard.load(write(tmp_path, text), builtin=False)
    quote = card.quote("testco", "gen", duration=3)
    assert quote.amount_exact == Decimal("0.3")
    assert quote.credits == Decimal("0.30")


def test_precision_written_as_1_0_rounds_to_whole_units(tmp_path: Path) -> None:
    text = edit("    precision: 0.01\n", "    precision: 1.0\n")
    text = edit("      - per_second: 1\n", "      - per_second: 1.13\n", text)
    quote = ratecard.load(write(tmp_path, text), builtin=False).quote("testco", "gen", duration=7)
    assert quote.amount_exact == Decimal("7.91")
    assert quote.credits == Decimal("8")


# --------------------------------------------------------------------------- strictness


def test_unknown_key(tmp_path: Path) -> None:
    text = edit("    family: kling-3.0\n", "    family: kling-3.0\n    colour: red\n")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.file == str(path)
    assert problem.line == line_of(text, "colour: red")
    assert problem.key == "offerings.0.colour"
    assert "unknown key" in problem.message
    assert "not part of the rate card schema" in problem.message


def test_unknown_key_names_what_was_expected(tmp_path: Path) -> None:
    text = edit("    qualities: [720p, 1080p]\n", "    qualites: [720p, 1080p]\n")
    found = problems(write(tmp_path, text))
    typo = next(problem for problem in found if problem.key == "offerings.0.qualites")
    assert "qualities" in typo.message


def test_missing_required_key(tmp_path: Path) -> None:
    text = edit("    family: kling-3.0\n", "")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.file == str(path)
    assert problem.key == "offerings.0.family"
    assert problem.line == line_of(text, "- id: gen")
    assert problem.message == "required key is missing"
    with pytest.raises(CardError, match=r"card\.yaml:\d+: offerings\.0\.family: required"):
        ratecard.load(path, builtin=False)


def test_missing_nested_key_points_at_its_parent(tmp_path: Path) -> None:
    text = edit(f"      basis: duration\n      source: {SOURCE}\n", "      basis: duration\n")
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "offerings.0.billing.source"
    assert problem.line == line_of(text, "billing:")
    assert problem.message == "required key is missing"


def test_precision_not_a_power_of_ten(tmp_path: Path) -> None:
    text = edit("    precision: 0.01\n", "    precision: 0.05\n")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.file == str(path)
    assert problem.line == line_of(text, "precision: 0.05")
    assert problem.key == "rounding.amount.precision"
    assert "power of ten" in problem.message
    assert "0.05" in problem.message


def test_incomplete_multiplier_matrix_missing_a_sound(tmp_path: Path) -> None:
    text = edit("          1080p: {off: 2.0, on: 3.0}\n", "          1080p: {off: 2.0}\n")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.file == str(path)
    assert problem.line == line_of(text, "1080p: {off: 2.0}")
    assert problem.key == "offerings.0.prices.0.multipliers.1080p"
    assert "must have exactly the sounds ['off', 'on']" in problem.message
    assert "has ['off']" in problem.message


def test_incomplete_multiplier_matrix_missing_a_quality(tmp_path: Path) -> None:
    text = edit("          1080p: {off: 2.0, on: 3.0}\n", "")
    problem = only_problem(write(tmp_path, text))
    assert problem.line == line_of(text, "multipliers:")
    assert problem.key == "offerings.0.prices.0.multipliers"
    assert "must have exactly the qualities ['1080p', '720p']" in problem.message


@pytest.mark.parametrize(("cell", "said"), [
    ("-2.0", "greater than or equal to 0 (got -2.0)"),
    ("2.0x", "value must be a number, got '2.0x'"),
    ("true", "value must be a rate card number, not True"),
])
def test_a_bad_cell_of_a_price_table_is_the_only_problem_named(tmp_path: Path, cell: str,
                                                              said: str) -> None:
    """A table where a number or a table may be (per_second, multipliers) was also reported
    as "value must be a number, got dict {...}" (the other branch), first, hiding the cell."""
    text = edit("      - per_second: 1\n", "      - per_second:\n"
                "          720p: {off: 1, on: 1}\n"
                f"          1080p: {{off: {cell}, on: 1}}\n")
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "offerings.0.prices.0.per_second.1080p.off"
    assert problem.line == line_of(text, f"1080p: {{off: {cell}")
    assert said in problem.message
    assert "dict" not in problem.message


def test_a_bad_number_where_a_table_may_be_is_one_problem(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path, edit("      - per_second: 1\n",
                                                "      - per_second: 1.5x\n")))
    assert problem.key == "offerings.0.prices.0.per_second"
    assert problem.message == "value must be a number, got '1.5x'"


@pytest.mark.parametrize(("written", "said"), [
    ("2026-01-01T00:00:00+14:00", "2026-01-01T00:00:00+14:00 is a time, not a day"),
    ("2026-01-01 00:00:00", "2026-01-01T00:00:00 is a time, not a day"),
    ("'2026-01-01T00:00:00Z'", "'2026-01-01T00:00:00Z' is not a date: write it as YYYY-MM-DD"),
    ("'20260101'", "'20260101' is not a date: write it as YYYY-MM-DD"),
    ("20260101", "20260101 is not a date: write it as YYYY-MM-DD"),
])
def test_a_card_date_is_a_day(tmp_path: Path, written: str, said: str) -> None:
    """A time at midnight +14:00 was taken as its local date, 2026-01-01, where --at and
    reconcile count that moment on its UTC day, 2025-12-31."""
    text = edit("      - per_second: 1\n",
                f"      - effective_from: {written}\n        per_second: 1\n")
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "offerings.0.prices.0.effective_from"
    assert problem.line == line_of(text, "effective_from:")
    assert said in problem.message


def test_a_card_date_written_as_a_day_is_read(tmp_path: Path) -> None:
    for written in ("2026-01-01", "'2026-01-01'"):
        text = edit("      - per_second: 1\n",
                    f"      - effective_from: {written}\n        per_second: 1\n")
        card = ratecard.load(write(tmp_path, text), builtin=False, cache=False)
        assert card.quote("testco", "gen", at="2026-01-01").price_version == "2026-01-01..open"


@pytest.mark.parametrize("blank", ['""', "'   '"])
def test_a_blank_card_name_is_refused(tmp_path: Path, blank: str) -> None:
    """Every table and answer names the card: a blank name linted clean."""
    text = edit("name: Test Co\n", f"name: {blank}\n")
    problem = only_problem(write(tmp_path, text))
    assert (problem.key, problem.line) == ("name", line_of(text, "name:"))
    assert problem.message.startswith("must not be blank")


def test_overlapping_price_versions(tmp_path: Path) -> None:
    first = edit(
        "      - per_second: 1\n",
        "      - per_second: 1\n        effective_from: 2026-01-01\n"
        "        effective_to: 2026-07-01\n",
        VERSION,
    )
    second = edit(
        "      - per_second: 1\n", "      - per_second: 2\n        effective_from: 2026-06-01\n",
        VERSION,
    )
    text = edit(VERSION, first + second)
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.file == str(path)
    assert problem.line == line_of(text, "per_second: 2")
    assert problem.key == "offerings.0.prices.1"
    assert "2026-06-01..open" in problem.message
    assert "overlaps prices.0 (2026-01-01..2026-07-01)" in problem.message
    assert "half-open" in problem.message


@pytest.mark.parametrize("starts", ["9999-12-31", "9999-12-30"])
def test_two_open_ended_versions_overlap_even_on_the_last_day(tmp_path: Path,
                                                              starts: str) -> None:
    """[2026-01-01, open) and [9999-12-31, open) both cover 9999-12-31: the open end was
    taken as 9999-12-31 itself, so the second version linted clean and was never used."""
    first = edit("      - per_second: 1\n",
                 "      - per_second: 1\n        effective_from: 2026-01-01\n", VERSION)
    second = edit("      - per_second: 1\n",
                  f"      - per_second: 2\n        effective_from: {starts}\n", VERSION)
    text = edit(VERSION, first + second)
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "offerings.0.prices.1"
    assert f"its range {starts}..open overlaps prices.0 (2026-01-01..open)" in problem.message


def test_a_version_ending_on_the_last_day_leaves_it_to_the_next(tmp_path: Path) -> None:
    first = edit("      - per_second: 1\n", "      - per_second: 1\n"
                 "        effective_to: 9999-12-31\n", VERSION)
    second = edit("      - per_second: 1\n",
                  "      - per_second: 2\n        effective_from: 9999-12-31\n", VERSION)
    card = ratecard.load(write(tmp_path, edit(VERSION, first + second)), builtin=False,
                         cache=False)
    assert card.quote("testco", "gen", at="9999-12-31").price_version == "9999-12-31..open"
    assert card.quote("testco", "gen", at="9999-12-30").price_version == "start..9999-12-31"


def test_adjacent_price_versions_do_not_overlap(tmp_path: Path) -> None:
    first = edit("      - per_second: 1\n",
                 "      - per_second: 1\n        effective_to: 2026-07-01\n", VERSION)
    second = edit("      - per_second: 1\n",
                  "      - per_second: 2\n        effective_from: 2026-07-01\n", VERSION)
    card = ratecard.load(write(tmp_path, edit(VERSION, first + second)), builtin=False)
    assert card.quote("testco", "gen", duration=3, at="2026-06-30").credits == Decimal("3.00")
    assert card.quote("testco", "gen", duration=3, at="2026-07-01").credits == Decimal("6.00")


def test_overlapping_credit_values(tmp_path: Path) -> None:
    values = (
        "credit_values:\n"
        f"  - credits_per_usd: 10\n    effective_to: 2026-03-01\n    source: {SOURCE}\n"
        f"  - credits_per_usd: 12\n    effective_from: 2026-02-01\n    source: {SOURCE}\n"
    )
    text = edit(CREDIT_VALUES, values)
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "credit_values.1"
    assert problem.line == line_of(text, "credits_per_usd: 12")
    assert "overlaps credit_values.0" in problem.message


def test_effective_to_must_follow_effective_from(tmp_path: Path) -> None:
    text = edit(
        "      - per_second: 1\n",
        "      - per_second: 1\n        effective_from: 2026-05-01\n"
        "        effective_to: 2026-05-01\n",
    )
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "offerings.0.prices.0.effective_to"
    assert problem.line == line_of(text, "effective_to: 2026-05-01")
    assert "must be after effective_from (2026-05-01)" in problem.message


def test_duplicate_yaml_key_at_top_level(tmp_path: Path) -> None:
    text = edit("name: Test Co\n", "name: Test Co\nname: Again\n")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.file == str(path)
    assert problem.line == line_of(text, "name: Again")
    assert problem.key == "name"
    assert problem.message == f"duplicate key 'name' (first at line {line_of(text, 'name: Test')})"


def test_duplicate_yaml_key_nested(tmp_path: Path) -> None:
    text = edit("    family: kling-3.0\n", "    family: kling-3.0\n    family: kling-o3\n")
    problem = only_problem(write(tmp_path, text))
    assert problem.line == line_of(text, "family: kling-o3")
    assert problem.key == "offerings.0.family"
    assert f"first at line {line_of(text, 'family: kling-3.0')}" in problem.message


def test_invalid_yaml(tmp_path: Path) -> None:
    text = edit("name: Test Co\n", "name: [Test Co\n")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.file == str(path)
    assert problem.message.startswith("invalid YAML: ")
    assert "expected ',' or ']'" in problem.message
    # libyaml reports an unclosed flow sequence where it notices it: the next line
    assert problem.line in {line_of(text, "name: [Test"), line_of(text, "name: [Test") + 1}


def test_a_yaml_merge_key_is_named_and_the_fix_given(tmp_path: Path) -> None:
    """YAML 1.2 has no ``<<`` merge key; the loader said "could not determine a
    constructor for the tag 'tag:yaml.org,2002:merge'"."""
    text = edit("defaults:\n  quality: 720p\n",
                "base: &base\n  quality: 720p\ndefaults:\n  <<: *base\n")
    problem = only_problem(write(tmp_path, text))
    assert problem.line == line_of(text, "<<: *base")
    assert problem.message.startswith("invalid value: merge keys (<<) are not read: cards "
                                      "are YAML 1.2")


def test_invalid_yaml_indentation(tmp_path: Path) -> None:
    text = edit("  quality: 720p\n", "  quality: 720p\n   stray: x\n")
    problem = only_problem(write(tmp_path, text))
    assert problem.line == line_of(text, "stray: x")
    assert problem.message == "invalid YAML: mapping values are not allowed in this context"


def test_non_finite_number_is_a_card_error(tmp_path: Path) -> None:
    text = edit("      - per_second: 1\n", "      - per_second: .inf\n")
    problem = only_problem(write(tmp_path, text))
    assert problem.line == line_of(text, "per_second: .inf")
    assert "'.inf' is not a finite number" in problem.message


def test_conflict_naming_a_non_existent_offering(tmp_path: Path) -> None:
    text = VALID + CONFLICT
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.file == str(path)
    assert problem.line == line_of(text, "offering: nope")
    assert problem.key == "conflicts.0.offering"
    assert "'nope' is not an offering of this card" in problem.message
    assert "(offerings: gen)" in problem.message


def conflicts(*subjects: str) -> str:
    """A ``conflicts:`` block about ``gen``, one conflict per subject."""
    return "conflicts:\n" + "".join(
        CONFLICT.removeprefix("conflicts:\n").replace("subject: price", f"subject: {s}")
        .replace("offering: nope", "offering: gen") for s in subjects)


def test_conflicts_with_subjects_in_other_scripts_have_ids_of_their_own(tmp_path: Path
                                                                         ) -> None:
    """价格 (price) and 时长 (duration) were both ``conflict`` and refused as one subject."""
    catalog = ratecard.load(write(tmp_path, VALID + conflicts("价格", "时长", "\uff30rice 3.0")),
                            builtin=False)
    assert [c.id for c in catalog.plan("testco", "gen").sources.conflicts] == [
        "testco:价格", "testco:时长", "testco:price-3.0"]


@pytest.mark.parametrize(("subjects", "message"), [
    (("price", "price"), "conflicts.0 has the same subject ('price')"),
    (("Price 3.0", "price, 3.0"),
     "conflicts.0 has the subject 'Price 3.0', which gives the same id 'price-3.0' "
     "('price, 3.0')"),
])
def test_two_conflicts_with_one_id_are_refused_with_both_subjects(
        tmp_path: Path, subjects: tuple[str, str], message: str) -> None:
    text = VALID + conflicts(*subjects)
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "conflicts.1.subject"
    assert message in problem.message


@pytest.mark.parametrize("blank", ["'   '", '"\\t"'])
def test_a_source_without_a_document_is_a_card_error(tmp_path: Path, blank: str) -> None:
    """``document: '   '`` passed as a source: a fact traced to nothing."""
    text = edit("  - credits_per_usd: 10\n    source: " + SOURCE + "\n",
                "  - credits_per_usd: 10\n    source: {document: " + blank
                + ", checked_on: 2026-11-21, basis: documented}\n")
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "credit_values.0.source.document"
    assert problem.line == line_of(text, "document: " + blank)
    assert "is blank: name the document" in problem.message


def test_credits_card_without_credit_value_or_reason(tmp_path: Path) -> None:
    text = edit(CREDIT_VALUES, "credit_values: []\n")
    path = write(tmp_path, text)
    problem = only_problem(path)
    assert problem.file == str(path)
    assert problem.line == line_of(text, "credit_values: []")
    assert problem.key == "credit_values"
    assert "credit_value_unknown_reason" in problem.message
    assert "never zero" in problem.message


def test_credits_card_with_a_reason_loads_and_has_no_usd(tmp_path: Path) -> None:
    text = edit(CREDIT_VALUES, "credit_values: []\ncredit_value_unknown_reason: not published\n")
    quote = ratecard.load(write(tmp_path, text), builtin=False).quote("testco", "gen")
    assert quote.usd is None
    assert quote.warnings == ("USD unknown: not published",)


def test_two_extra_cards_for_the_same_provider(tmp_path: Path) -> None:
    first = write(tmp_path, VALID, "first.yaml")
    second_text = "# the second card\n" + VALID
    second = write(tmp_path, second_text, "second.yaml")
    found = problems(first, second)
    assert len(found) == 1, found
    problem = found[0]
    assert problem.file == str(second)
    assert problem.line == line_of(second_text, "provider: testco")
    assert problem.key == "provider"
    assert "'testco' is already defined in" in problem.message
    assert str(first) in problem.message
    assert "one file" in problem.message


def test_lint_refuses_two_cards_for_the_same_provider_as_loading_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ratecard.cli import main

    first = write(tmp_path, VALID, "first.yaml")
    second_text = "# the second card\n" + VALID
    second = write(tmp_path, second_text, "second.yaml")
    expected = (f"{second}:{line_of(second_text, 'provider: testco')}: provider: provider "
                f"'testco' is already defined in {first}; give each provider one file")
    assert [str(problem) for problem in problems(first, second)] == [expected]
    assert main(["lint", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [expected]


def test_problems_of_every_file_are_reported_together(tmp_path: Path) -> None:
    one = write(tmp_path, edit("name: Test Co\n", "name: Test Co\nname: Again\n"), "one.yaml")
    other = edit("provider: testco\n", "provider: other\n",
                 edit("    precision: 0.01\n", "    precision: 0.05\n"))
    two = write(tmp_path, other, "two.yaml")
    found = problems(one, two)
    assert [problem.file for problem in found] == [str(one), str(two)]
    assert [problem.key for problem in found] == ["name", "rounding.amount.precision"]


def test_a_missing_file_is_a_card_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    problem = only_problem(path)
    assert problem.file == str(path)
    assert "cannot read" in problem.message


def test_an_empty_file_is_a_card_error(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path, ""))
    assert problem.line == 1
    assert problem.message == "the file is empty"


def test_card_errors_read_file_line_key_message(tmp_path: Path) -> None:
    text = edit("    precision: 0.01\n", "    precision: 0.05\n")
    path = write(tmp_path, text)
    line = line_of(text, "precision: 0.05")
    with pytest.raises(
        CardError, match=rf"card\.yaml:{line}: rounding\.amount\.precision: precision must be"
    ):
        ratecard.load(path, builtin=False)


def test_an_invalid_extra_card_fails_the_load_with_builtins_too(tmp_path: Path) -> None:
    path = write(tmp_path, edit("    precision: 0.01\n", "    precision: 0.05\n"))
    with pytest.raises(CardError, match="power of ten"):
        ratecard.load(path)


def test_yaml_1_2_scalars_sexagesimal_and_underscores_stay_text() -> None:
    """PyYAML's YAML 1.1 rules would read 16:9 as 969 and 1_000 as 1000."""
    from ratecard.cards.loader import _Loader

    data = yaml.load("a: 16:9\nb: 1_000\nc: 010\nd: off\n", Loader=_Loader)
    assert data == {"a": "16:9", "b": "1_000", "c": Decimal("10"), "d": "off"}


@pytest.mark.parametrize("name", ["a\x00b.yaml", "\ud800.yaml", "x" * 5000],
                         ids=["NUL", "lone surrogate", "too long"])
def test_a_path_no_system_can_open_is_a_card_error(name: str) -> None:
    """A NUL byte, a lone surrogate or an over-long name raised a raw ValueError,
    UnicodeEncodeError or OSError from load(), where load_health_policy said CardError."""
    with pytest.raises(CardError) as caught:
        ratecard.load(name)
    assert "cannot read: " in str(caught.value)
