"""Message preparation shared by every triage signal: normalise once, then let each signal read the result.

People in distress do not write tidy English. Before any rule runs we undo the disguises that would let a
crisis slip past a word list: Unicode look-alikes and stylised letters (NFKC), zero-width and control characters,
accents, leetspeak (``su1c1de``, ``k!ll``), spaced or censored letters (``k i l l``, ``k*ll``), stretched letters
(``dieeee``), hashtags written as one word (``#iwanttodie``), emoji that stand for means (pills, knife, rope) and
ordinary misspellings of the words the lexicon looks for. Everything here is linear in the length of the message,
so a 100 KB paste costs milliseconds, not seconds.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Emoji that carry meaning for triage become words; every other symbol becomes a space. Skull and laughing faces
# are what people send when something is funny, so they become "lol", which the idiom rules understand.
_EMOJI_WORDS = {
    "💊": " pills ", "🔪": " knife ", "🗡": " knife ", "🔫": " gun ", "🪢": " rope ", "⚰": " coffin ",
    "🪦": " grave ", "🩸": " blood ", "🚑": " ambulance ", "🆘": " help ", "😭": " crying ", "😢": " crying ",
    "💀": " lol ", "😂": " lol ", "🤣": " lol ", "😆": " lol ", "😅": " lol ", "🙃": " lol ",
}
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2018": "'",
                         "\u2019": "'", "`": "'", "\u00b4": "'"})
# Zero-width characters are removed (they hide inside words); other control characters separate words.
_ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200d\u2060-\u2064\ufeff\u034f\u180e]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffd]")
_RAW_TOKEN = re.compile(r"[\w@$!|*]+|[.,!?;:\"()\n]")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i",
                       "|": "i"})
_UNIT = re.compile(r"\d+(?:mg|mcg|ml|g|kg|lbs?|am|pm|st|nd|rd|th|x|s|yo|yrs?|h|hrs?|mins?|wks?|d|days?|k|m|%)")
_RUNS = re.compile(r"(\w)\1{2,}")
_OD = re.compile(r"\bod'(d|ed|ing)\b")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff]")
# "k i l l m y s e l f": runs of three or more single letters are read as one word.
_SPELLED_OUT = re.compile(r"\b(?:[a-z] ){2,}[a-z]\b")
PUNCTUATION = frozenset('.,!?;:"()\n')
SENTENCE_END = frozenset(".!?;\n")

# Chat words that are English but absent from the model's vocabulary (it has "don", not "dont").
_CHAT_WORDS = frozenset(
    "im ive id ill dont cant wont didnt doesnt isnt arent wasnt werent havent hasnt hadnt wouldnt couldnt shouldnt "
    "aint thats whats theres hes shes theyre youre ur u r lol lmao omg idk tbh ngl pls plz thx ok okay yeah yea "
    "gonna wanna gotta kinda tho cuz bc rn fr btw smh imo ya yall accutane isotretinoin absorica claravis amnesteem "
    "myorisan zenatane roaccutane acutane accutaine ipledge derm dermatologist moisturizer moisturiser "
    "chapstick vaseline aquaphor cerave diarrhea diarrhoea tinnitus".split()
)

_FUNCTION_WORDS = frozenset(
    "the a an i im ive id ill is are was were be been being to of and or but in on at for with my me you your it its "
    "this that these those what how why when where who can could do does did dont doesnt didnt have has had will "
    "would should not no so if about from as just than then there here they them we us our he she his her".split()
)
# One-word hashtags and glued phrases, found as substrings of long unknown tokens.
_GLUED = {
    "iwanttodie": "i want to die", "wanttodie": "want to die", "wannadie": "wanna die", "killmyself": "kill myself",
    "endmylife": "end my life", "endmyself": "end myself", "hurtmyself": "hurt myself", "cutmyself": "cut myself",
    "selfharm": "self harm", "suicidal": "suicidal", "imsuicidal": "im suicidal", "icantbreathe": "i cant breathe",
    "cantbreathe": "cant breathe",
}
# Chat slang for the acts the lexicon looks for.
_SLANG = {
    "kms": "kill myself", "unalive": "kill", "unaliving": "killing", "unalived": "killed", "sewerslide": "suicide",
    "selfharm": "self harm", "oded": "overdosed",
    "wana": "wanna", "wnat": "want", "wnt": "want", "whant": "want", "myslef": "myself", "mysefl": "myself",
    "kil": "kill", "kll": "kill", "cnt": "cant", "breath": "breathe", "breathin": "breathing", "seizing": "seizing",
    "seizer": "seizure",
    "siezure": "seizure", "seisure": "seizure", "diarhea": "diarrhea", "diarrhoea": "diarrhea",
}


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """English words the embedding model knows, used as a dictionary; empty if the model package is absent."""
    try:
        from rxplain.embeddings import tokenizer_file

        with open(tokenizer_file(), encoding="utf-8") as handle:
            vocab = json.load(handle)["model"]["vocab"]
    except Exception:  # noqa: BLE001 - no model package means no dictionary, never a failure
        return _CHAT_WORDS
    words = {w for w in vocab if w.isascii() and w.isalpha()}
    return frozenset(words | _CHAT_WORDS)


class Speller:
    """Corrects misspellings of the words triage looks for (edit distance 1, transpositions included).

    Only tokens that are not English words are corrected, so "pill" never becomes "kill". The method is the
    symmetric-delete trick: a token and a keyword are one edit apart when their one-deletion sets meet.
    """

    def __init__(self, keywords: Iterable[str]) -> None:
        self._index: dict[str, str] = {}
        for word in sorted(set(keywords), key=len):
            if len(word) < 5:
                continue  # short words have too many real-word neighbours to correct safely
            for variant in (word, *_deletes(word)):
                self._index.setdefault(variant, word)

    def correct(self, token: str) -> str:
        if not 5 <= len(token) <= 24 or not token.isalpha():
            return token  # a 100 KB "word" must not cost 100 KB of deletions
        for variant in (token, *_deletes(token)):
            hit = self._index.get(variant)
            if hit is not None and abs(len(hit) - len(token)) <= 1:
                return hit
        return token


def _deletes(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


@dataclass(frozen=True)
class Prepared:
    """A message read once: the normalised text and the structure every signal needs.

    ``text`` is lower-case, one space between tokens, punctuation kept as its own token ("im not suicidal , just
    tired ."), so rules can be written as plain phrases with word boundaries.
    """

    text: str
    folded: str  # NFKC, case-folded original without control characters: for other languages' keywords
    sentence_starts: tuple[int, ...]
    quotes: tuple[tuple[int, int], ...]  # spans of text inside double quotes
    words: int
    readable: bool  # False when most words are in a language or script the lexicon does not cover
    query_vector: Any = None  # the message's embedding when the caller already has it (shared with answers)

    def sentence_of(self, position: int) -> tuple[int, int]:
        """The span of the sentence containing ``position`` (used for history and question scope)."""
        index = bisect.bisect_right(self.sentence_starts, position) - 1
        start = self.sentence_starts[index] if index >= 0 else 0
        end = self.sentence_starts[index + 1] if index + 1 < len(self.sentence_starts) else len(self.text)
        return start, end

    def in_quote(self, position: int) -> tuple[int, int] | None:
        for start, end in self.quotes:
            if start <= position < end:
                return start, end
        return None


def clean(message: object) -> str:
    """Any input to a str without control characters; bytes are decoded leniently, never rejected."""
    if isinstance(message, bytes | bytearray):
        message = bytes(message).decode("utf-8", errors="replace")
    if not isinstance(message, str):
        message = "" if message is None else str(message)
    message = message.encode("utf-8", errors="replace").decode("utf-8")  # lone surrogates
    message = _ZERO_WIDTH.sub("", message)
    return _CONTROL.sub(" ", message)


def prepare(message: object, speller: Speller | None = None) -> Prepared:
    """Normalise any input once for every signal; never raises, linear in the length of the message."""
    raw = unicodedata.normalize("NFKC", clean(message))
    folded = raw.casefold()
    text = folded.translate(_QUOTES)
    if not text.isascii():
        for emoji, word in _EMOJI_WORDS.items():
            if emoji in text:
                text = text.replace(emoji, word)
        # Strip accents (suïcide, dié) but keep the letters of other scripts.
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = _OD.sub(lambda m: "overdosing" if m.group(1) == "ing" else "overdosed", text)  # od'd is not "odd"
    text = re.sub(r"(?<=\w)'(?=\w)", "", text)  # don't -> dont, i'm -> im: one spelling for rules to match
    text = text.replace("#", " ")
    fixed: dict[str, str] = {}
    tokens = []
    for raw_token in _RAW_TOKEN.findall(text):
        token = fixed.get(raw_token)
        if token is None:
            token = fixed[raw_token] = _clean_token(raw_token, speller)
        if token:
            tokens.append(token)
    normal = _SPELLED_OUT.sub(lambda m: _unglue(m.group().replace(" ", "")), " ".join(tokens))
    words, readable = _readability(normal, fixed)
    return Prepared(
        text=normal,
        folded=folded,
        sentence_starts=_sentence_starts(normal),
        quotes=_quote_spans(normal),
        words=words,
        readable=readable,
    )


def _readability(normal: str, fixed: dict[str, str]) -> tuple[int, bool]:
    """How many words, and whether they read as English: mostly words the model knows and, in longer text, some
    English function words (Spanish or French share much vocabulary, "con", "de", "est", but not "the", "my")."""
    known = alpha = foreign_letters = function = 0
    vocab = vocabulary()
    for token, count in Counter(normal.split(" ")).items():
        if token in PUNCTUATION or token.isdigit() or not token:
            continue
        alpha += count
        function += count * (token in _FUNCTION_WORDS)
        if not token.isascii():
            foreign_letters += len(token) * count
        elif token in vocab or fixed.get(token, token) != token or _inflected(token, vocab):
            known += count
    if alpha == 0:
        return 0, True
    share = known / alpha
    english = share >= 0.5 and foreign_letters < 12 + 2 * known
    return alpha, english and not (alpha >= 5 and function / alpha < 0.1 and share < 0.85)


@lru_cache(maxsize=50_000)
def _fix_token(token: str, speller: Speller | None) -> str:
    """Leetspeak, stretched letters, slang and spelling for one raw token (cached: chat repeats its words)."""
    if token in PUNCTUATION:
        return token
    token = token.strip("!|_")
    if not token:
        return ""
    if any(c.isdigit() or c in "@$!|" for c in token) and any(c.isalpha() for c in token):
        if not _UNIT.fullmatch(token):
            token = token.translate(_LEET)
    if "*" in token:
        token = _uncensor(token, speller)
    token = token.replace("_", " ").strip()
    if not token.isascii() or not token.isalpha():
        return token
    vocab = vocabulary()
    if _RUNS.search(token):
        twice, once = _RUNS.sub(r"\1\1", token), _RUNS.sub(r"\1", token)
        token = once if (once in vocab or once in _SLANG) and twice not in vocab else twice
    if token in _SLANG:
        return _SLANG[token]
    if token in vocab or _inflected(token, vocab):
        return token
    if 8 <= len(token) <= 64:
        unglued = _unglue(token)
        if unglued != token:
            return unglued
    return speller.correct(token) if speller is not None else token


def _inflected(token: str, vocab: frozenset[str]) -> bool:
    """"shaving" is English even if only "shave" is in the model's vocabulary: never "correct" it."""
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""), ("ly", ""),
                         ("er", ""), ("ers", ""), ("iness", "y"), ("ies", "y"), ("ied", "y")):
        if token.endswith(suffix) and token[: -len(suffix)] + repl in vocab:
            return True
    return token[-3:-2] == token[-4:-3] and token.endswith("ing") and token[:-4] in vocab  # stopping -> stop


