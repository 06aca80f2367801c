"""The lexicon signal: crisis phrases and a medicine's red flags, read with negation, scope and quotation rules.

A phrase alone is not a verdict. For each match the rules ask, in order:
- is it inside an idiom ("this acne is killing me", "i'd die for clear skin", "suicide squad")?
- whose is it: the writer, a named person now ("my sister just took a bottle of pills": a crisis for the writer
  too) or people in general ("do teens on accutane get suicidal")?
- is it negated within its clause ("i'm not suicidal, just tired")?
- is the sentence a question about risks ("can accutane cause suicidal thoughts?"), a hypothetical ("what should i
  do if i get a headache") or calm history ("i was depressed years ago")?
- is it quoted, and if so from a joke, a song, a drug label, or another person?
What the rules explain away is reported as ``set_aside`` so the combiner can ask the embedding signal for stronger
evidence before it overrules them; on suicide and emergencies the combiner errs toward safety.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import accumulate

from rxplain.triage.lexicon import IDIOMS, LAUGHABLE, LAUGHTER, TERMS, Term
from rxplain.triage.redflags import RedFlag
from rxplain.triage.signal import EMERGENCY, SUICIDE, Finding
from rxplain.triage.text import Prepared, Speller

_NEGATORS = frozenset(
    "not no never nor dont doesnt didnt isnt arent wasnt werent wont wouldnt havent hasnt hadnt aint without "
    "neither nothing zero".split()
)
# A negator followed by one of these hedges does not negate ("not saying i want to die, but...").
_HEDGED = frozenset(
    "not saying|not that|not sure|dont know|not gonna|dont think|not even|not only|not just|no one|no longer|"
    "not really|never thought|dont wanna|dont want|nothing to|no point|no reason|no way|dont care|never want|"
    "never wake|not wake|dont wake|not exist|not be|no more|nothing left|not worth|dont deserve|wont be|not here".split("|")
)
_BREAKERS = frozenset(',.!?;:"(') | frozenset("but and just because cause cuz so though although yet however except".split())
_SELF = frozenset("i im ive id ill me my myself mine".split())
_OTHER = frozenset(
    "he she hes shes him her his hers himself herself they them their theyre themselves someone somebody friend "
    "friends bf gf boyfriend girlfriend sister brother sis bro mom mum mother dad father son daughter cousin "
    "husband wife partner roommate classmate coworker aunt uncle grandma grandpa niece nephew".split()
)
_GENERIC = frozenset(
    "people patients users anyone anybody everyone everybody teens teenagers kids children adults men women you "
    "your folks others person guys girls many most some reports studies cases ppl".split()
)
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
    r"(?:signs|symptoms) of|what (?:are|is) the (?:signs|symptoms)|what should i (?:watch|look) (?:for|out)|"
    r"when should i worry|(?:worried|scared|afraid|nervous|concerned) (?:about|of|that)|ask(?:s|ed|ing)? (?:about|if|"
    r"whether)|(?:is|was) (?:that|this) (?:common|rare|true|real|a thing|proven|likely)|(?:can|could|would|will) "
    r"(?:i|you|someone|a person|people) (?:\w+ )?(?:overdose|od|die|get sick) (?:on|from|if|by))\b"
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
_PAST = re.compile(r"\b(?:had|was|were|used to|once|got)\b")
_NOW = re.compile(r"\b(?:just|now|right now|is|isnt|are|arent|keeps|wont|cant|tonight|today|currently|think|still)\b")
_HYPOTHETICAL = re.compile(
    r"\b(?:what if|in case|if (?:i|you|someone|anyone|people|they|he|she|u) (?:ever |do |start |starts |started |"
    r"begin to |begins to |were to |get |got |become |feel |have |had |notice |develop |experience |take |took |"
    r"miss |missed |end up |find out |found out )|what happens if|what (?:should|do|would|can) (?:i|you) do if|"
    r"should i (?:stop|call|tell|worry) if|how (?:would|will|do) i know if|when (?:should|do) i (?:call|worry)|"
    r"asked (?:me )?(?:whether|if|about)|ask(?:s|ed)? (?:you |me )?(?:whether|if)|(?:questions?|question) about)"
)
_JOKE_OR_FICTION = re.compile(
    r"\b(?:joke|jokes|joking|jokingly|kidding|lol|lmao|haha\w*|meme|song|lyrics?|movie|film|show|book|novel|"
    r"character|episode|game|tiktok|video|sarcastic|sarcastically|funny|quote|line from|sings?)\b"
)
_SOURCE = re.compile(
    r"\b(?:label|leaflet|insert|warning|warnings|guide|article|website|site|pamphlet|study|box|brochure|ipledge|"
    r"form|quiz|questionnaire|survey|google|reddit|online|forum|tiktok|twitter|comment|review|post|headline)\b"
)
_FOREIGN = (
    "suicidarme", "suicidio", "suicidar", "suicídio", "suicidaire", "suizid", "quiero morir", "me quiero matar", "matarme", "quitarme la vida", "no quiero vivir", "acabar con mi vida",
    "no puedo respirar", "sobredosis", "je veux mourir", "me tuer", "me suicider", "envie de mourir", "umbringen",
    "selbstmord", "ich will sterben", "quero morrer", "me matar", "voglio morire", "uccidermi", "убить себя",
    "суицид", "покончить с собой", "хочу умереть", "не хочу жить", "自杀", "自殺", "想死", "不想活", "死にたい",
    "消えたい", "죽고 싶", "자살", "انتحار", "أموت", "आत्महत्या", "मरना चाहत", "intihar", "ölmek istiyorum",
    "samobój", "chcę umrzeć", "zelfmoord", "dood wil",
)


# Distinctive words worth correcting when misspelt. Common words are left out on purpose: a speller aimed at
# "having" would turn "shaving" into it.
_KEYWORDS = frozenset(
    "suicide suicidal myself overdose overdosed overdosing breathe breathing seizure seizures bleeding unconscious "
    "swallowed hopeless worthless anymore pregnant diarrhea headache fainted fainting unresponsive convulsing "
    "anaphylaxis anaphylactic stockpiling stockpiled painkillers tablets capsules isotretinoin accutane nosebleed "
    "killing choking throat swelling swollen stroke slurred numbness collapsed depressed depression anxious "
    "blurry blurred vision hearing tinnitus jaundice stomach abdominal blisters blistering rectal muscle weakness "
    "period positive vomiting vomit chest pressure tightness drooping hanging poison bleach goodbye burden".split()
)


def keywords(flags: Sequence[RedFlag] = ()) -> set[str]:
    """The speller's targets: the distinctive lexicon words plus the long words of the red flags."""
    words = set(_KEYWORDS)
    for flag in flags:
        words |= {w for w in flag.words if len(w) >= 7 and w.isalpha()}
    return words


