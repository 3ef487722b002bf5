"""The agreement spec: what a service level manager writes, as pydantic models.

Every model forbids unknown keys (a misspelt key is an error that suggests the
closest valid one).  Field descriptions feed ``slaforge schema`` and the spec
reference in the README.  Cross-field rules that need the whole spec (credit
bands without gaps, severity order, ...) live in :mod:`slaforge.spec.checks`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr, field_validator, model_validator

from slaforge.spec.base import Identifier, Model, Text
from slaforge.spec.calendars import ServiceHours, Site, TimeWindow, every_year_day
from slaforge.spec.units import DurationValue, MoneyValue, Percent, format_percent

SPEC_FORMAT = 1


# ------------------------------------------------------------------ metadata


class Level(StrEnum):
    corporate = "corporate"
    customer = "customer"
    service = "service"


class Status(StrEnum):
    draft = "draft"
    final = "final"


def _number_as_text(value: object) -> object:
    """``version: 1.10`` written unquoted: the loader keeps the digits as written (``1.10``, not ``1.1``)."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class HistoryEntry(Model):
    version: Text = Field(description="Version label, e.g. 1.0")
    date: dt.date = Field(description="Date of the version")
    author: Text = Field(description="Who made the version")
    summary: Text = Field(description="What changed in this version")

    _version_as_text = field_validator("version", mode="before")(_number_as_text)


class Term(Model):
    initial: DurationValue = Field(description="Initial term, e.g. 36 months or P3Y (calendar months)")
    renewal: Literal["automatic", "by-agreement", "none"] = Field(
        "automatic", description="automatic, by-agreement or none"
    )
    renewal_period: DurationValue | None = Field(None, description="Length of each renewal, e.g. 365d")
    termination_notice: DurationValue = Field(description="Notice either party gives to end the agreement")


class Review(Model):
    cadence: Literal["monthly", "quarterly", "half-yearly", "annual"] = Field(
        "annual", description="How often the agreement is reviewed"
    )
    next_review: dt.date | None = Field(None, description="Date of the next review")


class Person(Model):
    name: Text = Field(description="Full name (or the name of a team or desk)")
    title: str | None = Field(None, description="Job title")
    email: str | None = Field(None, description="E-mail address")
    phone: str | None = Field(None, description="Telephone number, as printed")


class Branding(Model):
    logo: str | None = Field(None, description="Image file, relative to the spec file")
    colour: str | None = Field(None, pattern=r"^#[0-9A-Fa-f]{6}$", description="Brand colour, #RRGGBB")


class Agreement(Model):
    id: Identifier = Field(description="Agreement reference, e.g. NW-SLA-001; names the output files")
    title: Text = Field(description="Title on the cover and in file metadata")
    version: Annotated[str, Field(pattern=r"^\d{1,6}(\.\d{1,6}){0,2}$", description="e.g. 1.2")]
    status: Status = Field(Status.draft, description="draft or final; a draft carries a DRAFT watermark")
    effective: dt.date = Field(description="Effective date")
    term: Term = Field(description="How long the agreement runs, how it renews and the notice to end it")
    review: Review = Field(Review(), description="How often the agreement is reviewed")
    owner: Person = Field(description="Document owner (usually the service level manager)")
    classification: str | None = Field(None, description="e.g. 'Commercial in confidence'")
    history: list[HistoryEntry] = Field(default_factory=list, description="Version history, oldest first")
    governing_law: Text = Field("England and Wales", description="Law that governs the agreement")
    branding: Branding = Field(Branding(), description="Logo and brand colour of the documents")

    _version_as_text = field_validator("version", mode="before")(_number_as_text)


# ------------------------------------------------------------------ parties


class ContactRole(StrEnum):
    customer_representative = "customer-representative"
    service_level_manager = "service-level-manager"
    escalation_contact = "escalation-contact"
    service_desk = "service-desk"
    account_manager = "account-manager"
    technical_contact = "technical-contact"
    signatory = "signatory"


