"""Scope rules for a phrase the lexicon found: whose it is, and whether it describes the writer now.

A phrase is set aside when it is negated in its clause ("i'm not suicidal"), part of a question about risks ("can
accutane cause suicidal thoughts?"), a hypothetical ("what if i get a headache"), calm history ("years ago"), about
people in general ("teens on accutane"), or about someone else in the past. Each rule reads a bounded context
around the match, so a 100 KB run-on message costs the same per match as a short one.
"""

from __future__ import annotations

import re

from rxplain.triage.text import Prepared

CONTEXT = 300  # characters either side of a match that its rules read (a run-on "sentence" can be huge)
_NEGATORS = frozenset(
    "not no never nor dont doesnt didnt isnt arent wasnt werent wont wouldnt havent hasnt hadnt aint without "
    "neither nothing zero".split()
)
# A negator followed by one of these hedges does not negate ("not saying i want to die, but...").
_HEDGED = frozenset(
    "not saying|not that|not sure|dont know|not gonna|dont think|not even|not only|not just|no one|no longer|"
    "no i|no im|no ive|no idk|no lol|not gonna lie".split("|")
)
_BREAKERS = frozenset(',.!?;:"(') | frozenset(
    "but and just because cause cuz so though although yet however except".split())
SELF = frozenset("i im ive id ill me my myself mine".split())
_OTHER = frozenset(
    "he she hes shes him her his hers himself herself they them their theyre themselves someone somebody friend "
    "friends bf gf boyfriend girlfriend sister brother sis bro mom mum mother dad father son daughter cousin "
    "husband wife partner roommate classmate coworker aunt uncle grandma grandpa niece nephew".split()
)
_GENERIC = frozenset(
    "people patients users anyone anybody everyone everybody teens teenagers kids children adults men women you "
    "your folks others person guys girls reports studies cases ppl".split()
)
_ADDRESSEES = frozenset("anyone anybody someone somebody everyone".split())
_DRUG = (r"accutane|isotretinoin|absorica|claravis|amnesteem|myorisan|zenatane|roaccutane|it|this|that|"
         r"(?:this|the|these|that) (?:med|meds|medicine|medication|drug|pills?)")