# Long messages are scanned only around words that some phrase needs (a window either side), so the cost stays
# linear and small for a 100 KB paste; past the budget the rest is not scanned (reported in the evidence).
_WHOLE = 3000
_MATCHES_PER_TERM = 40
_CONTEXT = 300  # characters either side of a match that its scope rules read (a run-on "sentence" can be huge)
_RADIUS = 240
_BUDGET = 16_000
# Words that every crisis phrase contains at least one of (test_rules checks this against the labelled set by
# scanning every message as if it were long). Common words ("take", "my") are left out on purpose.
_ANCHORS = frozenset(
    "die died dies dying dead death exist alive wake waking sleep forever end ends ending kill unalive myself self "
    "life live living disappear gone born hit hang hurt harm wrist wrists jump bridge roof front purpose crash better "
    "world reason point tired sick worth deserve care cares notice miss tomorrow longer suicide suicidal injury "
    "herself himself themselves themself arm arms leg legs thigh thighs stomach relapse relapsed cut cuts cutting "
    "burn plan rope noose gun note notes letter letters goodbye goodbyes away lethal fatal painless easiest quickest "
    "breath breathe breathing air choking blue chest throat tongue face airway swelling swollen anaphylaxis "
    "anaphylactic heart crushing droop drooping side slurred slurring speech words move numb numbness stroke "
    "headache thunderclap sudden seizure seizures seizing convulsing convulsions fit fitting overdose overdosed "
    "overdosing od bleach poison detergent antifreeze batteries battery pesticide drain bleed bleeding blood "
    "nosebleed faint fainted fainting pass passed passing unconscious unresponsive consciousness blacked collapsed "
    "911 999 112 ambulance ems er emergency hospital anymore give giving hopeless worthless burden done out hate "
    "future rather sooner dark mind night knife blade blades razor stab stabbing shoot shooting drown drowning "
    "suffocate starve starving punish punishing slit train bus truck car stuff things belongings possessions pets "
    "cat dog saved saving stockpiled stockpiling hoarding hoarded stashed stashing collected collecting counted "
    "ready lined took swallow swallowed swallowing ate popped downed drank drink tied tying bought loaded wrote "
    "written writing".split()
)