class Contact(Person):
    role: ContactRole = Field(description="What the contact is for, e.g. service-desk or signatory")


class Party(Model):
    id: Identifier
    name: Text = Field(description="Legal name")
    short_name: str | None = Field(None, description="How the text refers to the party, e.g. 'Northwind'")
    address: Text = Field(description="Registered or postal address")
    registration: str | None = Field(
        None,
        description="Company number or other registration, printed as written after the name, e.g. "
        "'registered in England and Wales, company number 08812345'",
    )
    internal: bool = Field(False, description="True for a department of the provider's own organisation")
    contacts: list[Contact] = Field(
        description="Named contacts: representatives, desks, signatories", default_factory=list
    )

    def contact(self, role: ContactRole) -> Contact | None:
        return next((c for c in self.contacts if c.role == role), None)


class Customer(Party):
    hours: Identifier | None = Field(
        None, description="The service_hours calendar of the customer's local support hours, when support follows them"
    )


# ------------------------------------------------------------------ availability


class Window(StrEnum):
    calendar_month = "calendar-month"
    fixed_30_days = "30-days"
    calendar_quarter = "calendar-quarter"
    fiscal_quarter = "fiscal-quarter"
    rolling_year = "rolling-year"


class DowntimeKind(StrEnum):
    no_service_minutes = "no-service-minutes"
    error_rate = "error-rate"
    contiguous = "contiguous"
    failed_requests = "failed-requests"


class DowntimeDefinition(Model):
    kind: DowntimeKind = Field(
        DowntimeKind.no_service_minutes,
        description="no-service-minutes: whole minutes without service; error-rate: minutes whose error "
        "rate exceeds a threshold; contiguous: outages of at least a minimum period; failed-requests: "
        "the ratio of failed requests",
    )
    error_rate_threshold: Percent | None = Field(None, description="For error-rate: e.g. 5%")
    minimum_period: DurationValue | None = Field(None, description="For contiguous: e.g. 5m")
    failed_request_ratio: Percent | None = Field(None, description="For failed-requests: e.g. 1%")

    @model_validator(mode="after")
    def _parameters_for_kind(self) -> DowntimeDefinition:
        needed = {
            DowntimeKind.error_rate: "error_rate_threshold",
            DowntimeKind.contiguous: "minimum_period",
            DowntimeKind.failed_requests: "failed_request_ratio",
        }.get(self.kind)
        if needed and getattr(self, needed) is None:
            raise ValueError(f"a downtime definition of kind {self.kind.value} needs '{needed}'")
        return self


class Exclusion(StrEnum):
    scheduled_maintenance = "scheduled-maintenance"
    emergency_maintenance = "emergency-maintenance"
    force_majeure = "force-majeure"
    customer_caused = "customer-caused"
    third_party = "third-party"
    suspended_account = "suspended-account"
    beta_features = "beta-features"
    over_quota = "over-quota"


class Maintenance(Model):
    windows: list[TimeWindow] = Field(default_factory=list, description="Scheduled maintenance windows")
    notice: DurationValue = Field(description="Advance notice of scheduled maintenance, e.g. 5 business days")
    emergency_notice: DurationValue | None = Field(None, description="Notice of emergency maintenance")
    max_per_month: DurationValue | None = Field(None, description="Most scheduled maintenance in a month")
    outside_prime_hours: bool = Field(True, description="Windows must not overlap prime service hours")


# ------------------------------------------------------------------ credit tables


