"""The word lists that tell a name's context, kind and shape, as data.

These sets are what `name_chunks` and `names` weigh a capitalised word
against: words before and after a person, organisations' words, verbs of
going, street suffixes, field names written like a speaker label. They are
kept apart from the rules so that a list can grow without reading the code
that uses it, and the rules can be read without scrolling past the lists.
"""
from __future__ import annotations

from .lexicon import FILLERS

# Words after which the next name is a person.
PERSON_BEFORE_1 = frozenset("""
called named dear hi hello hey thanks cheers ask asked asking tell told telling thank thanked email emailed
emailing phone phoned ring rang text texted message messaged meet met cc invite invited contact contacted
manager boss colleague colleagues friend friends husband wife partner son daughter mum mom mother dad father
brother sister kid kids child children uncle aunt auntie nan nana gran granny grandma grandad grandpa grandson
granddaughter cousin nephew niece neighbour neighbor supervisor director client carer caseworker worker
officer gp doctor nurse consultant therapist mentor coach teacher tutor tenant landlord landlady lodger
flatmate housemate fiance fiancé fiancée boyfriend girlfriend ex deputy assistant secretary chair ceo mp mate
coworker coworkers workmate workmates teammate teammates neighbours neighbors
""".split())
# A person's relation to the speaker: after "my"/"our"/... one of these, any census first name in lower case
# is the person ("my colleague tobias wexley"), not only the commonest thousand; a verb ("my manager said")
# is no first name, so it stays. "co-worker" is read as its three tokens.
RELATION_WORDS = frozenset("""
colleague colleagues coworker coworkers co-worker workmate teammate boss manager supervisor friend friends
neighbour neighbor partner husband wife son daughter brother sister mum mom mother dad father
""".split())
POSSESSIVES = frozenset({"my", "our", "his", "her", "their", "your"})
PERSON_BEFORE_2 = frozenset({
    ("name", "is"), ("name", "'s"), ("name", "’s"), ("names", "are"), ("call", "me"), ("called", "me"),
    ("call", "him"), ("call", "her"), ("known", "as"), ("spoke", "to"), ("speak", "to"), ("speaking", "to"),
    ("talked", "to"), ("talk", "to"), ("talking", "to"), ("chat", "to"), ("chatted", "to"), ("chatting", "to"),
    ("went", "with"), ("this", "is"), ("i", "'m"), ("i", "’m"), ("i", "am"), ("it", "'s"), ("it", "’s"),
    ("name", ":"), ("heard", "from"), ("hear", "from"), ("email", "from"), ("message", "from"), ("thank", "you"),
    ("with", "mr"), ("by", ":"), ("user", ":"),
})
# Greetings and sign-offs: "Thanks, Björn", "Kind regards,\nMarta", "Hi, Sarah!". A name-like word right
# after one, closing the clause, is the person addressed, whatever the entity label says.
ADDRESS_WORDS = frozenset("""
hi hello hey hiya dear thanks thank thx ta cheers regards wishes best love bye morning afternoon evening
""".split())
# After these, even a lower-case word is a name: "my name is vitoria", "call me borna".
NAME_INTRODUCERS = frozenset({("name", "is"), ("name", "'s"), ("name", "’s"), ("call", "me"), ("called", "me"),
                              ("known", "as"), ("name", ":"), ("named",), ("called",)})
PERSON_AFTER = frozenset("""
said says told asked reckons reckoned mentioned explained suggested replied shouted whispered wrote emailed
rang phoned texted messaged thinks thought feels felt agreed argued insisted claimed admitted laughed lives
lived works worked
""".split())
KIN_AFTER_POSSESSIVE = frozenset("""
mum mom mother dad father wife husband partner son daughter kid kids child children brother sister family
manager boss friend friends daughter's son's
""".split())
# A chunk holding one of these is an organisation or a thing, not a person.
ORG_WORDS = frozenset("""
ltd limited inc plc llc llp corp corporation company co group council trust services service partners
partnership associates agency bank university college academy foundation association society institute
department dept govt government team board committee network centre center project programme program scheme forum
club church
ministry office authority commission union federation alliance consortium international systems solutions
technologies technology software labs media news times post weekly daily magazine party cafe café restaurant
hotel pub shop store market pharmacy clinic practice police credit benefit allowance act orchestra band choir
records studios studio productions films pictures entertainment games capital ventures holdings industries
enterprises logistics consulting consultancy analytics research investments insurance energy motors airlines
airways foods healthcare pharma pharmaceuticals laboratories transit transport traffic digital networks
communications telecom publishing press herald gazette tribune radio television sons brothers bros
""".split())
# Currencies, said capitalised in transcripts ("in Euros", "twelve and a half Euros"): a place or a person only
# with a title or a first name ("Ms Dollar", "Ezra Pound"). Not those that are first names or surnames too
# ("Penny", "Pence", "Lira", "Rand", "Real", "Won"). Once taken for a place, a run would mask every "Euros".
CURRENCY_WORDS = frozenset("""
euro euros pound pounds sterling dollar dollars cent cents yen yuan renminbi francs rupee rupees pesos reais
rands krona kronor krone kroner zloty zlotys forint forints ruble rubles rouble roubles shekel shekels dirham
dirhams riyal riyals ringgit baht dinar dinars bitcoin bitcoins
""".split())
# Verbs of going: "flew to Coles", "returned to Feliciano" make a place of what follows "to".
MOTION = frozenset("""
fly flew flown go went gone move moved return returned drive drove travel travelled traveled come came head
headed get got relocate relocated commute commuted
""".split())
NOT_NAMES = frozenset("""
january february march april may june july august september october november december monday tuesday wednesday
thursday friday saturday sunday christmas easter i i'm i've i'd i'll mondays tuesdays wednesdays thursdays
fridays saturdays sundays mum mom dad mummy daddy mam nan nana gran granny grandma grandad grandpa apt suite
box unit flat floor room po st
""".split()) | FILLERS
# Streets, estates and buildings: a capitalised name followed by one of these.
PLACE_SUFFIXES = ("Road|Rd|Street|St|Lane|Avenue|Ave|Close|Court|Terrace|Row|Way|Drive|Crescent|Place|Gardens|"
                  "Grove|Park|Estate|Fields|Green|Hill|Square|Walk|Mews|Rise|View|Parade|Hospital|Surgery|"
                  "Library|School|Academy|College|House|Towers|Heights|Village|Bridge|Wharf|Strasse|Straße|"
                  "gata|gade|vej|katu|utca")
PLACE_SUFFIX_WORDS = frozenset(w.lower() for w in PLACE_SUFFIXES.split("|"))
# Words that open a street's name in other languages: "Rua do Arenque", "Via Franscini".
STREET_WORDS = frozenset("""
rua via rue calle avenida av avda ul ulica piazza plaza viale strada boulevard chemin
""".split())
# Prepositions after which a capitalised proper noun is nearly always a place in speech.
LOCATIVE = frozenset({"in", "at", "from", "near", "around", "outside", "towards", "round", "past", "via",
                      "into", "across"})

# Field names written like a speaker label ("Phone:", "Q:").
FIELD_NAMES = frozenset("""
name names phone email e-mail website web address date time note notes subject re fax mobile desk office tel
telephone q a i r p interviewer interviewee respondent participant speaker user bot agent customer caller host
guest moderator facilitator chair answer question
""".split())
