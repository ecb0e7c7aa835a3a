package helptopics

// outputSafety is the part of `help output` about text partnerctl did not
// write itself: what every format does with control characters, and CSV's
// formula cells.
const outputSafety = `Text that users and feeds supplied (org and partner names, refs, reasons,
contact fields, emails, event fields) is printed without terminal control
sequences, in every format:

  table, csv   control characters (ESC, other C0 controls but tab and
               newline, DEL, C1), invalid UTF-8, bidi embeddings, overrides
               and isolates (U+202A-U+202E, U+2066-U+2069) and the Unicode
               line and paragraph separators are shown escaped: \x1b, \x7f,
               \xff, \u009b, \u202e. A backslash in the text itself is
               printed as it is.
  json         the same characters are written as \u escapes (\u001b,
               \u202e): the output is valid JSON and decodes to the exact
               stored value.
  stderr       diagnostics that quote names or input lines escape them as
               tables do.

Names (partner, org, admin org, contact name, license number, ref IDs) are
refused at input (exit 2) when they hold control characters or invisible
formatting characters: zero-width spaces and joiners, bidi marks and
controls, the byte order mark. Free text (link and license reasons, a phone
number) refuses control characters only.

CSV formula cells. A spreadsheet runs a cell that starts with = + - @, a tab
or a carriage return as a formula (CSV injection). In -o csv every text cell
that starts with one of them gets a leading ' (OWASP's advice), so
"=HYPERLINK(...)" is written as "'=HYPERLINK(...)" and "-1" as a ref ID as
"'-1". Numbers, booleans and times are partnerctl's own and are never
changed: a count is never written as '-1. JSON and table output are not
neutralised.

  --csv-raw    write CSV text cells as stored, for programs that read CSV
               (control characters are still escaped)

Example:

  partnerctl orgs list -o csv > orgs.csv            # safe to open in a spreadsheet
  partnerctl orgs list -o csv --csv-raw | my-loader # exact text for a program`