class CreditBand(Model):
    """A band of achieved availability and the credit it earns.

    The lower bound is ``at_least`` (inclusive) or ``above`` (exclusive); the
    upper bound is ``below`` (exclusive) or ``at_most`` (inclusive).  A band
    with no lower bound reaches down to 0%.
    """

    at_least: Percent | None = Field(None, description="Inclusive lower bound")
    above: Percent | None = Field(None, description="Exclusive lower bound")
    below: Percent | None = Field(None, description="Exclusive upper bound")
    at_most: Percent | None = Field(None, description="Inclusive upper bound")
    credit: Percent = Field(description="Credit as a percentage of the fee for the measurement window")

    @model_validator(mode="after")
    def _one_bound_each_side(self) -> CreditBand:
        if self.at_least is not None and self.above is not None:
            raise ValueError("give either 'at_least' (inclusive) or 'above' (exclusive), not both")
        if (self.below is None) == (self.at_most is None):
            raise ValueError("give exactly one upper bound: 'below' (exclusive) or 'at_most' (inclusive)")
        if self.lower >= self.upper and not (
            self.lower == self.upper and self.lower_inclusive and self.upper_inclusive
        ):
            raise ValueError(
                f"the band's lower bound {format_percent(self.lower)} is not below its upper bound "
                f"{format_percent(self.upper)}"
            )
        return self

    @property
    def lower(self) -> Decimal:
        value = self.at_least if self.at_least is not None else self.above
        return value if value is not None else Decimal(0)

    @property
    def lower_inclusive(self) -> bool:
        return self.above is None

    @property
    def upper(self) -> Decimal:
        value = self.below if self.below is not None else self.at_most
        assert value is not None
        return value

    @property
    def upper_inclusive(self) -> bool:
        return self.at_most is not None

    def contains(self, availability: Decimal) -> bool:
        above_lower = availability >= self.lower if self.lower_inclusive else availability > self.lower
        below_upper = availability <= self.upper if self.upper_inclusive else availability < self.upper
        return above_lower and below_upper


class DeclaredGap(Model):
    """A gap in a credit table that the author wrote on purpose: one value (``at``) or a range.

    Availability inside it misses the target and earns no credit; the checks then accept the gap.
    """

    at: Percent | None = Field(None, description="One value that matches no band, e.g. 99.0%")
    at_least: Percent | None = Field(None, description="Inclusive lower end of a range")
    above: Percent | None = Field(None, description="Exclusive lower end of a range")
    below: Percent | None = Field(None, description="Exclusive upper end of a range")
    at_most: Percent | None = Field(None, description="Inclusive upper end of a range")
    reason: Text | None = Field(None, description="Why, e.g. 'as published: exactly 99.0% matches no row'")

    @model_validator(mode="after")
    def _one_value_or_a_range(self) -> DeclaredGap:
        ends = (self.at_least, self.above, self.below, self.at_most)
        if self.at is not None:
            if any(end is not None for end in ends):
                raise ValueError("give either 'at' (one value) or the ends of a range, not both")
            return self
        if (self.at_least is None) == (self.above is None):
            raise ValueError("give 'at', or one lower end ('at_least' or 'above') and one upper end")
        if (self.below is None) == (self.at_most is None):
            raise ValueError("give 'at', or one upper end ('below' or 'at_most') and one lower end")
        closed = self.lower_inclusive and self.upper_inclusive
        if self.lower > self.upper or (self.lower == self.upper and not closed):
            raise ValueError(
                f"the gap's lower end {format_percent(self.lower)} is not below its upper end "
                f"{format_percent(self.upper)}"
            )
        return self

    @property
    def lower(self) -> Decimal:
        value = self.at if self.at is not None else self.at_least if self.at_least is not None else self.above
        assert value is not None
        return value

    @property
    def lower_inclusive(self) -> bool:
        return self.above is None

    @property
    def upper(self) -> Decimal:
        value = self.at if self.at is not None else self.below if self.below is not None else self.at_most
        assert value is not None
        return value

    @property
    def upper_inclusive(self) -> bool:
        return self.below is None


class CreditTable(Model):
    """Credit bands as the agreement publishes them, with the author's declared departures from a seamless table."""

    bands: list[CreditBand] = Field(min_length=1, description="Availability bands, any order")
    credit_at_target: bool = Field(
        False,
        description="A band may reach the target itself ('at most 99.9%' while the target is 99.9%): "
        "availability exactly at the target meets it and still earns that band's credit",
    )
    gaps: list[DeclaredGap] = Field(
        default_factory=list, description="Gaps between bands written on purpose: availability there earns no credit"
    )


