"""A deterministic fixture of technical interviews: tools and products named freely, UK personal data planted.

Workshops about data platforms, finance systems and IT talk about Python,
Azure, Kubernetes, Excel and Teams all the time. None of them is personal
data, and a report that turns "we moved from Python to Spark" into "we moved
from [PERSON 3] to [PLACE 1]" is no use to anyone. This fixture measures that
over-redaction, with an answer key of every technology or product name and
every planted personal datum (colleagues' names in context such as "my
manager Sarah Okafor", emails, UK phone numbers, postcodes) by character
offsets in each turn.

    >>> fixture = generate(2)
    >>> len(fixture.conversations), fixture.conversations[0].team
    (2, 'data_platform')
    >>> span = fixture.tech[0]
    >>> turn = fixture.conversations[0].turns[span.turn]
    >>> turn.text[span.start:span.end] == span.value
    True

The same `n_conversations` always gives the same fixture: sentences are drawn
with a seeded `random.Random` and names cycle through fixed lists.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

# Tool and product names by the slot they fill in a sentence, so that the sentences read naturally.
TECH = {
    "lang": ["Python", "Java", "Scala", "JavaScript", "TypeScript", "SQL", "VBA", "Rust", "Kotlin"],
    "data": ["Spark", "Hadoop", "Kafka", "Airflow", "Databricks", "Snowflake", "BigQuery", "Postgres", "MySQL",
             "MongoDB", "Redis", "Elasticsearch"],
    "infra": ["Azure", "AWS", "Google Cloud", "Kubernetes", "Docker", "Terraform", "Ansible", "Jenkins", "Linux",
              "GitHub", "GitLab", "Grafana", "Splunk", "Datadog", "Okta"],
    "ml": ["TensorFlow", "PyTorch", "Jupyter", "scikit-learn", "ChatGPT", "Copilot", "Hugging Face"],
    "office": ["Excel", "Teams", "Slack", "Jira", "Confluence", "SharePoint", "Outlook", "Zoom", "PowerPoint",
               "OneDrive", "Miro", "Figma", "Trello"],
    "bi": ["Tableau", "Power BI", "PowerBI", "Looker", "Qlik", "Alteryx"],
    "app": ["Salesforce", "SAP", "ServiceNow", "Workday", "HubSpot", "Zendesk", "Oracle"],
    "vendor": ["Microsoft", "Amazon", "Google", "Nvidia", "IBM", "Cisco", "Dell", "Intel", "Apple"],
    "acronym": ["API", "GPU", "CPU", "CRM", "ETL", "VPN", "SSO"],
}

# Participant sentences. {category} draws the next name of that category; {=Name} is that name.
TECH_SENTENCES = [
    "We moved the pipeline from {=Python} to {=Spark} last year, mostly for the big joins.",
    "It all runs on {=Azure} now, in {=Kubernetes}, which nobody here really understood at first.",
    "The {=API} times out whenever the overnight batch kicks off.",
    "For the model training we finally got a {=GPU}, one of the {=Nvidia} cards.",
    "Half the finance team still lives in {=Excel}, honestly.",
    "We chat on {=Teams} all day, and the old {=Slack} channels are still there.",
    "{office} is where the decisions actually get written down.",
    "I built the dashboard in {bi} because that's what the directors open.",
    "The data lands in {data} first and then {data} picks it up.",
    "We wrote the first version in {lang} and then rewrote the slow bits in {lang}.",
    "Everything is containerised with {=Docker} and deployed through {infra}.",
    "{infra} is our biggest headache, if I'm honest.",
    "We pay {vendor} a fortune for licences and we barely use half of it.",
    "The analysts prototype in {=Jupyter} notebooks and then hand it over.",
    "Our ticket queue is in {=Jira}, and the documentation is in {office}.",
    "The customer records sit in {app}, and getting them out needs the {acronym}.",
    "We tried {ml} for the classifier but the team preferred {ml}.",
    "There's a nightly {acronym} job that copies everything from {data} into {data}.",
    "The servers are {infra} boxes, mostly, with a bit of {infra}.",
    "Procurement went with {vendor} in the end, after a long fight about {vendor}.",
    "People share spreadsheets on {office} and then email them around anyway.",
    "I'd say {bi} changed how the managers read the numbers.",
    "The old {app} integration breaks whenever they upgrade it.",
    "Somebody put {ml} on the approved list and suddenly everyone was using it.",
    "We do the reporting in {lang} with a bit of {data} underneath.",
    "Access goes through the {acronym} and {infra} for logins.",
    "The {=Amazon} bill went up a lot when we moved off the old {=Microsoft} licences.",
    "It used to be a {=Linux} box under someone's desk running {=Postgres}.",
    "Now we have {=Snowflake} for the warehouse and {=Airflow} for scheduling.",
    "The research team are split between {=TensorFlow} and {=PyTorch}.",
    "We keep the code on {=GitHub} and the sales side lives in {=Salesforce}.",
    "The intranet is {=SharePoint} and the reports go out as {=PowerBI} links.",
    "Most of it is plain {=SQL} against an {=AWS} database, nothing clever.",
    "The interviews were recorded on {office} and typed up afterwards.",
    "{vendor} sent a consultant for two weeks and left us a slide deck.",
    "We still export to CSV from {app} because the {acronym} is so slow.",
]

# Sentences with planted personal data: {person} a colleague's full name, {first} a first name.
PERSONAL_SENTENCES = [
    "My manager {person} signs off anything that touches {infra}.",
    "You could email {first} at {email} about the {acronym}.",
    "If it's urgent, my mobile is {phone}.",
    "Our office is at {postcode}, by the station, so most of us come in on Tuesdays.",
    "I sit next to {person}, who looks after the {data} side.",
    "{first} set up the {office} board for us when we started.",
    "Honestly {person} knows more about {lang} than anyone in the building.",
    "When the {acronym} goes down I ring {first} on {phone}.",
    "Send it to {email} and copy in {person}.",
    "The old depot at {postcode} still has the {infra} servers in a cupboard.",
    "I worked for {person} for three years before this job.",
    "{person}'s team owns the {app} contract.",
]

QUESTIONS = [
    "Thanks for making the time. Could you introduce yourself and say what you do?",
    "What tools does your team use day to day?",
    "What has changed most in the last year or so?",
    "Where does the data come from, and where does it end up?",
    "What gets in the way of doing the job well?",
    "Who do you go to when something breaks?",
    "If you could change one thing, what would it be?",
    "Is there anything else you'd like to add?",
]

INTERVIEWER = "Joanna Fairclough"
PARTICIPANTS = ["Sarah Okafor", "Tom Brennan", "Priya Desai", "Gareth Llewellyn", "Aisha Rahman", "Callum McBride",
                "Joanne Whitfield", "Marek Zielinski", "Funmi Adebayo", "Rachel Pemberton", "Deepak Chauhan",
                "Eilidh Robertson", "Lewis Carmichael", "Nadia Haddad", "Owen Pritchard", "Hannah Szabo"]
COLLEAGUES = ["Kiran Bhatt", "Bethan Morgan", "Daniel Osei", "Sophie Lancaster", "Imran Hussain", "Claire Dunmore",
              "Patrick Nolan", "Mei Ling Chan", "Gemma Rowntree", "Tunde Bakare", "Fiona Strachan", "Ravi Menon",
              "Lucy Ashworth", "Conor Doyle", "Amara Nwosu", "Stuart Kilbride", "Zainab Qureshi", "Megan Pryce",
              "Jamal Idris", "Helena Novak", "Ciaran Byrne", "Anjali Kapoor", "Rhys Treharne", "Yasmin Farouk"]
EMAIL_DOMAINS = ["northgate.gov.uk", "nhs.net", "brightwater.co.uk", "gmail.com"]
PHONES = ["07700 900{:03d}", "020 7946 0{:03d}", "0161 496 0{:03d}", "+44 7700 900{:03d}", "0113 496 0{:03d}"]
POSTCODES = ["LS1 4DY", "M1 4BT", "B15 2TT", "EH3 9QG", "CF10 3NQ", "NE1 7RU", "BS8 1TH", "SW1A 2AA", "G2 8DL",
             "NG7 2RD", "L3 9PP", "S1 2HE"]
TEAMS = ["data_platform", "finance_systems", "customer_insight", "infrastructure"]

TECH_KIND = "technology"


@dataclass
class Span:
    """One answer-key entry: `value` is `turns[turn].text[start:end]` of conversation `transcript`."""

    transcript: str
    turn: int
    start: int
    end: int
    kind: str  # TECH_KIND, "person name", "email address", "phone number", "postcode"
    value: str


@dataclass
class FixtureTurn:
    speaker: str
    role: str  # "interviewer" or "participant"
    text: str


@dataclass
class FixtureConversation:
    name: str
    team: str
    interviewer: str
    participant: str
    turns: list[FixtureTurn] = field(default_factory=list)


@dataclass
class Fixture:
    """The conversations and the answer key: every tool or product name and every planted datum."""

    conversations: list[FixtureConversation]
    tech: list[Span]
    personal: list[Span]

    def distinct_tech(self) -> set[str]:
        return {s.value for s in self.tech}


class _Writer:
    """Fills sentence templates, recording where each slot's value lands in the turn."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.next_of = {category: 0 for category in TECH}
        self.phone_number = 100

    def tech(self, category: str) -> str:
        names = TECH[category]
        value = names[self.next_of[category] % len(names)]
        self.next_of[category] += 1
        return value

    def fill(self, template: str, colleagues: list[str]) -> tuple[str, list[tuple[int, int, str, str]]]:
        """The sentence and its (start, end, kind, value) slots."""
        text, spans = "", []
        person = colleagues[self.rng.randrange(len(colleagues))]
        for piece in re.split(r"(\{=?[\w ]+\})", template):
            slot = re.fullmatch(r"\{(=?)([\w ]+)\}", piece)
            if not slot:
                text += piece
                continue
            literal, name = slot.groups()
            if literal:
                value, kind = name, TECH_KIND
            elif name in TECH:
                value, kind = self.tech(name), TECH_KIND
            elif name == "person":
                value, kind = person, "person name"
            elif name == "first":
                value, kind = person.split()[0], "person name"
            elif name == "email":
                first, *_, last = person.lower().split()
                value = f"{first}.{last}@{EMAIL_DOMAINS[self.rng.randrange(len(EMAIL_DOMAINS))]}"
                kind = "email address"
            elif name == "phone":
                self.phone_number += 7
                value, kind = PHONES[self.phone_number % len(PHONES)].format(self.phone_number % 1000), "phone number"
            elif name == "postcode":
                value, kind = POSTCODES[self.rng.randrange(len(POSTCODES))], "postcode"
            else:
                raise ValueError(f"unknown slot {piece} in {template!r}")
            spans.append((len(text), len(text) + len(value), kind, value))
            text += value
        return text, spans


