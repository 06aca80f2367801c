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

from rxplain.triage import scope
from rxplain.triage.lexicon import IDIOMS, LAUGHABLE, LAUGHTER, TERMS, Term
from rxplain.triage.redflags import RedFlag
from rxplain.triage.signal import EMERGENCY, SUICIDE, Finding
from rxplain.triage.text import Prepared, Speller

_FOREIGN = (
    "suicidarme", "suicidio", "suicidar", "suicídio", "suicidaire", "suizid", "quiero morir", "me quiero matar",
    "matarme", "quitarme la vida", "no quiero vivir", "acabar con mi vida", "je veux mourir", "me tuer",
    "me suicider", "envie de mourir", "umbringen", "selbstmord", "ich will sterben", "quero morrer",
    "quero me matar", "vou me matar", "em me matar", "de me matar", "pra me matar", "para me matar",
    "voglio morire", "uccidermi", "убить себя",
    "суицид", "покончить с собой", "хочу умереть", "не хочу жить", "自杀", "自殺", "想死", "不想活", "死にたい",
    "消えたい", "죽고 싶", "자살", "انتحار", "أموت", "आत्महत्या", "मरना चाहत", "intihar", "ölmek istiyorum",
    "samobój", "chcę umrzeć", "zelfmoord", "dood wil",
)
# Emergencies now, in the other languages patients write in most (Spanish, French, Portuguese, German, Italian):
# the fine-tuned model reads English, and below its certainty such text only shows the resources; these call 911.
_FOREIGN_EMERGENCY = (  # phrases of something happening now: a bare noun ("Krampfanfall") is as often history
    "no puedo respirar", "no puede respirar", "no respira", "sobredosis", "se desmayó", "se desmayo",
    "no despierta", "no reacciona", "tiene convulsiones", "está convulsionando", "se tragó", "se trago",
    "tengo un dolor fuerte en el pecho", "tengo dolor en el pecho", "estoy con dolor fuerte en el pecho",
    "se me cierra la garganta", "je ne peux plus respirer", "je n'arrive plus à respirer", "il ne respire plus",
    "elle ne respire plus", "a avalé", "vient d'avaler", "viens d'avaler", "s'est évanoui", "ne se réveille pas",
    "est en train de faire une crise",
    "j'ai mal à la poitrine", "j'ai très mal à la poitrine", "ma gorge se ferme", "não consigo respirar",
    "não respira", "desmaiou", "não acorda", "engoliu", "estou com dor no peito",
    "ich bekomme keine luft", "kann nicht atmen", "atmet nicht", "ist bewusstlos", "wacht nicht auf",
    "hat einen krampfanfall", "hat geschluckt", "ich habe brustschmerzen", "ich habe starke schmerzen in der brust",
    "non riesco a respirare", "non respira", "è svenuto", "è svenuta", "non si sveglia", "sta avendo le convulsioni",
    "ha ingoiato", "ho un forte dolore al petto", "ho dolore al petto", "ha un forte dolore al petto",
    # stroke: a face pulled to one side, speech gone, now
    "cara torcida", "boca torcida", "no puede hablar bien", "visage tordu", "bouche tordue", "n'arrive plus à parler",
    "ne peut plus parler", "rosto torto", "boca torta", "não consegue falar", "gesicht hängt", "mundwinkel hängt",
    "kann nicht mehr sprechen", "faccia storta", "bocca storta", "non riesce più a parlare",
)