# ------------------------------------------------------------------ commitments


class Availability(Model):
    target: Percent = Field(description="Availability target, e.g. 99.95%")
    window: Window = Field(Window.calendar_month, description="Measurement window")
    fiscal_year_start: str | None = Field(
        None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$", description="MM-DD, for fiscal-quarter"
    )
    service_hours_only: bool = Field(False, description="Count only minutes inside the service's prime hours")
    downtime: DowntimeDefinition = Field(DowntimeDefinition(), description="What counts as downtime")
    exclusions: list[Exclusion] = Field(
        default_factory=lambda: [Exclusion.scheduled_maintenance, Exclusion.force_majeure, Exclusion.customer_caused],
        description="Time that does not count as downtime",
    )
    maintenance: Maintenance | None = Field(None, description="Scheduled maintenance: when, with how much notice")
    measured_at: str | None = Field(None, description="Where availability is measured, e.g. 'the customer edge router'")
    credits: CreditTable | None = Field(
        None,
        description="This commitment's own credit table, instead of the one in 'service_credits' "
        "(when services have different targets)",
    )

    @field_validator("fiscal_year_start")
    @classmethod
    def _real_day(cls, value: str | None) -> str | None:
        return every_year_day(value, "04-01") if value is not None else None

    @model_validator(mode="after")
    def _fiscal(self) -> Availability:
        if self.window == Window.fiscal_quarter and not self.fiscal_year_start:
            raise ValueError("a fiscal-quarter window needs 'fiscal_year_start' (MM-DD, e.g. 04-01)")
        return self


FORMAT_1_COMMITMENT = "availability"  # the id of the one commitment that format 1's ``availability`` writes


class Commitment(Availability):
    """One promise a service makes: a target over a measurement window, measured one way.

    A service that makes one promise writes it as ``availability``; one that makes several (a
    region-level and an instance-level promise, say) lists them under ``commitments``, each with
    its own id.
    """

    id: Identifier = Field(description="Names the commitment within its service, e.g. region-level")
    name: Text | None = Field(None, description="How the text names the commitment, e.g. 'Region-Level SLA'")


# ------------------------------------------------------------------ services


def _availability_not_null(schema: dict[str, Any]) -> None:
    """In the schema an editor reads, ``availability`` is a mapping or absent, never ``null``."""
    field = schema["properties"]["availability"]
    field["$ref"] = next(o["$ref"] for o in field.pop("anyOf") if "$ref" in o)
    field.pop("default", None)


class Service(Model):
    id: Identifier
    name: Text = Field(description="Name of the service, as the text calls it")
    description: Text = Field(description="What the service is, in a sentence or two")
    scope: list[Text] = Field(default_factory=list, description="What the service includes")
    out_of_scope: list[Text] = Field(default_factory=list, description="What it does not include")
    dependencies: list[Text] = Field(default_factory=list, description="What the service relies on")
    hours: Identifier = Field(description="Key of the service_hours calendar that applies")
    support_hours: Identifier | None = Field(None, description="Calendar for support, if not 'hours'")
    model_config = ConfigDict(**Model.model_config, json_schema_extra=_availability_not_null)

    availability: Availability | None = Field(
        None, description="The service's availability commitment, when it makes one; for several, write 'commitments'"
    )
    commitments: list[Commitment] = Field(
        default_factory=list,
        description="The service's commitments, each with its own id, target, window and measurement "
        "(instead of 'availability')",
    )
    supplier: str | None = Field(None, description="Supplier that underpins the service, if any")
    customers: list[Identifier] = Field(
        default_factory=list, description="Customer ids that take this service (all when empty)"
    )
    fee: MoneyValue | None = Field(None, description="Service fee per measurement window")

    _all_commitments: tuple[Commitment, ...] = PrivateAttr(())

    def model_post_init(self, context: object) -> None:
        written = []
        if self.availability is not None:
            fields = {name: getattr(self.availability, name) for name in Availability.model_fields}
            written.append(Commitment(id=FORMAT_1_COMMITMENT, **fields))
        self._all_commitments = (*written, *self.commitments)

    @property
    def all_commitments(self) -> tuple[Commitment, ...]:
        """Every commitment of the service, format 1's ``availability`` (id ``availability``) first."""
        return self._all_commitments

    @property
    def fee_window(self) -> Window:
        """The window its ``fee`` is for: the window of its first commitment (a calendar month without one)."""
        return self._all_commitments[0].window if self._all_commitments else Window.calendar_month


