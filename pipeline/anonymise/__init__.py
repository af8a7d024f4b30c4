"""Replace people, places and contact details with consistent pseudonyms.

Three detectors feed one run-wide register of originals:

1. Patterns with validation (`patterns`): emails (also spoken ones), URLs and
   web addresses, phone numbers in UK and international layouts, UK
   postcodes, NHS and National Insurance numbers, card and other long numbers,
   IBANs, @handles, IP addresses and dates said as a birth date.
2. Names (`names`): spaCy entities weighed with titles, context ("my manager
   X", "X said", "call me X"), the shape of the words and pinned word lists
   of first names, surnames and English words (`lexicon`).
3. Known names: every speaker, the roster and the config's roster, in any
   letter case, as a full name, a part or a possessive.

The register (`register`) is built over the whole run before anything is
replaced, so a name caught once is replaced everywhere and "Sarah Jones",
"Sarah", "sarah" and "Sarah's" share one placeholder. Placeholders are
numbered in the order originals first occur in the sorted transcripts
(known names first, sorted), which keeps them stable across re-runs.
"""
from .core import (
                   LEAK_KIND,
                   NEUTRAL_WORD,
                   PLACEHOLDER_RE,
                   REDACTIONS,
                   AnonymisedTurns,
                   anonymise,
                   apply_redactions,
                   file_name_masker,
                   neutralise_placeholders,
                   stable_short_hash,
)
from .patterns import BIRTH_DATE, EMAIL, HANDLE, IBAN, ID_NUMBER, IP_ADDRESS, PERSON, PHONE, PLACE, POSTCODE, URL
from .speakers import speaker_pseudonyms

__all__ = [
                   "BIRTH_DATE",
                   "EMAIL",
                   "HANDLE",
                   "IBAN",
                   "ID_NUMBER",
                   "IP_ADDRESS",
                   "LEAK_KIND",
                   "NEUTRAL_WORD",
                   "PERSON",
                   "PHONE",
                   "PLACE",
                   "PLACEHOLDER_RE",
                   "POSTCODE",
                   "REDACTIONS",
                   "URL",
                   "AnonymisedTurns",
                   "anonymise",
                   "apply_redactions",
                   "file_name_masker",
                   "neutralise_placeholders",
                   "speaker_pseudonyms",
                   "stable_short_hash",
]
