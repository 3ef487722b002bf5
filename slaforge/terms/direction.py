"""Which way is better for the customer, for every comparable field of the spec: the one source.

Version comparison (``slaforge diff``) reads it to say whether a change is better or worse for the
customer, negotiation envelopes to know which end of an envelope gives the customer most, and the
ordering of tiers and of portfolio levels to know what "at least as good" means.  Keys are the
dotted paths of the spec's fields without list selectors (``services.availability.target``, not
``services[wan].availability.target``); a test checks that every field that can be compared has
an entry and that no entry names a field the spec does not have.
"""

from __future__ import annotations

from enum import StrEnum

from slaforge.spec.paths import field_of


class Better(StrEnum):
    """Which value of a field is better for the customer."""

    higher = "higher"  # a higher percentage, a longer duration, more money, more prime hours, a better rank
    lower = "lower"  # a lower fee, a shorter response time, a smaller threshold
    more = "more"  # more items in the list (or the section present at all)
    fewer = "fewer"  # fewer items (exclusions, duties of the customer)
    true = "true"  # true is better (maintenance outside prime hours)
    false = "false"  # false is better (credits as the sole remedy)
    neither = "neither"  # can be compared, but neither way is better for the customer


DIRECTIONS: dict[str, Better] = {
    # the agreement itself: its term and notices bind both parties alike
    "agreement.term.initial": Better.neither,
    "agreement.term.renewal_period": Better.neither,
    "agreement.term.termination_notice": Better.neither,
    "provider.internal": Better.neither,
    "customers.internal": Better.neither,
    # services and their availability
    "services": Better.neither,
    "services.scope": Better.more,
    "services.out_of_scope": Better.fewer,
    "services.hours": Better.higher,  # compared by the prime minutes a week of the calendar named
    "services.support_hours": Better.higher,
    "services.fee": Better.lower,
    "services.availability.target": Better.higher,
    "services.availability.service_hours_only": Better.false,
    "services.availability.exclusions": Better.fewer,
    "services.availability.downtime.error_rate_threshold": Better.lower,
    "services.availability.downtime.minimum_period": Better.lower,
    "services.availability.downtime.failed_request_ratio": Better.lower,
    "services.availability.maintenance.notice": Better.higher,
    "services.availability.maintenance.emergency_notice": Better.higher,
    "services.availability.maintenance.max_per_month": Better.lower,
    "services.availability.maintenance.outside_prime_hours": Better.true,
    "services.availability.credits": Better.more,
    "services.availability.credits.bands": Better.more,
    "services.availability.credits.bands.at_least": Better.neither,  # the bands compare as a whole
    "services.availability.credits.bands.above": Better.neither,
    "services.availability.credits.bands.below": Better.neither,
    "services.availability.credits.bands.at_most": Better.neither,
    "services.availability.credits.bands.credit": Better.higher,
    "services.availability.credits.credit_at_target": Better.true,
    "services.availability.credits.gaps": Better.fewer,
    "services.availability.credits.gaps.at": Better.neither,
    "services.availability.credits.gaps.at_least": Better.neither,
    "services.availability.credits.gaps.above": Better.neither,
    "services.availability.credits.gaps.below": Better.neither,
    "services.availability.credits.gaps.at_most": Better.neither,
    "service_hours.always": Better.neither,  # a calendar is better only for what counts in it
    "service_hours.spans.business": Better.neither,  # which span business time counts in, not more or less
    # responsiveness, problem reporting, escalation
    "responsiveness.hours": Better.higher,
    "responsiveness.severities": Better.neither,
    "responsiveness.severities.response": Better.lower,
    "responsiveness.severities.update": Better.lower,
    "responsiveness.severities.resolution": Better.lower,
    "responsiveness.severities.attainment": Better.higher,
    "problem_reporting.channels": Better.more,
    "problem_reporting.channels.hours": Better.higher,
    "problem_reporting.required_information": Better.fewer,
    "problem_reporting.acknowledgement": Better.lower,
    "escalation": Better.more,
    "escalation.level": Better.neither,
    "escalation.after": Better.lower,
    # monitoring and reporting
    "monitoring.metrics": Better.more,
    "monitoring.interval": Better.lower,
    "monitoring.retention": Better.higher,
    "reporting.frequency": Better.higher,  # compared by the reports a year
    "reporting.due": Better.lower,
    "reporting.contents": Better.more,
    "reporting.review_meetings.frequency": Better.higher,
    "restrictions": Better.fewer,
    "restrictions.voids_agreement": Better.false,
    # service credits
    "service_credits": Better.more,
    "service_credits.fee": Better.lower,
    "service_credits.bands": Better.more,
    "service_credits.bands.at_least": Better.neither,  # the bands compare as a whole, level by level
    "service_credits.bands.above": Better.neither,
    "service_credits.bands.below": Better.neither,
    "service_credits.bands.at_most": Better.neither,
    "service_credits.bands.credit": Better.higher,
    "service_credits.credit_at_target": Better.true,
    "service_credits.gaps": Better.fewer,
    "service_credits.gaps.at": Better.neither,
    "service_credits.gaps.at_least": Better.neither,
    "service_credits.gaps.above": Better.neither,
    "service_credits.gaps.below": Better.neither,
    "service_credits.gaps.at_most": Better.neither,
    "service_credits.downtime_multiple": Better.higher,
    "service_credits.per_event": Better.more,
    "service_credits.per_event.credit": Better.higher,
    "service_credits.per_event.credit_percent": Better.higher,
    "service_credits.caps.per_window": Better.higher,
    "service_credits.caps.per_month": Better.higher,
    "service_credits.caps.per_year": Better.higher,
    "service_credits.caps.per_year_amount": Better.higher,
    "service_credits.minimum_payable": Better.lower,
    "service_credits.minimum_exclusive": Better.false,  # "greater than USD 1" also withholds exactly USD 1
    "service_credits.claim.deadline": Better.higher,
    "service_credits.claim.evidence": Better.fewer,
    "service_credits.claim.answer_within": Better.lower,
    "service_credits.claim.cash": Better.true,
    "service_credits.sole_remedy": Better.false,
    "service_credits.chronic_failure": Better.more,
    "service_credits.chronic_failure.failed_periods": Better.lower,
    "service_credits.chronic_failure.out_of": Better.higher,
    "service_credits.chronic_failure.notice": Better.lower,
    "service_credits.chronic_failure.notice_within": Better.higher,
    "service_credits.chronic_failure.refund": Better.true,
    "service_credits.other_remedies": Better.more,
    # duties, change and disputes
    "responsibilities.provider": Better.more,
    "responsibilities.customer": Better.fewer,
    "change_control.impact_assessment": Better.lower,
    "disputes.negotiation_period": Better.neither,
    "positions": Better.higher,  # provider-favourable < standard < customer-favourable
}


# format 1's ``availability`` is one commitment: every commitment field compares as it does
DIRECTIONS.update(
    {
        "services.commitments": Better.more,
        **{
            "services.commitments." + key.removeprefix("services.availability."): way
            for key, way in DIRECTIONS.items()
            if key.startswith("services.availability.")
        },
    }
)


def better(field: str) -> Better:
    """Which way is better for the customer for ``field`` (a path without list selectors)."""
    return DIRECTIONS.get(field, Better.neither)


def envelope_direction(path: str) -> Better | None:
    """For a negotiation envelope at ``path``: higher or lower, or None when neither is known."""
    found = better(field_of(path))
    return found if found in (Better.higher, Better.lower) else None