class LexiconSignal:
    """Crisis phrases for every medicine plus the red flags of the packs it is given."""

    name = "lexicon"

    def __init__(self, flags: Sequence[RedFlag] = ()) -> None:
        self.flags = tuple(flags)
        self.speller = Speller(keywords(self.flags))
        # A red-flag phrase cannot match without its longest word, so that word is its anchor.
        self._anchors = _ANCHORS | {max(p.split(), key=len) for f in self.flags for p in f.phrases}

    def windows(self, text: str) -> tuple[list[tuple[int, int]], bool]:
        """Spans worth scanning, and whether the budget cut some off."""
        if len(text) <= _WHOLE:
            return [(0, len(text))], False
        tokens = text.split(" ")
        anchors = self._anchors
        hits = [i for i, t in enumerate(tokens) if t in anchors or t.rstrip("sd") in anchors]
        offsets = list(accumulate((len(t) + 1 for t in tokens), initial=0))
        spans: list[tuple[int, int]] = []
        for index in hits:
            start, end = max(0, offsets[index] - _RADIUS), min(len(text), offsets[index + 1] + _RADIUS)
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
            if end - spans[0][0] > 2 * _BUDGET and len(spans) == 1:
                break  # one wall of warning words: the budget below cuts it anyway
        kept, used = [], 0
        for start, end in spans:
            if used + (end - start) > _BUDGET:
                kept.append((start, start + _BUDGET - used))
                return kept, True
            kept.append((start, end))
            used += end - start
        return kept, False

    def assess(self, message: Prepared) -> list[Finding]:
        findings: dict[tuple[str, str], Finding] = {}
        text = message.text
        windows, truncated = self.windows(text)
        if truncated:
            findings[("set_aside", "budget")] = Finding(
                "set_aside", SUICIDE, "lexicon: very long message, only the first parts near warning words were read")
        idioms = [m.span() for w in windows for m in IDIOMS.finditer(text, *w)]
        for term in TERMS:
            judged = 0
            for match in (m for w in windows for m in term.pattern.finditer(text, *w)):
                finding = self._judge_term(message, term, match, idioms)
                findings.setdefault((finding.level, finding.evidence), finding)
                judged += 1
                # Enough: the term already decided, or a pasted wall of one word must not cost quadratic time.
                if finding.level in ("crisis", "concern") or judged >= _MATCHES_PER_TERM:
                    break
        for phrase in _FOREIGN:
            if phrase in message.folded:
                findings[("crisis", "foreign")] = Finding(
                    "crisis", SUICIDE if "respirar" not in phrase else EMERGENCY,
                    "lexicon: crisis words in another language")
                break
        for flag in self.flags:
            finding = self._judge_flag(message, flag, windows)
            if finding is not None:
                findings.setdefault((finding.level, finding.evidence), finding)
        return list(findings.values())

    def _judge_term(self, message: Prepared, term: Term, match: re.Match[str], idioms: list[tuple[int, int]]
                    ) -> Finding:
        start, end = match.span()
        text = message.text
        label = f"lexicon: {term.name}"
        if any(s < end and start < e for s, e in idioms):
            return Finding("set_aside", term.category, f"{label} set aside (idiom)")
        span = _near(message.sentence_of(start), start, end)
        sentence = text[span[0]:span[1]]
        reason = None
        quote = message.in_quote(start)
        matched = match.group()
        person = "self" if set(matched.split()) & _SELF else _person(text, start, end, message)
        if quote is not None:
            outside = text[span[0]:quote[0]] + " " + text[quote[1]:span[1]]
            if _JOKE_OR_FICTION.search(outside):
                reason = "quoted joke or fiction"
            elif _SOURCE.search(outside):
                reason = "quoted from a source"
            else:
                person = _speaker(text, quote[0], message)
        if reason is None:
            reason = _scope(text, start, span, person, for_flag=False)
        if reason is None and term.name in LAUGHABLE and LAUGHTER.search(sentence):
            reason = "laughter"
        if reason is None and term.level == "concern" and person != "self":
            reason = "someone else"
        if reason is not None:
            return Finding("set_aside", term.category, f"{label} set aside ({reason})")
        suffix = " (someone else)" if person == "other" else ""
        return Finding(term.level, term.category, label + suffix)

    def _judge_flag(self, message: Prepared, flag: RedFlag, windows: list[tuple[int, int]]) -> Finding | None:
        text = message.text
        for group in flag.groups:
            if not any(group.search(text, *w) for w in windows):
                return None
        for match in (m for w in windows for m in flag.pattern.finditer(text, *w)):
            start = match.start()
            if message.in_quote(start) is not None:
                continue
            person = _person(text, start, match.end(), message)
            span = _near(message.sentence_of(start), start, match.end())
            if _scope(text, start, span, person, for_flag=True) is None:
                if flag.level == "emergency":
                    return Finding("crisis", EMERGENCY, f"red flag: {flag.id}")
                return Finding("urgent", flag.id, f"red flag: {flag.id}")
        return None