def generate(n_conversations: int = 12, seed: int = 7, personal_per_conversation: int = 5) -> Fixture:
    """`n_conversations` interviews: one interviewer, one participant each, teams in turn.

    Each interview has the eight `QUESTIONS`; the participant introduces
    themself by name in the first answer, and each answer holds two or three
    technology sentences. `personal_per_conversation` sentences with planted
    personal data about two colleagues are spread over answers 2 to 7.
    """
    rng = random.Random(seed)
    writer = _Writer(rng)
    conversations, tech, personal = [], [], []
    tech_order = list(range(len(TECH_SENTENCES)))
    rng.shuffle(tech_order)
    next_sentence = 0
    for k in range(n_conversations):
        participant = PARTICIPANTS[k % len(PARTICIPANTS)]
        colleagues = [COLLEAGUES[(2 * k) % len(COLLEAGUES)], COLLEAGUES[(2 * k + 1) % len(COLLEAGUES)]]
        team = TEAMS[k % len(TEAMS)]
        conv = FixtureConversation(f"interview-{k + 1:02d}", team, INTERVIEWER, participant)
        personal_at = sorted(rng.sample(list(range(1, len(QUESTIONS) - 1)) * 2, personal_per_conversation))
        for q, question in enumerate(QUESTIONS):
            conv.turns.append(FixtureTurn(INTERVIEWER, "interviewer", question))
            sentences: list[tuple[str, list]] = []
            if q == 0:
                intro = f"I'm {participant}, I've been in the {team.replace('_', ' ')} team for about six years."
                start = len("I'm ")
                sentences.append((intro, [(start, start + len(participant), "person name", participant)]))
            for _ in range(rng.choice([2, 3]) if q < len(QUESTIONS) - 1 else 1):
                template = TECH_SENTENCES[tech_order[next_sentence % len(tech_order)]]
                next_sentence += 1
                sentences.append(writer.fill(template, colleagues))
            for _ in range(personal_at.count(q)):
                template = PERSONAL_SENTENCES[rng.randrange(len(PERSONAL_SENTENCES))]
                sentences.insert(rng.randrange(1, len(sentences) + 1), writer.fill(template, colleagues))
            text, turn_spans = "", []
            for sentence, spans in sentences:
                offset = len(text) + (1 if text else 0)
                text = f"{text} {sentence}" if text else sentence
                turn_spans += [(offset + a, offset + b, kind, value) for a, b, kind, value in spans]
            turn = len(conv.turns)
            conv.turns.append(FixtureTurn(participant, "participant", text))
            for a, b, kind, value in turn_spans:
                (tech if kind == TECH_KIND else personal).append(Span(conv.name, turn, a, b, kind, value))
        conversations.append(conv)
    return Fixture(conversations, tech, personal)