def _clean_token(token: str, speller: Speller | None) -> str:
    # "die!!!" is a word and the end of a sentence: keep both.
    fixed = _fix_token(token, speller)
    return f"{fixed} !" if len(token) > 1 and token.endswith("!") and fixed else fixed


def _uncensor(token: str, speller: Speller | None) -> str:
    """k*ll -> kill, su*cide -> suicide: a star stands for one or two letters of a keyword."""
    pattern = re.compile(re.escape(token).replace(r"\*", "[a-z]{0,2}"))
    candidates = ("kill", "die", "dead", "suicide", "suicidal", "myself", "death", "hang", "overdose", "cut", "fuck")
    for word in candidates:
        if pattern.fullmatch(word):
            return word
    return token.replace("*", "")


def _unglue(word: str) -> str:
    for glued, spaced in _GLUED.items():
        if glued in word:
            return word.replace(glued, f" {spaced} ").strip()
    return word


def _sentence_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    for match in re.finditer(r"[.!?;\n] |\bbut |\bhowever |\band now |, now ", text):
        starts.append(match.end() if match.group().strip() in SENTENCE_END else match.start())
    return tuple(sorted(set(starts)))


def _quote_spans(text: str) -> tuple[tuple[int, int], ...]:
    marks = [m.start() for m in re.finditer('"', text)]
    return tuple((marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2))