def _scope(text: str, start: int, span: tuple[int, int], person: str, for_flag: bool) -> str | None:
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
    clause = _clause(text, start, span)
    if not _PRESENT.search(clause) and (_HISTORY.search(sentence) or (for_flag and _CHRONIC.search(sentence))):
        return "past history"
    if person == "other" and _PAST.search(clause) and not _NOW.search(clause):
        return "someone else, in the past"
    return None


def _near(span: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    return max(span[0], start - _CONTEXT), min(span[1], end + _CONTEXT)


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


def _person(text: str, start: int, end: int, message: Prepared) -> str:
    """Who a phrase is about: the nearest person word before it in its sentence (else after it); self by default."""
    s_start, _ = _near(message.sentence_of(start), start, end)
    before = text[s_start:start].split()
    for index in range(len(before) - 1, -1, -1):
        found = _classify(before, index)
        if found:
            return found
    return "self"  # nobody named before the phrase: the writer (words after it are usually objects, not subjects)


def _classify(tokens: list[str], index: int) -> str | None:
    token = tokens[index]
    if token in _SELF:
        # "my sister": the owner is not the person; look at what follows "my".
        if token in ("my", "mine") and index + 1 < len(tokens) and tokens[index + 1] in _OTHER | _GENERIC:
            return "other"
        return "self"
    if token in _OTHER:
        return "other"
    if token in _GENERIC:
        return "other" if index > 0 and tokens[index - 1] in ("my", "our") else "generic"
    return None


def _speaker(text: str, quote_start: int, message: Prepared) -> str:
    """Who said a quoted crisis phrase: another person ("my friend told me") or the writer ("i told her")."""
    s_start, _ = _near(message.sentence_of(quote_start), quote_start, quote_start)
    before = text[s_start:quote_start].split()
    for index in range(len(before)):
        found = _classify(before, index)
        if found:
            return found  # the subject of the reporting clause comes first
    return "self"