# Self-harm the writer reports, in the same five languages, read on the accent-free text: the act with a word of
# intent ("a propósito", "exprès"), since "me corté" alone is as often the kitchen knife, or a verb that means
# self-harm in itself ("ritzen", "scarifier", "autolesionar").
_FOREIGN_SELF_HARM = re.compile("|".join((
    r"\bme (?:corte|queme|lastime|golpee|hice dano|hice cortes|cortei|queimei|machuquei)\b[^.?!]{0,60}"
    r"\b(?:a proposito|adrede|de proposito|aposta|por querer)\b",
    r"\bje me suis (?:coupee?|brulee?|fait du mal|blessee?)\b[^.?!]{0,60}\b(?:expres|volontairement)\b",
    r"\bmi sono (?:tagliat[oa]|bruciat[oa]|fatt[oa] del male|ferit[oa])\b[^.?!]{0,60}"
    r"\b(?:apposta|di proposito|volontariamente)\b",
    r"\b(?:habe|hab) mich\b[^.?!]{0,40}\b(?:geritzt|absichtlich (?:geschnitten|verbrannt|verletzt))\b",
    r"\bich ritze mich\b|\bje me scarifie\b|\bje me mutile\b|\bme autolesion|\bme automutil|\bmi autolesion",
    r"\bme (?:corto|quemo|lastimo) (?:los brazos|las munecas|las piernas|los muslos|el brazo|la pierna|la muneca|"
    r"os bracos|os pulsos)\b|\bmi taglio (?:le braccia|i polsi)\b",
    r"\bme quem\w* [^.?!]{0,30}\bcon (?:un |una |el |los |las )?(?:cigarr|mechero|encendedor|plancha)",
    r"\bme (?:volvi a cortar|hago cortes|corto otra vez)\b|\bme (?:cortei|queimei) (?:de novo|outra vez)\b|"
    r"\bcortei me (?:de novo|outra vez)\b|\bje me (?:brule|coupe|scarifie) (?:avec|les|encore|depuis|sur)\b|"
    r"\bje me suis encore (?:scarifiee?|coupee?|brulee?)\b|\bmi sono (?:tagliat[oa]|bruciat[oa]) di nuovo\b|"
    r"\bich (?:verbrenn|verbrenne|ritz|ritze|schneide) mich\b|\bmi graffio\b[^.?!]{0,40}\b(?:sanguin|apposta)",
)))
# Suicide and emergencies told in the same five languages, read on the accent-free text: first-person statements of
# now ("me falta el aire", "je vomis du sang", "ich will springen"), never a bare noun or an idiom ("ça me tue",
# "bringt mich noch um", "tá me matando"), and nothing a question about risks would say.
_FOREIGN_SUICIDE_TEXT = re.compile("|".join((
    r"\b(?:mejor|melhor) sin mi\b|\b(?:mejor|melhor) sem mim\b|\bla unica salida\b|\bhacerme dano\b|"
    r"\bme (?:las|los) tomo todas?\b|\bme quiero quitar de en medio\b|\bno quiero despertar\b|"
    r"\bregale (?:todas )?mis cosas\b|\bacabar con todo\b",
    r"\ben finir\b|\bmettre fin a mes jours\b|\bme jeter (?:sous|du|par)\b|\bhesite a sauter\b|"
    r"\bidees noires\b|\bque tout sarrete\b|\bmon dernier message\b|\bpas envie de me reveiller\b|"
    r"\bveux (?:plus|pas) vivre\b|\bce soir cest fini\b",
    r"\bse matar\b|\bacabar com tudo\b|\bme machucar\b|\beu tomo tudo\b|\bnao (?:quero )?acordar mais\b|"
    r"\bquero sumir\b",
    r"\bmich umzubringen\b|\bdas leben (?:zu )?nehmen\b|\bleben nimmt\b|\bnie wieder aufwachen\b|"
    r"\bnicht mehr aufzuwachen\b|\babschiedsbrief|\bletzte nachricht\b|\bwill springen\b|"
    r"\bum mich zu bestrafen\b|\bnehm ich sie alle\b",
    r"\bfarla finita\b|\bla faccio finita\b|\bnon svegliarmi piu\b|\bfarmi del male\b|\bammazzarmi\b|"
    r"\btogliermi la vita\b|\bbuttarmi (?:giu|dal|sotto)\b",
)))
_FOREIGN_EMERGENCY_TEXT = re.compile("|".join((
    r"\bme falta el aire\b|\bvomitando sangre\b|\bsangr(?:a|o|ando) [^.?!]{0,30}\b(?:sin parar|no para)\b|"
    r"\bse ha (?:tragado|tomado) (?:como |unas? |varias |todas? )?\d*|\bno hay forma de despertarl|"
    r"\bse me ha dormido (?:la mitad|medio)\b|\bno siento (?:la pierna|el brazo|la mitad)\b",
    r"\bdouleur (?:enorme|violente|intense|tres forte|forte|atroce) (?:dans|a) la poitrine\b|"
    r"\bdouleur thoracique\b|\bje respire mal\b|\bje saigne (?:enormement|beaucoup|abondamment)\b|"
    r"\bcrache (?:beaucoup )?(?:de|du) sang\b|\bje vomis du sang\b|\bje me sens partir\b|\bbras engourdi\b|"
    r"\bje vois plus rien\b",
    r"\b(?:estou|to|esta|ta) com falta de ar\b|\bvomitando sangue\b|\bsangrando muito\b|\bnao para de sangrar\b|"
    r"\bcaiu desacordad[oa]\b|\bcoracao disparado\b|\bdor no peito (?:muito forte|forte|agora)\b",
    r"\batemnot\b|\bblute (?:extrem|sehr|stark)|\berbreche blut\b|\bschwarz vor augen\b|\bzu viele tabletten\b|"
    r"\bist (?:gerade )?umgekippt\b|\breagiert nicht\b",
    r"\bdolore fortissimo al petto\b|\bper sbaglio troppa\b|\btroppe (?:pastiglie|compresse) per sbaglio\b|"
    r"\bperde (?:molto )?sangue\b",
)))

