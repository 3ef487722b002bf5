"""The service level report: an :class:`~slaforge.reports.achievement.Achievement` as a Document tree.

Built directly as a tree (as the offer documents are) and rendered by the same
renderers as agreements.  Sections: a plain-language summary with the key
figures; availability per service (downtime used and allowed, excluded time
and why, the outages counted, the trend across the windows of the data);
support responsiveness per severity and the tickets outside target; every
breach; the service credits owed after caps; how it was measured.

Percentages are shown rounded down (99.8999% never reads as 99.9%); every
decision (met, band, credit) is taken on the exact value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from slaforge.arithmetic.business_time import due_after
from slaforge.arithmetic.downtime import SECONDS_PER_DAY
from slaforge.compose.meta import spec_meta
from slaforge.compose.resolve import source_date_epoch
from slaforge.document import (
    Block,
    BulletList,
    Chart,
    ChartSeries,
    Clause,
    Document,
    DocumentMeta,
    Inline,
    ListItem,
    Run,
    Section,
    Table,
)
from slaforge.reports.achievement import (
    Achievement,
    ServiceAvailability,
    SeverityAttainment,
    TicketOutcome,
    WindowAchievement,
    achievement,
    service_calendar,
    support_calendar,
)
from slaforge.reports.figures import (
    EXCLUSION_NAMES,
    data_table,
    duration_text,
    inline,
    moment,
    money_total,
    paragraph,
    percent,
    required_text,
    share_text,
    short_duration,
    text_cell,
    verdict,
)
from slaforge.reports.measurements import Measurements
from slaforge.spec.models import Spec, Window
from slaforge.text import and_list, format_decimal, long_date

# ------------------------------------------------------------------ the report


@dataclass
class ReportComposer:
    result: Achievement
    files: tuple[str, ...] = ()
    kinds: frozenset[str] = frozenset({"outages", "tickets"})
    clauses: list[Clause] = field(default_factory=list)

    @property
    def spec(self) -> Spec:
        return self.result.spec

    @property
    def now(self) -> WindowAchievement:
        return self.result.current

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(service_calendar(self.spec, self.spec.services[0]).timezone)

    def document(self, timestamp: int) -> Document:
        sections = [
            self.section("summary", "Summary", [("at-a-glance", "At a glance", self.summary())]),
            self.section("availability", "Availability", self.availability_clauses()),
            self.section("support", "Support responsiveness", self.support_clauses()),
            self.section("breaches", "Breaches", [("list", "Targets missed", self.breaches())]),
            self.section("credits", "Service credits", self.credit_clauses()),
            self.section("basis", "How the figures were measured", [("method", "Method", self.method())]),
        ]
        numbered = tuple(
            Section(
                s.id,
                str(i),
                s.title,
                tuple(
                    Clause(c.id, f"{i}.{j}", c.title, c.blocks) for j, c in enumerate(s.clauses, start=1) if c.blocks
                ),
            )
            for i, s in enumerate(sections, start=1)
        )
        return Document(meta=self.meta(timestamp), sections=numbered)

    def section(self, sid: str, title: str, clauses: list[tuple[str, str, list[Block]]]) -> Section:
        return Section(
            sid, "", title, tuple(Clause(f"{sid}.{cid}", "", ctitle, tuple(blocks)) for cid, ctitle, blocks in clauses)
        )

    def meta(self, timestamp: int) -> DocumentMeta:
        spec = self.spec
        agreement = spec.agreement
        period = self.now.period
        last_day = period.end - dt.timedelta(days=1)
        return spec_meta(
            spec,
            title=f"Service Level Report: {period.label}",
            status="final",
            subject=f"Service levels achieved from {long_date(period.start)} to {long_date(last_day)} "
            f"under {agreement.title}",
            keywords=("service level report", period.label, *(s.name for s in spec.services)),
            subtitle=f"{long_date(period.start)} to {long_date(last_day)} \u00b7 agreement {agreement.id}",
            timestamp=timestamp,
        )

    # ------------------------------------------------------------ summary

    def party(self, index: int = 0) -> str:
        if index == 0:
            return self.spec.provider.short_name or self.spec.provider.name
        customer = self.spec.customers[0]
        return customer.short_name or customer.name

    def summary(self) -> list[Block]:
        now = self.now
        period = now.period
        blocks: list[Block] = []
        availability = [
            f"the {a.service.name} was available {percent(a.achieved)} of the time against a target of "
            f"{format_decimal(a.target)}%"
            for a in now.services
        ]
        missed = [a.service.name for a in now.services if not a.met]
        outcome = (
            "every availability target was met"
            if not missed
            else f"the availability target of the {and_list(missed)} was missed"
        )
        blocks.append(
            paragraph(
                f"In {period.label} {and_list(availability)}: {outcome}. This report sets out the service levels "
                f"{self.party()} achieved for {self.party(1)} under agreement {self.spec.agreement.id}."
            )
        )
        tickets = sum(len(s.outcomes) for s in now.severities)
        misses = [
            f"{s.level.id} {what}s ({share_text(s.share(what))} within target against {format_decimal(s.target)}%)"
            for s in now.severities
            for what in ("response", "resolution")
            if not s.met(what)
        ]
        support = f"{tickets} support ticket{'s were' if tickets != 1 else ' was'} reported. "
        support += (
            "Every severity met its response and resolution attainment targets."
            if not misses
            else f"Attainment fell short for {and_list(misses)}."
        )
        blocks.append(paragraph(support))
        blocks.append(paragraph(self.credit_sentence()))
        for credit in now.credits:
            chronic = credit.result.chronic if credit.result else None
            if chronic and chronic.reached and self.spec.service_credits and self.spec.service_credits.chronic_failure:
                remedy = self.spec.service_credits.chronic_failure.remedy
                blocks.append(
                    paragraph(
                        Run(
                            f"The {credit.service.name} has missed its target in {chronic.failed} of the last "
                            f"{chronic.out_of} measurement windows, so the Customer may {remedy}.",
                            bold=True,
                        )
                    )
                )
        rows = []
        for a, credit in zip(now.services, now.credits, strict=True):
            owed = str(credit.result.payable) if credit.result else "\u2014"
            rows.append([a.service.name, f"{format_decimal(a.target)}%", percent(a.achieved), verdict(a.met), owed])
        blocks.append(
            data_table(
                ["Service", "Target", "Achieved", "Result", "Credit owed"],
                rows,
                "summary",
                caption=f"Key figures, {period.label}",
                widths=(3.2, 1.2, 1.4, 1.1, 1.5),
            )
        )
        return blocks

    def credit_sentence(self) -> str:
        now = self.now
        owed = [c for c in now.credits if c.result and c.result.payable.amount > 0]
        if self.spec.service_credits is None:
            return "The agreement provides no service credits."
        if not owed:
            return f"No service credits are owed for {now.period.label}."
        parts = [f"{c.result.payable} for the {c.service.name}" for c in owed if c.result]
        total = money_total([c.result.payable for c in owed if c.result])
        settlement = self.spec.service_credits.claim.settlement
        text = f"Service credits of {and_list(parts)} are owed"
        if total is not None and len(owed) > 1:
            text += f" ({total} in all)"
        return f"{text}, to be settled {settlement} on {self.claim_text()}."

    def claim_text(self) -> str:
        credits = self.spec.service_credits
        assert credits is not None
        calendar = self.spec.service_hours[self.spec.responsiveness.hours]
        end = dt.datetime.combine(self.now.period.end, dt.time()).replace(tzinfo=ZoneInfo(calendar.timezone))
        due = due_after(end, credits.claim.deadline, calendar)
        return f"a claim by {long_date(due.date())}, {credits.claim.method}"

    # ------------------------------------------------------------ availability

    def availability_clauses(self) -> list[tuple[str, str, list[Block]]]:
        now = self.now
        rows = [
            [
                a.service.name,
                f"{format_decimal(a.target)}%",
                percent(a.achieved),
                short_duration(a.allowed_seconds),
                short_duration(a.downtime_seconds),
                short_duration(a.excluded_seconds),
                verdict(a.met),
            ]
            for a in now.services
        ]
        achieved = [
            data_table(
                ["Service", "Target", "Achieved", "Downtime allowed", "Downtime used", "Excluded", "Result"],
                rows,
                "availability",
                caption=f"Availability, {now.period.label}",
                widths=(2.1, 1.15, 1.45, 1.75, 1.55, 1.4, 1.2),
            )
        ]
        for a in now.services:
            achieved.append(paragraph(self.budget_sentence(a)))
        clauses: list[tuple[str, str, list[Block]]] = [("achieved", "Availability by service", achieved)]
        excluded = [(a, share) for a in now.services for share in a.excluded]
        if excluded:
            clauses.append(
                (
                    "excluded",
                    "Excluded time",
                    [
                        paragraph(
                            "The agreement excludes these periods from the measured time; they neither count as "
                            "downtime nor reduce availability."
                        ),
                        data_table(
                            ["Service", "From", "To", "Excluded", "Why", "Cause"],
                            [
                                [
                                    a.service.name,
                                    moment(s.outage.start, self.zone),
                                    moment(s.outage.end, self.zone),
                                    short_duration(s.seconds),
                                    EXCLUSION_NAMES.get(str(s.outage.exclusion), str(s.outage.exclusion)),
                                    s.outage.cause,
                                ]
                                for a, s in excluded
                            ],
                            "excluded",
                            widths=(1.9, 1.3, 1.3, 1.5, 1.6, 3.0),
                        ),
                    ],
                )
            )
        counted = [(a, share) for a in now.services for share in a.downtime]
        if counted:
            clauses.append(
                (
                    "outages",
                    "Outages counted as downtime",
                    [
                        data_table(
                            ["Service", "Reference", "From", "To", "Downtime", "Cause"],
                            [
                                [
                                    a.service.name,
                                    s.outage.reference or "\u2014",
                                    moment(s.outage.start, self.zone),
                                    moment(s.outage.end, self.zone),
                                    short_duration(s.seconds),
                                    s.outage.cause,
                                ]
                                for a, s in counted
                            ],
                            "outages",
                            widths=(1.8, 1.7, 1.2, 1.2, 1.65, 2.95),
                        )
                    ],
                )
            )
        clauses.append(("trend", "Trend", self.trend()))
        return clauses

    def budget_sentence(self, a: ServiceAvailability) -> str:
        period = a.period
        if a.service.availability.service_hours_only:
            text = f"{a.service.name}: {period.label} held {duration_text(a.window_seconds)} of prime service hours"
        else:
            text = f"{a.service.name}: {period.label} lasted {duration_text(a.window_seconds)}"
            if a.window_seconds != period.days * SECONDS_PER_DAY:
                text += " (the clocks changed)"
        if a.excluded_seconds:
            text += f"; less {duration_text(a.excluded_seconds)} excluded, {duration_text(a.measured_seconds)}"
            text += " were measured"
        text += (
            f". The {format_decimal(a.target)}% target allows {duration_text(a.allowed_seconds)} of downtime "
            "in the measured time."
        )
        if a.met:
            left = a.allowed_seconds - a.downtime_seconds
            used = Decimal(a.downtime_seconds) * 100 / a.allowed_seconds if a.allowed_seconds else Decimal(0)
            return text + f" {share_text(used)} of that budget was used ({duration_text(left)} left)."
        over = Decimal(a.downtime_seconds) - a.allowed_seconds
        return text + f" Downtime exceeded it by {duration_text(over)}."

    def trend(self) -> list[Block]:
        windows = self.result.windows
        categories = tuple(self.short_label(w) for w in windows)
        span = windows[0].period.label
        if len(windows) > 1:
            span += f" to {windows[-1].period.label}"
        chart = Chart(
            caption=f"Availability per {self.window_word()} against target, {span}",
            description="Line chart of availability per "
            + self.window_word()
            + ": "
            + "; ".join(
                f"{s.name} "
                + ", ".join(f"{w.period.label} {percent(w.availability(s.id).achieved)}" for w in windows)
                + f" against a target of {format_decimal(s.availability.target)}%"
                for s in self.spec.services
            ),
            categories=categories,
            series=tuple(
                ChartSeries(
                    s.name,
                    tuple(float(w.availability(s.id).achieved) for w in windows),
                    float(s.availability.target),
                )
                for s in self.spec.services
            ),
        )
        rows = [
            [w.period.label, *(percent(w.availability(s.id).achieved) for s in self.spec.services)] for w in windows
        ]
        return [
            chart,
            data_table(
                [
                    "Window",
                    *(f"{s.name} (target {format_decimal(s.availability.target)}%)" for s in self.spec.services),
                ],
                rows,
                "trend",
                caption="Availability per window",
            ),
        ]

    def window_word(self) -> str:
        return {
            Window.calendar_month: "month",
            Window.fixed_30_days: "30-day period",
            Window.calendar_quarter: "quarter",
            Window.fiscal_quarter: "quarter",
            Window.rolling_year: "year",
        }[self.result.window]

    def short_label(self, w: WindowAchievement) -> str:
        if self.result.window == Window.calendar_month:
            return f"{w.period.start:%b %Y}"
        return w.period.label

    # ------------------------------------------------------------ support

    def support_clauses(self) -> list[tuple[str, str, list[Block]]]:
        now = self.now
        rows = []
        for s in now.severities:
            rows.append(
                [
                    f"{s.level.id} {s.level.name}",
                    str(len(s.outcomes)),
                    self.share_cell(s, "response"),
                    self.share_cell(s, "resolution"),
                    required_text(s),
                    verdict(s.met("response") and s.met("resolution")),
                ]
            )
        table = data_table(
            ["Severity", "Tickets", "Responded within target", "Resolved within target", "Required", "Result"],
            rows,
            "attainment",
            caption=f"Attainment by severity, {now.period.label}",
            widths=(1.8, 1.15, 2.1, 2.1, 1.3, 1.2),
        )
        calendar = self.spec.service_hours[self.spec.responsiveness.hours]
        targets = data_table(
            ["Severity", "Response", "Resolution", "Attainment required"],
            [
                [
                    f"{lv.id} {lv.name}",
                    str(lv.response),
                    str(lv.resolution),
                    f"{lv.attainment}" if lv.attainment is not None else "every ticket",
                ]
                for lv in self.spec.responsiveness.severities
            ],
            "targets",
            caption=f"Targets under the agreement (business time counts within {calendar.name}, {calendar.timezone})",
            widths=(1.8, 2.0, 2.0, 2.2),
        )
        clauses: list[tuple[str, str, list[Block]]] = [("attainment", "Attainment by severity", [table, targets])]
        late = [
            o for s in now.severities for o in s.outcomes if o.responded_in_time is False or o.resolved_in_time is False
        ]
        if late:
            clauses.append(("late", "Tickets outside target", [self.ticket_table(late)]))
        out_of_hours = self.out_of_hours()
        if out_of_hours:
            clauses.append(out_of_hours)
        return clauses

    def out_of_hours(self) -> tuple[str, str, list[Block]] | None:
        """Tickets reported outside service hours, for which the business clock started later."""
        late_start = [
            o
            for s in self.now.severities
            for o in s.outcomes
            if o.started > o.ticket.reported and (s.level.response.business or s.level.resolution.business)
        ]
        if not late_start:
            return None
        calendar = support_calendar(self.spec, self.spec.services[0])
        note = paragraph(
            f"Business-time targets count only within {calendar.name} ({calendar.timezone}); for these tickets, "
            "reported outside those hours, the business clock started at the next minute of service hours."
        )
        rows = [
            [
                o.ticket.id,
                o.ticket.severity,
                moment(o.ticket.reported, self.zone),
                moment(o.started, self.zone),
                moment(o.due["response"], self.zone),
                moment(o.due["resolution"], self.zone),
            ]
            for o in late_start
        ]
        header = ["Ticket", "Severity", "Reported", "Business clock started", "Response due", "Resolution due"]
        table = data_table(header, rows, "out-of-hours", widths=(1.8, 1.1, 1.5, 1.7, 1.5, 1.5))
        return ("out-of-hours", "Tickets reported outside service hours", [note, table])

    def share_cell(self, s: SeverityAttainment, what: str) -> Inline:
        counted = s.counted(what)
        if not counted:
            return text_cell("no tickets")
        text = f"{share_text(s.share(what))} ({sum(counted)} of {len(counted)}"
        still_open = len(s.outcomes) - len(counted)
        text += f"; {still_open} open, not yet due)" if still_open else ")"
        return text_cell(text, bold=not s.met(what))

    def ticket_table(self, outcomes: list[TicketOutcome]) -> Table:
        def cell(done: dt.datetime | None, ok: bool | None) -> Inline:
            text = moment(done, self.zone) if done else "open"
            if ok is False:
                return (Run(text), Run(" (late)", bold=True))
            return text_cell(text)

        return data_table(
            ["Ticket", "Severity", "Reported", "Response due", "Responded", "Resolution due", "Resolved"],
            [
                [
                    o.ticket.id,
                    o.ticket.severity,
                    moment(o.ticket.reported, self.zone),
                    moment(o.due["response"], self.zone),
                    cell(o.ticket.responded, o.responded_in_time),
                    moment(o.due["resolution"], self.zone),
                    cell(o.ticket.resolved, o.resolved_in_time),
                ]
                for o in outcomes
            ],
            "tickets",
            widths=(1.9, 1.1, 1.3, 1.3, 1.5, 1.4, 1.5),
        )

    # ------------------------------------------------------------ breaches and credits

    def breach_lines(self) -> list[str]:
        now = self.now
        lines = []
        for a in now.services:
            if not a.met:
                lines.append(
                    f"{a.service.name}: availability {percent(a.achieved)} against a target of "
                    f"{format_decimal(a.target)}%; {duration_text(a.downtime_seconds)} of downtime where "
                    f"{duration_text(a.allowed_seconds)} was allowed."
                )
        for s in now.severities:
            for what in ("response", "resolution"):
                if not s.met(what):
                    counted = s.counted(what)
                    lines.append(
                        f"{s.level.id} {s.level.name} {what}s: {sum(counted)} of {len(counted)} within target "
                        f"({share_text(s.share(what))}) against the {format_decimal(s.target)}% required."
                    )
        for o in (o for s in now.severities for o in s.outcomes):
            for what, ok in (("response", o.responded_in_time), ("resolution", o.resolved_in_time)):
                if ok is False:
                    lines.append(
                        f"Ticket {o.ticket.id} ({o.ticket.severity}, {self.spec.service(o.ticket.service).name}): "
                        f"{what} due {moment(o.due[what], self.zone)}, "
                        + (
                            f"given {moment(done, self.zone)}."
                            if (done := o.ticket.responded if what == "response" else o.ticket.resolved)
                            else "still outstanding."
                        )
                    )
        return lines

    def breaches(self) -> list[Block]:
        lines = self.breach_lines()
        if not lines:
            return [paragraph(f"No target was missed in {self.now.period.label}.")]
        return [BulletList(tuple(ListItem(inline(line)) for line in lines))]

    def credit_clauses(self) -> list[tuple[str, str, list[Block]]]:
        credits = self.spec.service_credits
        if credits is None:
            return [("none", "No service credits", [paragraph("The agreement provides no service credits.")])]
        rows = []
        notes: list[str] = []
        for credit in self.now.credits:
            result = credit.result
            if result is None:
                rows.append(
                    [credit.service.name, "\u2014", "\u2014", "\u2014", "\u2014", "\u2014", credit.reason or ""]
                )
                continue
            events = ", ".join(f"{e.count} \u00d7 {e.event} {e.severity or ''} ({e.amount})" for e in result.events)
            rows.append(
                [
                    credit.service.name,
                    f"{result.band} ({result.band_percent})" if result.band else "target met",
                    str(result.band_amount),
                    events or "none",
                    str(result.gross),
                    str(result.cap) if result.cap else "none",
                    (Run(str(result.payable), bold=result.payable.amount > 0),),
                ]
            )
            notes.extend(f"{credit.service.name}: {note}." for note in result.notes)
            if result.chronic:
                c = result.chronic
                notes.append(
                    f"{credit.service.name}: {c.failed} of the last {c.out_of} windows missed the target; the "
                    f"chronic-failure right needs {c.needed}: {'reached' if c.reached else 'not reached'}."
                )
        table = data_table(
            ["Service", "Band", "Band credit", "Per-event credits", "Before cap", "Cap", "Owed"],
            rows,
            "credits",
            caption=f"Service credits, {self.now.period.label}",
            widths=(1.8, 2.3, 1.1, 1.9, 1.2, 1.3, 1.2),
        )
        payable = [c.result.payable for c in self.now.credits if c.result]
        total = money_total(payable)
        blocks: list[Block] = [table]
        if total is not None:
            blocks.append(paragraph("Total owed for ", self.now.period.label, ": ", Run(str(total), bold=True), "."))
        if credits.minimum_payable:
            notes.append(f"Credits below {credits.minimum_payable} are not paid.")
        if credits.caps.per_year is not None or credits.caps.per_year_amount is not None:
            notes.append(
                "The annual cap of the agreement applies over the contract year and is not deducted in this report."
            )
        if self.now.credits and any(c.result and c.result.payable.amount > 0 for c in self.now.credits):
            notes.append(f"To receive the credits, send {self.claim_text()}.")
        if credits.sole_remedy:
            notes.append("Service credits are the Customer's sole remedy for the targets missed.")
        blocks.append(BulletList(tuple(ListItem(inline(n)) for n in notes)))
        return [("owed", "Credits owed", blocks)]

    # ------------------------------------------------------------ method

    def method(self) -> list[Block]:
        spec = self.spec
        calendar = service_calendar(spec, spec.services[0])
        period = self.now.period
        monitoring = spec.monitoring
        lines = [
            f"Measurement window: the {self.window_word()} ({period.label}: {long_date(period.start)} to "
            f"{long_date(period.end - dt.timedelta(days=1))}), in {calendar.timezone} time.",
            "Availability = (measured time \u2212 downtime) \u00f7 measured time, where measured time is the window "
            "less excluded time. Percentages are rounded down; targets are judged on the exact figures.",
            "Measured by "
            + {"provider": "the Provider", "customer": "the Customer", "independent": "an independent party"}[
                monitoring.measured_by
            ]
            + (f" with {and_list(t[0].lower() + t[1:] for t in monitoring.tools)}" if monitoring.tools else "")
            + ".",
            "Ticket deadlines count from the moment a ticket was reported, in business time where the target "
            "says so (skipping weekends and the agreement's holidays), otherwise in clock time.",
            f"Open tickets are judged as at {long_date(self.result.as_of.date())} 00:00: missed when their "
            "deadline has passed, otherwise not yet counted.",
        ]
        if self.files:
            words = {"outages": "no outage data was given", "tickets": "no ticket data was given"}
            missing = [text for kind, text in words.items() if kind not in self.kinds]
            lines.append(f"Data: {and_list([*self.files, *missing])}.")
        return [BulletList(tuple(ListItem(inline(line)) for line in lines))]


def report_timestamp(result: Achievement) -> int:
    """SOURCE_DATE_EPOCH when set, else the end of the reported window: never the wall clock."""
    epoch = source_date_epoch()
    return epoch if epoch is not None else int(result.as_of.timestamp())


def report_document(spec: Spec, data: Measurements, period: str | None = None) -> tuple[Achievement, Document]:
    result = achievement(spec, data, period)
    composer = ReportComposer(result, tuple(f.name for f in data.files), data.kinds)
    return result, composer.document(report_timestamp(result))
