"""The limits every input is read within, in one place (the user's reference is docs/limits.md).

Each bounds what a hostile or broken file can cost: how many bytes are read, how deep a YAML
document nests, how many values its aliases expand to, how long a number may be, how far into
the future a date may lie, how long a value quoted in a message may be.  No genuine agreement comes near
any of them; the tests of ``tests/hostile/`` check that each one is reported as a located
problem, never as a hang, a memory error or a traceback.
"""

from __future__ import annotations

KIB = 1024
MIB = 1024 * KIB

# ------------------------------------------------------------------ files

# a spec, fragment, portfolio, offer, labels, outline or categories file; a clause or document
# text; a theme's CSS or page template (the largest sample spec is under 20 KiB)
TEXT_FILE_BYTES = 2 * MIB
# a font, an image or a logo
ASSET_FILE_BYTES = 32 * MIB
# a portfolio's cache manifest (one per document, under OUT/.slaforge-cache/)
MANIFEST_BYTES = 1 * MIB

# a CSV file of measured data (outages, tickets): read a line at a time, never held whole
CSV_FILE_BYTES = 256 * MIB
CSV_LINE_BYTES = 1 * MIB  # of one line of a CSV file (the csv module refuses a field over 128 KiB)
CSV_ROWS = 1_000_000  # rows of one CSV file (a year of an outage every minute is about 525,000)
CSV_PROBLEMS = 100  # problems reported of one CSV file before its reading stops

# ------------------------------------------------------------------ YAML

YAML_DEPTH = 64  # mappings and lists inside each other (a spec nests at most about 8 deep)
YAML_VALUES = 200_000  # values of a document, every alias counted as the values it repeats
# characters of a document's text values, every alias counted as the text it repeats (without aliases a
# document holds at most about TEXT_FILE_BYTES of them: an alias of a 1 MB text 1,000 times would be 1 GB)
YAML_CHARS = 4 * TEXT_FILE_BYTES
NUMBER_DIGITS = 30  # digits of a number literal; money and percentages use far fewer
NUMBER_EXPONENT = 30  # 1e30 is the largest (and 1e-30 the smallest non-zero) number accepted

# ------------------------------------------------------------------ values

FIRST_YEAR = 1900  # dates and moments lie in [FIRST_YEAR, LAST_YEAR): calendar arithmetic
LAST_YEAR = 9000  # around them (terms, windows, deadlines) stays inside Python's calendar
TREE_BYTES = 256 * MIB  # of a repository at a revision, as a tar archive (diff of a portfolio at a revision)
REVISION_CHARS = 255  # of a git revision (a branch, a tag, HEAD~3, a commit id)
EXTENDS_DEPTH = 32  # fragments on one chain of ``extends`` (a portfolio's chains are 2 or 3 long)
EVENTS_PER_WINDOW = 1_000_000  # events a per-event credit counts in one window (calc credit --event)
MESSAGE_VALUE_CHARS = 200  # of a value quoted in a message ("given: ...")
MESSAGE_CHARS = 2_000  # of one message

# ------------------------------------------------------------------ clause bodies

RENDER_SECONDS = 2.0  # CPU seconds one clause or text body may take to render (a clause takes milliseconds)
RENDER_CHARS = 1_000_000  # characters one body may produce (the longest built-in clause is under 5,000)
# a body of the library's own (clauses/ and templates/ as slaforge ships them) is reviewed code: what it
# produces grows only with the data it is given (a report's month of outages, a spec's sites), and that data
# is bounded by the input limits above, so it renders within limits scaled to the largest valid input (a CSV
# file of CSV_FILE_BYTES, every byte of it printed a few times over) instead of a user body's; they are a
# backstop, never met by valid data (a month of 20,000 outages renders to about 3 MB in under a second)
LIBRARY_RENDER_SECONDS = 600.0
LIBRARY_RENDER_CHARS = 4 * CSV_FILE_BYTES
BIGGEST_NUMBER_DIGITS = 4_000  # a number a body or page template computes (``**``, ``*``)
# a theme's page template lays out a whole document (its fonts and pictures inlined, for a self-contained
# HTML file): the sample agreements take well under a second and a few megabytes
PAGE_SECONDS = 30.0
PAGE_CHARS = 64 * MIB

# ------------------------------------------------------------------ the Typst compiler (--pdf-engine typst)

# it runs in a process of its own (native code cannot be interrupted from Python): the 36-page sample
# compiles in under a second of CPU and about 200 MB
TYPST_SECONDS = 60.0  # CPU seconds of one compilation
TYPST_MEMORY_BYTES = 4 * 1024 * MIB  # address space of the compiling process
TYPST_PDF_BYTES = 256 * MIB  # of the PDF it writes