# One alternation per list: a single pass over a long message instead of one substring search per phrase.
_FOREIGN_PATTERNS = tuple((re.compile("|".join(re.escape(p) for p in phrases)), category)
                          for phrases, category in ((_FOREIGN, SUICIDE), (_FOREIGN_EMERGENCY, EMERGENCY))) + (
    # "mon frère fait une crise d'épilepsie" is now; "il a fait une crise d'épilepsie" (passé composé) is history.
    (re.compile(r"(?<!\ba )(?<!avait )(?<!déjà )fait une crise d['’]épilepsie"), EMERGENCY),
)


# Distinctive words worth correcting when misspelt. Common words are left out on purpose: a speller aimed at
# "having" would turn "shaving" into it.
_KEYWORDS = frozenset(
    "suicide suicidal myself overdose overdosed overdosing breathe breathing seizure seizures bleeding unconscious "
    "swallowed hopeless worthless anymore pregnant diarrhea headache fainted fainting unresponsive convulsing "
    "anaphylaxis anaphylactic stockpiling stockpiled painkillers tablets capsules isotretinoin accutane nosebleed "
    "killing choking throat swelling swollen stroke slurred slurring slurry numbness collapsed depressed "
    "depression anxious "
    "blurry blurred vision hearing tinnitus jaundice stomach abdominal blisters blistering rectal muscle weakness "
    "period positive vomiting vomit chest pressure tightness drooping hanging poison bleach goodbye burden".split()
)


# "no quiero hacerme daño", "non voglio farmi del male", "je ne veux pas en finir": a negation in the few words
# before the phrase. ("ne" alone is left out: French puts it before "veux plus vivre", which is no denial.)
_FOREIGN_NEGATION = re.compile(r"\b(?:no|nao|nem|non|ni|pas|nicht|kein\w*|nunca|jamais|mai|sin|sem|senza|ohne)\b")


def _said_unnegated(pattern: re.Pattern[str], text: str) -> bool:
    """Whether the pattern matches somewhere that the four words before it do not negate."""
    for match in pattern.finditer(text):
        before = text[max(0, match.start() - 40): match.start()].split()[-4:]
        if not _FOREIGN_NEGATION.search(" ".join(before)):
            return True
    return False


