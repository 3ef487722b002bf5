"""Offer files: expanding tiers onto the base, envelopes, positions, errors located in the offer file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from offer_helpers import SAMPLE, head, line_of, offer_text, two_tiers, write

from slaforge.document import plain
from slaforge.errors import SpecError
from slaforge.layers.offer import read_offer
from slaforge.offers.build import OfferOptions, check_offer, offer_documents
from slaforge.offers.documents import INTERNAL
from slaforge.spec.paths import PathError, locate, parse_path


def problems_of(path: Path, **options: Any) -> list[Any]:
    with pytest.raises(SpecError) as caught:
        check_offer(path, OfferOptions(**options))
    return caught.value.problems


def clause_text(document: Any, clause_id: str) -> str:
    clause = document.clause(clause_id)
    return " ".join(plain(block.runs) for block in clause.blocks if hasattr(block, "runs"))


# ------------------------------------------------------------------ expansion


def test_the_sample_expands_into_one_checked_draft_per_tier() -> None:
    offer = read_offer(SAMPLE)
    assert [t.tier.id for t in offer.tiers] == ["bronze", "silver", "gold"]
    specs = [t.spec for t in offer.tiers]
    assert [s.agreement.id for s in specs] == [f"NWN-SLA-WAN-015-{t}" for t in ("bronze", "silver", "gold")]
    assert {s.agreement.status.value for s in specs} == {"draft"}
    assert [str(s.services[0].availability.target) for s in specs] == ["99.9%", "99.95%", "99.99%"]
    assert [str(s.services[0].fee) for s in specs] == ["GBP 29,500", "GBP 38,500", "GBP 52,000"]
    assert offer.base_id == "NWN-SLA-WAN-015"


def test_lists_with_ids_merge_by_id_and_other_lists_are_replaced() -> None:
    silver = read_offer(SAMPLE).tiers[1].spec
    p1 = silver.responsiveness.severities[0]
    assert (p1.id, p1.name, str(p1.response)) == ("P1", "Critical", "15 minutes")  # name kept from the base
    assert p1.definition.startswith("A site or data centre")
    assert [s.id for s in silver.responsiveness.severities] == ["P1", "P2", "P3", "P4"]
    assert [str(b.credit) for b in silver.service_credits.bands] == ["5%", "10%", "20%", "30%"]  # replaced whole


def test_a_new_id_is_appended_and_null_removes_a_key(tmp_path: Path) -> None:
    p5 = {
        "id": "P5",
        "name": "Planning",
        "definition": "A request to plan a change.",
        "response": "3 business days",
        "resolution": "20 business days",
    }
    high = {"responsiveness": {"severities": [p5]}, "service_credits": {"chronic_failure": None}}
    checked = check_offer(write(tmp_path, two_tiers({}, high)), OfferOptions())
    low, high_spec = (t.spec for t in checked.offer.tiers)
    assert [s.id for s in high_spec.responsiveness.severities] == ["P1", "P2", "P3", "P4", "P5"]
    assert low.service_credits.chronic_failure is not None
    assert high_spec.service_credits.chronic_failure is None


def test_every_merged_value_is_located_where_it_was_written(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    offer = read_offer(SAMPLE)
    bronze, silver, _ = offer.tiers
    target = ("services", 0, "availability", "target")
    assert silver.source.locate(target)[0] == line_of(text, "availability: {target: 99.95%}")
    assert bronze.source.locate(target)[0] == line_of(text, "availability: {target: 99.9%}", after="- id: bronze")
    name = ("responsiveness", "severities", 0, "name")  # not overridden: the base line
    assert silver.source.locate(name)[0] == line_of(text, "name: Critical")
    per_year = ("service_credits", "caps", "per_year")  # from the envelope's preferred value
    assert bronze.source.locate(per_year)[0] == line_of(text, "preferred: 10%")


def test_a_tier_error_is_located_at_its_line_and_names_the_tier(tmp_path: Path) -> None:
    text = two_tiers({}, {"services": [{"id": "wan", "availability": {"target": "lots"}}]})
    problems = problems_of(write(tmp_path, text))
    assert len(problems) == 1
    problem = problems[0]
    assert problem.line == line_of(text, "target: lots", after="- id: high")
    assert problem.path == "services[0].availability.target" and problem.message.startswith("tier high:")


def test_a_base_error_is_reported_once_for_every_tier(tmp_path: Path) -> None:
    text = two_tiers({}, {}).replace("frequency: quarterly", "frequency: daily")
    problems = problems_of(write(tmp_path, text))
    assert len(problems) == 1
    assert problems[0].message.startswith("tiers low, high:")
    assert problems[0].line == line_of(text, "frequency: daily")


def test_a_misspelt_override_key_gets_a_suggestion(tmp_path: Path) -> None:
    text = two_tiers({}, {"services": [{"id": "wan", "availabilty": {"target": "99.95%"}}]})
    (problem,) = problems_of(write(tmp_path, text))
    assert "did you mean 'availability'" in problem.message
    assert problem.line == line_of(text, "availabilty:", after="- id: high")


def test_an_item_of_an_id_list_without_id_is_an_error(tmp_path: Path) -> None:
    text = two_tiers({}, {"responsiveness": {"severities": [{"response": "10m"}]}})
    problems = problems_of(write(tmp_path, text))
    assert any(
        p.code == "tier-merge" and p.line == line_of(text, "response: 10m", after="- id: high") for p in problems
    )


def test_offer_structure_errors_suggest_keys(tmp_path: Path) -> None:
    text = offer_text([{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], {"reporting.due": {"prefered": "5d"}})
    problems = problems_of(write(tmp_path, text))
    messages = [p.message for p in problems]
    assert "unknown key 'prefered'; did you mean 'preferred'?" in messages
    assert "required key 'preferred' is missing" in messages


def test_paths_select_list_items_by_id_or_index() -> None:
    data = {"services": [{"id": "wan", "availability": {"target": 1}}], "bands": [{"credit": 5}]}
    assert locate(data, parse_path("services[wan].availability.target")) == (
        "services",
        0,
        "availability",
        "target",
    )
    assert locate(data, parse_path("bands[0].credit")) == ("bands", 0, "credit")
    assert locate({"positions": {"a.b": "x"}}, parse_path("positions[a.b]")) == ("positions", "a.b")
    with pytest.raises(PathError, match="no item 'lan'"):
        locate(data, parse_path("services[lan].fee"))
    with pytest.raises(PathError):
        parse_path(".services")


# ------------------------------------------------------------------ envelopes


def envelope_offer(low: dict[str, Any], high: dict[str, Any], envelopes: dict[str, Any]) -> str:
    from offer_helpers import with_fee

    return offer_text(
        [
            {"id": "low", "name": "Low", "overrides": with_fee(low, "29500 GBP")},
            {"id": "high", "name": "High", "overrides": with_fee(high, "38500 GBP")},
        ],
        envelopes,
    )


DUE = {"reporting.due": {"preferred": "10 business days", "fallback": "5 business days", "limit": "3 business days"}}


@pytest.mark.parametrize(("position", "low_due"), [("preferred", "10 business days"), ("fallback", "5 business days")])
def test_position_picks_the_envelope_value_where_a_tier_does_not_set_the_term(
    tmp_path: Path, position: str, low_due: str
) -> None:
    text = envelope_offer({}, {"reporting": {"due": "4 business days"}}, DUE)
    checked = check_offer(write(tmp_path, text), OfferOptions(position=position))  # type: ignore[arg-type]
    low, high = (t.spec for t in checked.offer.tiers)
    assert str(low.reporting.due) == low_due
    assert str(high.reporting.due) == "4 business days"  # set by the tier: the envelope does not touch it
    where = checked.offer.tiers[0].source.locate(("reporting", "due"))[0]
    assert where == line_of(text, f"{position}: {low_due}")
    (reading,) = [r for r in checked.readings if r.envelope.path == "reporting.due"]
    assert [p.where for p in reading.placements] == [
        "at preferred" if position == "preferred" else "at fallback",
        "between fallback and limit",
    ]


def test_the_fallback_reaches_the_composed_draft(tmp_path: Path) -> None:
    path = write(tmp_path, envelope_offer({}, {}, {}))
    for position, deadline in (("preferred", "30 days"), ("fallback", "45 days")):
        documents = offer_documents(path, OfferOptions(position=position))  # type: ignore[arg-type]
        draft = documents.documents["NWN-SLA-WAN-015-low-v1.0"]
        assert f"no later than {deadline} after the end" in clause_text(draft, "penalties.claims")


def test_a_draft_beyond_a_limit_is_an_error_at_its_line(tmp_path: Path) -> None:
    text = envelope_offer({}, {"reporting": {"due": "2 business days"}}, DUE)
    (problem,) = problems_of(write(tmp_path, text))
    assert problem.code == "beyond-limit" and problem.path == "reporting.due"
    assert problem.line == line_of(text, "due: 2 business days", after="- id: high")
    assert (
        "tier high" in problem.message and "2 business days" in problem.message and "3 business days" in problem.message
    )


def test_allow_beyond_limit_drafts_it_and_the_sheet_says_so(tmp_path: Path) -> None:
    text = envelope_offer({}, {"reporting": {"due": "2 business days"}}, DUE)
    documents = offer_documents(write(tmp_path, text), OfferOptions(allow_beyond_limit=True))
    assert documents.crossings == ["high: reporting.due = 2 business days"]
    sheet = documents.documents["NWN-SLA-WAN-015-negotiation-INTERNAL-v1.0"]
    limits = sheet.clause("sheet.limits")
    texts = [plain(cell) for block in limits.blocks for row in getattr(block, "rows", ()) for cell in row]
    assert texts == ["High", "reporting.due", "2 business days", "3 business days"]
    assert "--allow-beyond-limit" in clause_text(sheet, "sheet.limits")


def test_switching_to_the_fallback_can_break_the_tier_order(tmp_path: Path) -> None:
    caps = {"service_credits.caps.per_window": {"preferred": "15%", "fallback": "30%", "limit": "40%"}}
    text = envelope_offer({}, {"service_credits": {"caps": {"per_window": "20%"}}}, caps)
    path = write(tmp_path, text)
    check_offer(path, OfferOptions())
    (problem,) = problems_of(path, position="fallback")
    assert problem.code == "tier-order" and problem.path == "service_credits.caps.per_window"
    assert "30%" in problem.message and "20%" in problem.message
    assert problem.line == line_of(text, "per_window: 20%", after="- id: high")


@pytest.mark.parametrize(
    ("envelope", "needle", "message"),
    [
        (
            {"preferred": "5 business days", "fallback": "10 business days", "limit": "3 business days"},
            "reporting.due:",
            "out of order",
        ),
        (
            {"preferred": "soon", "fallback": "5 business days", "limit": "3 business days"},
            "preferred: soon",
            "expected a duration",
        ),
        (
            {"preferred": "10 business days", "fallback": "5d", "limit": "3 business days"},
            "reporting.due:",
            "cannot be compared",
        ),
    ],
)
def test_bad_envelopes_are_errors_at_the_envelope(tmp_path: Path, envelope: Any, needle: str, message: str) -> None:
    text = envelope_offer({}, {}, {"reporting.due": envelope})
    (problem,) = problems_of(write(tmp_path, text))
    assert message in problem.message
    assert problem.line == line_of(text, needle, after="envelopes:")


def test_an_envelope_on_an_unknown_path_or_direction_is_an_error(tmp_path: Path) -> None:
    text = envelope_offer({}, {}, {"services[lan].fee": {"preferred": "1 GBP", "fallback": "1 GBP", "limit": "1 GBP"}})
    (problem,) = problems_of(write(tmp_path, text))
    assert "no item 'lan'" in problem.message and problem.line == line_of(text, "services[lan].fee:")
    notice = {"preferred": "90 days", "fallback": "60 days", "limit": "30 days"}
    text = envelope_offer({}, {}, {"agreement.term.termination_notice": notice})
    (problem,) = problems_of(write(tmp_path, text))
    assert problem.code == "envelope-direction"
    text = envelope_offer({}, {}, {"agreement.term.termination_notice": {**notice, "better": "lower"}})
    checked = check_offer(write(tmp_path, text), OfferOptions())
    (reading,) = [r for r in checked.readings if r.envelope.path == "agreement.term.termination_notice"]
    assert [p.where for p in reading.placements] == ["at preferred", "at preferred"]


# ------------------------------------------------------------------ positions and the documents


@pytest.fixture(scope="module")
def sample_documents() -> Any:
    return offer_documents(SAMPLE, OfferOptions())


def test_positions_per_tier_reach_the_composed_document(sample_documents: Any) -> None:
    docs = sample_documents.documents
    bronze, gold = docs["NWN-SLA-WAN-015-bronze-v1.0"], docs["NWN-SLA-WAN-015-gold-v1.0"]
    assert bronze.clause("penalties.sole-remedy").position == "standard"
    assert gold.clause("penalties.sole-remedy").position == "customer-favourable"
    assert bronze.clause("penalties.caps").position == "provider-favourable"  # the envelope's preferred wording
    assert gold.clause("penalties.caps").position == "standard"  # set by the tier


def test_the_fallback_position_changes_the_wording_of_untouched_tiers() -> None:
    docs = offer_documents(SAMPLE, OfferOptions(position="fallback")).documents
    assert docs["NWN-SLA-WAN-015-bronze-v1.0"].clause("penalties.caps").position == "standard"


def test_drafts_carry_their_tier_and_the_offer_validity(sample_documents: Any) -> None:
    meta = sample_documents.documents["NWN-SLA-WAN-015-gold-v1.0"].meta
    assert meta.is_draft and meta.agreement_id == "NWN-SLA-WAN-015-gold"
    assert "Gold tier offer" in (meta.subtitle or "") and "offer valid until 28 May 2027" in (meta.subtitle or "")
    assert meta.classification == "Commercial in confidence \u00b7 Offer valid until 28 May 2027"


def test_the_internal_sheet_is_marked_in_title_header_and_classification(sample_documents: Any) -> None:
    meta = sample_documents.documents["NWN-SLA-WAN-015-negotiation-INTERNAL-v1.0"].meta
    assert INTERNAL in meta.title and INTERNAL in meta.running_header and meta.classification == INTERNAL
    assert not meta.is_draft


def test_the_sample_head_is_a_whole_base_spec() -> None:
    assert "\nbase:\n" in head() and "\ntiers:" not in head()