_INFO = re.compile(
    rf"\b(?:can|could|does|do|did|will|would|might|may|is|are|was|were|has|have)\b[^.?!]{{0,60}}\b(?:{_DRUG})\b"
    rf"[^.?!]{{0,40}}\b(?:cause|causes|causing|caused|lead to|leads to|make (?:you|people|someone|me|u|ppl)|"
    rf"give (?:you|people|u)|linked|link|associated|trigger|triggers|increase|raise|worsen|side effects?)\b"
    r"|\b(?:side effects?|risks?|chances? of|odds of|rates? of|how (?:common|likely|rare|often|many people)|"
    r"warnings?|boxed|black box|label|leaflet|pamphlet|package insert|medication guide|studies|study|research|"
    r"evidence|lawsuits?|statistics|percent|linked to|link between|associated with|is it true|true that|"
    r"i (?:read|heard|saw|see) (?:that|about|online|on|people|a lot|stories)|(?:doctor|derm|dermatologist|"
    r"pharmacist|nurse|prescriber) (?:said|says|told me|mentioned|warned|explained)|they (?:said|warned)|"
    r"(?:signs|symptoms) of|what (?:are|is) the (?:\w+ )?(?:signs|symptoms)|what should i (?:watch|look) (?:for|out)|"
    r"when should i worry|(?:worried|scared|afraid|nervous|concerned) (?:about|of|that)|ask(?:s|ed|ing)? (?:about|if|"
    r"whether)|(?:and |but )?(?:what|how) about|(?:is|was) (?:that|this) (?:common|rare|true|real|a thing|proven|"
    r"likely)|(?:can|could|would|will) "
    r"(?:i|you|someone|a person|people) (?:\w+ )?(?:overdose|od|die|get sick) (?:on|from|if|by)|"
    r"is it (?:possible|even possible|dangerous|easy|hard) to (?:overdose|od)|(?:toxic|dangerous|lethal|fatal) in "
    r"(?:an |large )?overdose|(?:is|are) (?:\w+ )?(?:toxic|poisonous) (?:in|if|at)|"
    r"(?:what happens|what would happen) if (?:i|you|someone|a person|people|they) (?:\w+ )?(?:overdose|od|"
    r"takes? too (?:much|many)))\b"
)
_EXPERIENCE = re.compile(
    r"\b(?:ive been|i have been|im (?:having|feeling|getting|starting|experiencing|so)|i am (?:having|feeling|"
    r"getting|starting|experiencing)|i feel|i keep|i (?:started|began) (?:having|to have|feeling|to feel)|"
    r"i (?:have|had) (?:had|been)|ive had|right now|currently|lately|these days|since (?:i started|starting)|"
    r"is it normal|is this normal|should i be worried|i think im|i think i am|i cant stop|ive started|"
    r"made me|is making me|has made me|(?:are|is) back)\b"
)
_HISTORY = re.compile(
    r"\b(?:years? ago|yrs ago|\d+ (?:years|yrs|months) ago|(?:a|one|two|three|four|five|few|couple of|couple|"
    r"several|many) (?:years|months) (?:ago|back)|months ago|when i was (?:younger|little|a kid|a child|a teen|"
    r"a teenager|a baby|a toddler|an infant|young|small|in (?:high school|middle school|college|school|uni)|\d+)|"
    r"when (?:he|she|they) (?:was|were) (?:younger|"
    r"little|a kid|a child|a baby|a teen|a teenager|\d+)|in (?:high school|middle school|"
    r"college)|as a (?:kid|child|teen|teenager)|in (?:19|20)\d\d|back in|used to|in the past|history of|"
    r"long time ago|long ago|last year|years back|previously|past history|my past|a while back|a while ago|"
    r"passed away|died by suicide|committed suicide|(?:killed|hanged) (?:himself|herself|themselves))\b"
)
# Chronic conditions are history for red flags ("i have had anxiety for years") but never excuse suicide talk.
_CHRONIC = re.compile(
    r"\b(?:for years|all my life|my whole life|since i was|diagnosed with|i have (?:depression|anxiety)|"
    r"i (?:suffer|struggle) (?:from|with) (?:depression|anxiety)|(?:my|on) (?:antidepressants|meds for)|before "
    r"(?:i started|starting|accutane)|before taking)\b"
)
_PRESENT = re.compile(
    r"\b(?:again|now|lately|recently|these days|today|tonight|right now|this week|currently|anymore|"
    r"coming back|came back|are back|is back|returning|since (?:i started|starting))\b"
)
# "years ago i overdosed and im fine now": being well now is the end of the history, not a sign of a present crisis.
_RECOVERED = re.compile(r"\b(?:im|i am|ive been|i have been) (?:\w+ )?(?:fine|ok|okay|good|better|well|healthy|"
                        r"stable|doing (?:fine|well|good|great|ok|okay)) (?:now|since|these days)\b")
_PAST = re.compile(r"\b(?:had|was|were|used to|once|got|died|passed away|passed)\b")
_NOW = re.compile(r"\b(?:just|now|right now|is|isnt|are|arent|keeps|wont|cant|tonight|today|currently|think|still)\b")
_HYPOTHETICAL = re.compile(
    r"\b(?:what if|in case|if (?:i|you|someone|anyone|people|they|he|she|u) (?:ever |do |start |starts |started |"
    r"begin to |begins to |were to |get |got |become |feel |have |had |notice |develop |experience |take |took |"
    r"miss |missed |end up |find out |found out )|what happens if|what (?:should|do|would|can) (?:i|you) do if|"
    r"should i (?:stop|call|tell|worry) if|how (?:would|will|do) i know if|when (?:should|do) i (?:call|worry)|"
    r"asked (?:me )?(?:whether|if|about)|ask(?:s|ed)? (?:you |me )?(?:whether|if)|(?:questions?|question) about)"
)
JOKE_OR_FICTION = re.compile(
    r"\b(?:joke|jokes|joking|jokingly|kidding|lol|lmao|haha\w*|meme|song|lyrics?|movie|film|show|book|novel|"
    r"character|episode|game|tiktok|video|sarcastic|sarcastically|funny|quote|line from|sings?)\b"
)
SOURCE = re.compile(
    r"\b(?:label|leaflet|insert|warning|warnings|guide|article|website|site|pamphlet|study|box|brochure|ipledge|"
    r"form|quiz|questionnaire|survey|google|reddit|online|forum|tiktok|twitter|comment|review|post|headline)\b"
)