# ------------------------------------------------------------------ responsiveness


class SeverityLevel(Model):
    id: Identifier = Field(description="e.g. P1")
    name: Text = Field(description="e.g. Critical")
    definition: Text = Field(description="What makes an incident this severity")
    examples: list[Text] = Field(description="Examples of incidents of this severity", default_factory=list)
    response: DurationValue = Field(description="Time to respond, e.g. 30 min or 4 business hours")
    update: DurationValue | None = Field(None, description="Interval between progress updates")
    resolution: DurationValue | None = Field(
        None, description="Time to resolve, e.g. 4h; none when the agreement sets no resolution target for the severity"
    )
    attainment: Percent | None = Field(None, description="Share of tickets that must meet the targets")


class Responsiveness(Model):
    hours: Identifier = Field(description="Calendar that business-time targets count in")
    severities: list[SeverityLevel] = Field(min_length=1, description="Most severe first")


# ------------------------------------------------------------------ problem reporting, escalation


class Channel(Model):
    kind: Literal["phone", "email", "portal", "chat", "api"] = Field(description="phone, email, portal, chat or api")
    address: Text = Field(description="Number, address or URL")
    hours: Identifier | None = Field(None, description="Calendar when the channel is staffed; always when empty")
    severities: list[Identifier] = Field(default_factory=list, description="Severities it is for; all when empty")


class ProblemReporting(Model):
    channels: list[Channel] = Field(description="How incidents are reported", min_length=1)
    required_information: list[Text] = Field(min_length=1, description="What every report must contain")
    acknowledgement: DurationValue | None = Field(None, description="Time to acknowledge a report")
    reference_format: str | None = Field(None, description="e.g. 'INC-nnnnnn'")


class EscalationLevel(Model):
    level: int = Field(description="1 for the first level, 2 for the next, ...", ge=1)
    role: Text = Field(description="Who is escalated to at this level, e.g. Service Delivery Manager")
    contact: str | None = Field(None, description="How to reach them: a name, an address or a number")
    after: DurationValue | None = Field(None, description="Escalate when unresolved this long")
    trigger: str | None = Field(None, description="When to escalate, in words")


# ------------------------------------------------------------------ monitoring and reporting


class Monitoring(Model):
    measured_by: Literal["provider", "customer", "independent"] = Field(
        "provider", description="Who measures: provider, customer or an independent party"
    )
    tools: list[Text] = Field(description="Tools used to measure", default_factory=list)
    interval: DurationValue | None = Field(None, description="Probe interval, e.g. 1m")
    metrics: list[Text] = Field(description="What is measured", min_length=1)
    customer_access: str | None = Field(None, description="Where the customer sees live data")
    retention: DurationValue | None = Field(None, description="How long measurements are kept")


class ReviewMeetings(Model):
    frequency: Literal["monthly", "quarterly", "half-yearly", "annual"] = Field(
        description="How often the meetings are held"
    )
    attendees: list[Text] = Field(description="Who attends", default_factory=list)


class Reporting(Model):
    frequency: Literal["weekly", "monthly", "quarterly"] = Field(
        "monthly", description="How often service reports are due"
    )
    due: DurationValue = Field(description="How long after the period ends the report is due")
    delivery: list[Literal["portal", "email", "meeting"]] = Field(
        description="How reports reach the customer: portal, email or meeting", min_length=1
    )
    contents: list[Text] = Field(description="What each report contains", default_factory=list)
    review_meetings: ReviewMeetings | None = Field(None, description="Regular service review meetings")


