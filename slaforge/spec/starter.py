"""``slaforge init``: a commented starter spec that validates as written."""

from __future__ import annotations

_HEADINGS = {
    "service": "A service-level agreement: one service, its targets and credits.",
    "customer": "A customer-level agreement: one customer, every service it takes.",
    "corporate": "A corporate-level agreement: terms that hold for every customer and service.",
}
_STRUCTURE = {"service": "service-based", "customer": "customer-based", "corporate": "multi-level"}

STARTER = """\
# {heading}
# Check it with:  slaforge validate {{path}}      Build it with:  slaforge build {{path}}
# Every key is described by `slaforge schema`; values carry units: 99.95%, 15m, 4h, 2 business days, 1200 EUR.
slaforge: 1
level: {level}                  # corporate | customer | service
structure: {structure}          # service-based | customer-based | multi-level

agreement:
  id: ACME-SLA-001              # names the output files: ACME-SLA-001-v0.1.pdf
  title: Example Service Level Agreement
  version: "0.1"
  status: draft                 # draft | final (drafts carry a DRAFT watermark)
  effective: 2027-01-01
  term:
    initial: 24 months
    renewal: automatic          # automatic | by-agreement | none
    renewal_period: 12 months
    termination_notice: 90 days
  review:
    cadence: annual             # monthly | quarterly | half-yearly | annual
  owner:
    name: Alex Example
    title: Service Level Manager
  history:
    - version: "0.1"
      date: 2026-12-01
      author: Alex Example
      summary: First draft.

provider:
  id: provider
  name: Example Services Ltd
  address: 1 Example Street, Exampletown
  contacts:
    - role: service-level-manager
      name: Alex Example
    - role: signatory
      name: Sam Director
      title: Managing Director

customers:
  - id: customer
    name: Example Customer plc
    address: 2 Client Road, Clienttown
    contacts:
      - role: customer-representative
        name: Jo Customer

services:
  - id: app
    name: Example Application
    description: The hosted Example Application, including its web interface and API.
    scope: [Hosting, monitoring and support of the production environment]
    out_of_scope: [Test environments]
    hours: always               # a key of service_hours below
    availability:
      target: 99.9%
      window: calendar-month    # calendar-month | 30-days | calendar-quarter | fiscal-quarter | rolling-year
      downtime:
        kind: no-service-minutes  # no-service-minutes | error-rate | contiguous | failed-requests
      maintenance:
        windows:
          - {{days: [sun], from: "02:00", to: "04:00"}}
        notice: 5 business days
        outside_prime_hours: false

service_hours:
  always:
    name: 24x7 Hours
    timezone: Europe/London
    always: true
  business:
    name: Business Hours
    timezone: Europe/London
    prime:
      - {{days: [mon-fri], from: "09:00", to: "17:30"}}

responsiveness:
  hours: business               # business-time targets count in this calendar
  severities:                   # most severe first
    - {{id: P1, name: Critical, definition: The service is unavailable to all users., response: 30m, update: 1h,
       resolution: 4h, attainment: 95%}}
    - {{id: P2, name: High, definition: A major function is unavailable or badly degraded., response: 1h,
       resolution: 8h}}
    - {{id: P3, name: Normal, definition: A minor fault or a question., response: 1 business day,
       resolution: 5 business days}}

problem_reporting:
  channels:
    - {{kind: portal, address: https://support.example.com}}
  required_information: [What happened and when, Who is affected]

escalation:
  - {{level: 1, role: Support Team Leader, after: 2h}}

monitoring:
  measured_by: provider
  metrics: [Availability of the service, per minute]

reporting:
  frequency: monthly
  due: 10 business days
  delivery: [email]

service_credits:                # delete this block for an agreement without service credits
  fee: 10000 EUR
  bands:                        # lower bound: at_least | above; upper bound: below | at_most
    - {{at_least: 99.5%, below: 99.9%, credit: 5%}}
    - {{below: 99.5%, credit: 10%}}
  caps: {{per_window: 20%}}
  claim:
    deadline: 30 days
    method: in writing to the Provider's Service Level Manager
  chronic_failure: {{failed_periods: 3, out_of: 6}}

responsibilities:
  provider: [Operate the service as described in this Agreement]
  customer: [Report faults through the agreed channels]
"""


def starter_spec(kind: str) -> str:
    return STARTER.format(heading=_HEADINGS[kind], level=kind, structure=_STRUCTURE[kind]).replace(
        "{path}", "<this file>"
    )