def _foreign_crisis(message: Prepared) -> str | None:
    """The category of the first crisis phrase in another language: the phrase lists on the folded text, then the
    first-person statements on the accent-free text (unless negated just before)."""
    for pattern, category in _FOREIGN_PATTERNS:
        if pattern.search(message.folded):
            return category
    for pattern, category in ((_FOREIGN_SUICIDE_TEXT, SUICIDE), (_FOREIGN_EMERGENCY_TEXT, EMERGENCY)):
        if _said_unnegated(pattern, message.text):
            return category
    return None


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
_RADIUS = 240
_BUDGET = 16_000  # characters of crisis windows
_FLAG_BUDGET = 8_000  # and of red-flag windows on top
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
        self._flag_anchors = frozenset(max(p.split(), key=len) for f in self.flags for p in f.phrases)
        # A phrase cannot match without its longest word, so those words are the cheap test for a flag.
        self._flag_keys = {f.id: tuple({max(p.split(), key=len) for p in f.phrases}) for f in self.flags}

    def windows(self, text: str) -> tuple[list[tuple[int, int]], bool]:
        """Spans worth scanning, and whether the budget cut some off.

        Crisis words are served first: a long message about dry skin mentions "peeling" in every line, and those
        red-flag windows must not use up the budget before the one sentence that says "i want to end my life".
        """
        if len(text) <= _WHOLE:
            return [(0, len(text))], False
        tokens = text.split(" ")
        offsets = list(accumulate((len(t) + 1 for t in tokens), initial=0))
        crisis = _spans(text, offsets, [i for i, t in enumerate(tokens) if t in _ANCHORS or t.rstrip("sd") in _ANCHORS])
        kept, truncated = _within(crisis, _BUDGET)
        used = sum(e - s for s, e in kept)
        flags = _spans(text, offsets, [i for i, t in enumerate(tokens) if t in self._flag_anchors])
        extra, cut = _within(_subtract(flags, kept), max(0, _BUDGET + _FLAG_BUDGET - used))
        return sorted(kept + extra), truncated or cut

    def assess(self, message: Prepared) -> list[Finding]:
        findings: dict[tuple[str, str], Finding] = {}
        text = message.text
        windows, truncated = self.windows(text)
        if truncated:
            findings[("set_aside", "budget")] = Finding(  # a note, not an explanation: its category matches nothing
                "set_aside", "scan_budget", "lexicon: very long message, only the first parts near warning words were read")
        segments = [(w, _prefixes(text[w[0]:w[1]])) for w in windows]
        idioms: list[tuple[int, int]] | None = None
        for term in TERMS:
            judged = 0
            live = [w for w, prefixes in segments if not term.keys.isdisjoint(prefixes)]
            for match in (m for w in live for m in term.pattern.finditer(text, *w)):
                if idioms is None:
                    idioms = [m.span() for w in windows for m in IDIOMS.finditer(text, *w)]
                finding = self._judge_term(message, term, match, idioms)
                findings.setdefault((finding.level, finding.evidence), finding)
                judged += 1
                # Enough: the term already decided, or a pasted wall of one word must not cost quadratic time.
                if finding.level in ("crisis", "concern") or judged >= _MATCHES_PER_TERM:
                    break
        foreign = _foreign_crisis(message)
        if foreign is not None:
            findings[("crisis", "foreign")] = Finding("crisis", foreign,
                                                      "lexicon: crisis words in another language")
        if _said_unnegated(_FOREIGN_SELF_HARM, message.text):
            # The same evidence as the English rule: a reported act of self-harm, which the classifier may not veto.
            findings[("crisis", "foreign self-harm")] = Finding("crisis", SUICIDE, "lexicon: self-harm")
        if not any(f.level in ("crisis", "concern") for f in findings.values()) and scope.calm_history(text):
            # Told as history with nothing about now: the embedding must be very sure to call it a crisis.
            findings[("set_aside", "history")] = Finding("set_aside", SUICIDE, "lexicon: told as past history")
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
        span = scope.near(message.sentence_of(start), start, end)
        sentence = text[span[0]:span[1]]
        reason = None
        quote = message.in_quote(start)
        matched = match.group()
        person = "self" if set(matched.split()) & scope.SELF else scope.whose(text, start, end, message)
        if quote is not None:
            outside = text[span[0]:quote[0]] + " " + text[quote[1]:span[1]]
            if scope.JOKE_OR_FICTION.search(outside):
                reason = "quoted joke or fiction"
            elif scope.SOURCE.search(outside):
                reason = "quoted from a source"
            else:
                person = scope.speaker(text, quote[0], message)
        if reason is None:
            reason = scope.judge(text, start, span, person, for_flag=False)
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
        keys = self._flag_keys[flag.id]
        windows = [w for w in windows if any(k in text[w[0]:w[1]] for k in keys)]
        if not windows:
            return None  # none of the flag's phrases can be there: skip its regex
        for group in flag.groups:
            if not any(group.search(text, *w) for w in windows):
                return None
        for match in (m for w in windows for m in flag.pattern.finditer(text, *w)):
            start = match.start()
            if message.in_quote(start) is not None:
                continue
            person = scope.whose(text, start, match.end(), message)
            span = scope.near(message.sentence_of(start), start, match.end())
            if scope.judge(text, start, span, person, for_flag=True) is None:
                if flag.level == "emergency":
                    return Finding("crisis", EMERGENCY, f"red flag: {flag.id}")
                return Finding("urgent", flag.id, f"red flag: {flag.id}")
        return None


def _prefixes(segment: str) -> set[str]:
    """The first one to four letters of every word: what a term's keys are compared with."""
    words = set(segment.split())
    return {w[:n] for w in words for n in (1, 2, 3, 4)}


def _spans(text: str, offsets: list[int], hits: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for index in hits:
        start, end = max(0, offsets[index] - _RADIUS), min(len(text), offsets[index + 1] + _RADIUS)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _within(spans: list[tuple[int, int]], budget: int) -> tuple[list[tuple[int, int]], bool]:
    kept, used = [], 0
    for start, end in spans:
        if used + (end - start) > budget:
            if budget > used:
                kept.append((start, start + budget - used))
            return kept, True
        kept.append((start, end))
        used += end - start
    return kept, False


def _subtract(spans: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of ``spans`` not already in ``taken`` (both sorted, each without overlaps)."""
    out = []
    for start, end in spans:
        for t_start, t_end in taken:
            if t_end <= start or t_start >= end:
                continue
            if t_start > start:
                out.append((start, t_start))
            start = max(start, t_end)
        if start < end:
            out.append((start, end))
    return out