# ------------------------------------------------------------------ restrictions


class Restriction(Model):
    kind: Literal[
        "force-majeure",
        "customer-caused",
        "suspended-account",
        "beta-features",
        "over-quota",
        "third-party",
        "unsupported-configuration",
        "other",
    ] = Field(description="What kind of restriction")
    detail: str | None = Field(None, description="Extra words for this restriction")
    voids_agreement: bool = Field(False, description="True when the circumstance suspends the whole agreement")


# ------------------------------------------------------------------ penalties


class PerEventCredit(Model):
    event: Literal["missed-response", "missed-resolution", "missed-update", "late-report"] = Field(
        description="The event that earns the credit, e.g. missed-response"
    )
    severities: list[Identifier] = Field(default_factory=list, description="Severities it applies to; all when empty")
    credit: MoneyValue | None = Field(None, description="The credit for each event, e.g. '250 GBP'")
    credit_percent: Percent | None = Field(None, description="Alternatively, a percentage of the fee")

    @model_validator(mode="after")
    def _one_credit(self) -> PerEventCredit:
        if (self.credit is None) == (self.credit_percent is None):
            raise ValueError("give exactly one of 'credit' (money) or 'credit_percent'")
        return self


class CreditCaps(Model):
    per_window: Percent | None = Field(None, description="Cap per measurement window, % of its fee")
    per_month: Percent | None = Field(None, description="Cap per calendar month, % of the monthly fee")
    per_year: Percent | None = Field(None, description="Cap per contract year, % of the annual fee")
    per_year_amount: MoneyValue | None = Field(None, description="Absolute cap per contract year")

    @model_validator(mode="after")
    def _positive(self) -> CreditCaps:
        for name in ("per_window", "per_month", "per_year"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(
                    f"a cap ({name}) of {format_percent(value)} leaves no credit: give a positive percentage"
                )
        return self


class ClaimProcedure(Model):
    deadline: DurationValue = Field(description="Claims must arrive this long after the period ends")
    method: Text = Field(description="How to claim, e.g. 'in writing to the service level manager'")
    evidence: list[Text] = Field(description="What a claim must include", default_factory=list)
    settlement: Text | None = Field(
        None, description="How credits are paid; the clause's own words (a credit against the next invoice) when unset"
    )
    answer_within: DurationValue | None = Field(
        None,
        description="How long the provider has to accept or reject a claim, e.g. 45 days; the clause's own words "
        "(10 business days) when unset",
    )
    cash: bool = Field(
        True,
        description="True: a credit that no later invoice can take is paid out; false: credits are given only "
        "against future invoices, never paid in cash, and lapse when the agreement ends",
    )


class ChronicFailure(Model):
    failed_periods: int = Field(ge=1, description="N failed measurement windows ...")
    out_of: int = Field(ge=1, description="... out of any M consecutive windows")
    remedy: Text | None = Field(
        None, description="What the customer may do; the clause's own words (terminate the affected Service) when unset"
    )
    notice: DurationValue | None = Field(
        None, description="The length of the notice the customer gives to end the agreement, e.g. 30 days"
    )
    notice_within: DurationValue | None = Field(
        None,
        description="How long after the end of the window of the chronic failure the customer may give that notice, "
        "e.g. 30 days; the clause's own words (90 days) when unset",
    )
    refund: bool = Field(
        True, description="Whether the provider refunds charges paid in advance for the time after termination"
    )

    @model_validator(mode="after")
    def _n_of_m(self) -> ChronicFailure:
        if self.failed_periods > self.out_of:
            raise ValueError(f"{self.failed_periods} failed windows cannot occur in only {self.out_of}")
        return self


class SeveralCommitments(StrEnum):
    """How a service that makes several commitments is credited when more than one of them misses in a window."""

    add_up = "add-up"  # the credits under each commitment are added together
    one_commitment = "one-commitment"  # the same downtime is credited under one commitment, not both
    one_per_window = "one-per-window"  # only one credit per service per measurement window
    customer_chooses = "customer-chooses"  # the customer chooses one service level for its claim


class ServiceCredits(Model):
    fee: MoneyValue | None = Field(None, description="Default fee per measurement window for worked examples")
    bands: list[CreditBand] = Field(
        default_factory=list,
        description="Availability bands, any order: the table of every commitment without its own 'credits'",
    )
    credit_at_target: bool = Field(
        False, description="The bands may reach the target itself (see services[].commitments[].credits)"
    )
    gaps: list[DeclaredGap] = Field(
        default_factory=list, description="Gaps between the bands written on purpose: no credit there"
    )
    downtime_multiple: Decimal | None = Field(
        None, gt=0, description="Credit = this multiple of the fee for the minutes of downtime"
    )
    several_commitments: SeveralCommitments | None = Field(
        None,
        description="For a service with several commitments, when more than one misses in a window: add-up "
        "(their credits are added together), one-commitment (credited under one commitment, not both), "
        "one-per-window (one credit per service per window) or customer-chooses (the customer chooses one "
        "service level for its claim); the last three give the largest credit of the service",
    )
    per_event: list[PerEventCredit] = Field(
        description="Credits for each missed target (response, resolution, update, report)", default_factory=list
    )
    caps: CreditCaps = Field(CreditCaps(), description="Limits on the credits")
    minimum_payable: MoneyValue | None = Field(None, description="Credits below this are not paid")
    minimum_exclusive: bool = Field(
        False,
        description="True when a credit is given only if it is greater than the minimum ('greater than USD 1'): "
        "a credit of exactly the minimum is then not paid",
    )
    claim: ClaimProcedure = Field(description="How and by when credits are claimed")
    sole_remedy: bool = Field(True, description="Credits are the customer's sole remedy for missed targets")
    chronic_failure: ChronicFailure | None = Field(
        None, description="The customer's right to end the agreement after repeated failures"
    )
    other_remedies: list[Text] = Field(description="Remedies besides credits", default_factory=list)

    @model_validator(mode="after")
    def _minimum_for_exclusive(self) -> ServiceCredits:
        if self.minimum_exclusive and self.minimum_payable is None:
            raise ValueError("'minimum_exclusive' says how 'minimum_payable' applies: give the minimum as well")
        return self

    def table(self) -> CreditTable | None:
        """The table of every commitment without its own ``credits``: ``bands`` with its declarations."""
        if not self.bands:
            return None
        return CreditTable(bands=self.bands, credit_at_target=self.credit_at_target, gaps=self.gaps)


# ------------------------------------------------------------------ responsibilities, governance


class Responsibilities(Model):
    provider: list[Text] = Field(description="What the provider undertakes", min_length=1)
    customer: list[Text] = Field(description="What the customer undertakes", min_length=1)


class ChangeControl(Model):
    request_by: Text | None = Field(
        None, description="How a change is requested; the clause's own words (written change request) when unset"
    )
    impact_assessment: DurationValue | None = Field(None, description="Time to assess a change request")
    amendment: Text | None = Field(
        None, description="What makes an amendment binding; the clause's own words (in writing, signed) when unset"
    )


class DisputeResolution(Model):
    steps: list[Literal["negotiation", "executive-escalation", "mediation", "arbitration", "courts"]] = Field(
        default_factory=lambda: ["negotiation", "executive-escalation", "mediation", "courts"],
        description="The steps of the dispute procedure, in order",
    )
    negotiation_period: DurationValue = Field(
        description="How long the parties negotiate before the next step",
        default_factory=lambda: _default_duration("20 business days"),
    )
    mediator: str | None = Field(
        None,
        description="The body that nominates the mediator, printed after 'a mediator nominated by', "
        "e.g. 'the Centre for Effective Dispute Resolution (CEDR)'",
    )
    venue: str | None = Field(None, description="Courts or seat of arbitration")


def _default_duration(text: str) -> object:
    from slaforge.spec.units import parse_duration

    return parse_duration(text)


class Policy(Model):
    id: Identifier
    title: Text = Field(description="Title of the policy")
    requirements: list[Text] = Field(description="What the policy requires", min_length=1)
    applies_to: Literal["provider", "customer", "both"] = Field(
        "both", description="Who must comply: provider, customer or both"
    )


class Omission(Model):
    clause: Text = Field(description="The library clause left out, e.g. penalties.chronic-failure")
    reason: Text = Field(description="Why it is left out; shown by 'diff' and in the redline")


# ------------------------------------------------------------------ the spec


class Spec(Model):
    """A whole agreement."""

    slaforge: Literal[1] = Field(SPEC_FORMAT, description="Spec format version")
    level: Level = Field(Level.service, description="ITIL level: corporate, customer or service")
    structure: Literal["service-based", "customer-based", "multi-level"] = Field(
        "service-based",
        description="ITIL structure: one service for every customer, one customer with all its services, or levels",
    )
    agreement: Agreement = Field(description="Reference, title, version, status, dates, term, owner, history")
    provider: Party = Field(description="The party that provides the services")
    customers: list[Customer] = Field(min_length=1, description="The parties that receive them")
    sites: list[Site] = Field(default_factory=list, description="The customers' sites and the calendar each uses")
    services: list[Service] = Field(min_length=1, description="The services and their availability targets")
    service_hours: dict[Identifier, ServiceHours] = Field(min_length=1, description="Named calendars")
    responsiveness: Responsiveness | None = Field(
        None,
        description="Severity levels and their response/resolution targets; omit for an availability-only agreement",
    )
    problem_reporting: ProblemReporting | None = Field(
        None, description="How incidents are reported and acknowledged; omit when the agreement sets no support terms"
    )
    escalation: list[EscalationLevel] = Field(default_factory=list, description="The escalation path, level 1 first")
    monitoring: Monitoring = Field(description="Who measures what, how often, and where the customer sees it")
    reporting: Reporting = Field(description="Service reports and review meetings")
    restrictions: list[Restriction] = Field(
        default_factory=list, description="When the agreement does not apply or becomes void"
    )
    service_credits: ServiceCredits | None = Field(None, description="Omit for no service credits")
    responsibilities: Responsibilities = Field(description="What each party must do")
    change_control: ChangeControl = Field(ChangeControl(), description="Change requests and amendments")
    disputes: DisputeResolution = Field(DisputeResolution(), description="Steps from negotiation to the courts")
    policies: list[Policy] = Field(default_factory=list, description="Corporate policies that apply")
    omit: list[Omission] = Field(
        default_factory=list, description="Clauses of the library that this agreement leaves out, each with its reason"
    )
    clause_dirs: list[str] = Field(default_factory=list, description="Own clause folders, searched first")
    positions: dict[str, str] = Field(
        default_factory=dict, description="Clause id -> position (standard, customer-favourable, ...)"
    )

    @property
    def severities(self) -> list[SeverityLevel]:
        """The severity levels, none in an agreement without ``responsiveness``."""
        return self.responsiveness.severities if self.responsiveness is not None else []

    @property
    def support_hours_key(self) -> str:
        """The calendar that business-time periods of the agreement count in: the support calendar of
        ``responsiveness``, else the support (or service) hours of the first service."""
        if self.responsiveness is not None:
            return self.responsiveness.hours
        first = self.services[0]
        return first.support_hours or first.hours

    @property
    def makes_commitments(self) -> bool:
        """True when some service makes an availability (or other measured) commitment."""
        return any(service.all_commitments for service in self.services)

    def service(self, service_id: str) -> Service:
        for service in self.services:
            if service.id == service_id:
                return service
        raise KeyError(service_id)