def judge(text: str, start: int, span: tuple[int, int], person: str, for_flag: bool) -> str | None:
    """Why a match does not describe the writer (or a named person) now; None when it does."""
    if person == "generic":
        return "about other people"
    if for_flag and person == "other":
        return "someone else"  # a red flag is advice for the patient who writes, not for their friend
    if _negated(text, start):
        return "negated"
    sentence = text[span[0]:span[1]]
    if not _EXPERIENCE.search(sentence) and not _first_person_statement(text, start) and _INFO.search(sentence):
        return "question about risks"
    for hypothetical in _HYPOTHETICAL.finditer(text, span[0], min(span[1], start + 40)):
        if hypothetical.start() < start and not _breaks(text[hypothetical.end():start]):
            return "hypothetical"
    # History is read over the sentence ("years ago , i overdosed"), but only a sign of the present in the same
    # clause overrules it ("years ago i overdosed , im fine now" stays history).
    clause = _RECOVERED.sub(" ", _clause(text, start, span))
    if not _PRESENT.search(clause) and (_HISTORY.search(sentence) or (for_flag and _CHRONIC.search(sentence))):
        return "past history"
    if person == "other" and _PAST.search(clause) and not _NOW.search(clause):
        return "someone else, in the past"
    return None


def calm_history(text: str) -> bool:
    head = text[:2000]
    return bool(_HISTORY.search(head)) and not _PRESENT.search(head)


def near(span: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    return max(span[0], start - CONTEXT), min(span[1], end + CONTEXT)


def _clause(text: str, start: int, span: tuple[int, int]) -> str:
    left = text.rfind(" , ", span[0], start)
    right = text.find(" , ", start, span[1])
    return text[left + 1 if left >= 0 else span[0]:right if right >= 0 else span[1]]


def _first_person_statement(text: str, start: int) -> bool:
    """ "... i want to kill myself": the writer says it, whatever question surrounds it ("can i overdose" asks)."""
    before = text[max(0, start - 30):start].split()[-3:]
    if not before or before[-1] not in ("i", "im", "ive", "id", "ill"):
        return False
    return not (len(before) >= 2 and before[-2] in _QUESTION_LEAD)


_QUESTION_LEAD = frozenset("can could will would should do does did am if when what how why whether".split())


def _breaks(between: str) -> bool:
    # "if my acne comes back , ill kill myself": the consequence is outside the if-clause and is meant.
    return bool(re.search(r"[,;]|\b(?:then|ill|i will|im going|im gonna|i would|id)\b", between))


def _negated(text: str, start: int) -> bool:
    before = text[max(0, start - 80):start].split()[-5:]
    for index in range(len(before) - 1, -1, -1):
        token = before[index]
        if token in _BREAKERS:
            return False
        if token in _NEGATORS:
            following = before[index + 1] if index + 1 < len(before) else ""
            return f"{token} {following}" not in _HEDGED
    return False


def whose(text: str, start: int, end: int, message: Prepared) -> str:
    """Who a phrase is about: the nearest person word before it in its sentence (else after it); self by default."""
    s_start, _ = near(message.sentence_of(start), start, end)
    before = text[s_start:start].split()
    for index in range(len(before) - 1, -1, -1):
        found = _classify(before, index)
        if found:
            return found
    return "self"  # nobody named before the phrase: the writer (words after it are usually objects, not subjects)


def _classify(tokens: list[str], index: int) -> str | None:
    token = tokens[index]
    if token in SELF:
        # "my sister": the owner is not the person; look at what follows "my".
        if token in ("my", "mine") and index + 1 < len(tokens) and tokens[index + 1] in _OTHER | _GENERIC:
            return "other"
        return "self"
    if token in _OTHER:
        return "other"
    if token in _ADDRESSEES and (index + 1 < len(tokens) and tokens[index + 1] in ("know", "knows", "tell", "help",
                                                                                   "here", "please", "out")):
        return None  # "does anyone know how many...": asking the room, not talking about other people
    if token in _GENERIC:
        if token == "you" and index + 1 < len(tokens) and tokens[index + 1] in ("know", "see", "guys"):
            return None  # "you know": a filler, not a person
        return "other" if index > 0 and tokens[index - 1] in ("my", "our") else "generic"
    return None


def speaker(text: str, quote_start: int, message: Prepared) -> str:
    """Who said a quoted crisis phrase: another person ("my friend told me") or the writer ("i told her")."""
    s_start, _ = near(message.sentence_of(quote_start), quote_start, quote_start)
    before = text[s_start:quote_start].split()
    for index in range(len(before)):
        found = _classify(before, index)
        if found:
            return found  # the subject of the reporting clause comes first
    return "self"

