"""The crisis lexicon: phrases for suicide, self-harm and medical emergencies, and the idioms that look like them.

Patterns run on the normalised text of ``text.prepare`` (lower case, no apostrophes: "dont", "im"), so they are
plain phrases with word boundaries. Each term says whose crisis it can describe:
- ``self``: the phrase names the writer ("kill myself");
- ``context``: the phrase names nobody ("suicidal thoughts", "seizure"); the sentence decides who, and a crisis of
  a named person ("my sister") counts, while people in general ("teens on accutane") do not.
Medicine red flags are not here: they are data in each content pack (``content/<medicine>/red_flags.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rxplain.triage.signal import EMERGENCY, SUICIDE

Person = Literal["self", "context"]


@dataclass(frozen=True)
class Term:
    name: str  # shown as evidence: "lexicon: intent to die"
    category: str
    level: Literal["crisis", "concern"]
    person: Person
    pattern: re.Pattern[str]
    # Word beginnings every match contains at least one of: a cheap test that skips the regex on text that
    # cannot match (test_rules checks them against every labelled message).
    keys: frozenset[str] = frozenset()


def _words(text: str) -> frozenset[str]:
    # Compared on their first four letters with the first one to four letters of each word (see rules.py).
    return frozenset(w[:4] for w in text.split())


def _p(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(rf"\b(?:{p})\b" for p in parts))


_SELF_OBJ = r"(?:my ?self|my own self)(?! esteem| confidence| image| worth| care)"
_PILLS = (r"pills|tablets|meds|medications?|medicine|capsules|caps|tylenol|advil|ibuprofen|paracetamol|"
          r"acetaminophen|accutane|isotretinoin|absorica|claravis|xanax|benadryl|painkillers|pain killers|"
          r"antidepressants|aspirin|sleeping pills|sleeping tablets|bottle|pill bottle")
_MANY = (r"\d{2,}|[5-9]|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|fifty|a hundred|every|"
         r"a whole|the whole|an entire|the entire|a handful of|handfuls of|a bunch of|a lot of|"
         r"a fistful of|too many|way too many|loads of|a box of|a pack of|a packet of|a bottle of")
# What dying or ending one's life sounds like, for the intent rule below.
_DEATH = (r"(?:die|dying|be dead|kill myself|end it|end it all|end my life|end myself|end everything|take my (?:own )?"
          r"life|not be here|not be around|not exist|stop existing|disappear forever|waste away|overdose|od|"
          r"drive off (?:the road|a bridge|a cliff)|crash my car|jump off|hang myself|not wake up|never wake up|"
          r"unalive myself|off myself)\b")
_NEGATION = r"dont\b|not\b|never\b|wont\b|wouldnt\b|didnt\b|no\b|cant\b|doesnt\b|isnt\b"
# Words that put someone or something else between the writer's intent and the death ("want this acne to die").
_NOT_ME = r"this\b|that\b|these\b|those\b|the\b|my\b|your\b|it\b|acne|skin|pimples?|zits?|breakouts?|you\b|him\b|her\b|them\b"
_HEDGE = r"(?:just |really |honestly |finally |kinda |kind of |actually |literally |seriously |simply |so )*"

TERMS: tuple[Term, ...] = (
    # --- suicide and self-harm: statements that decide a crisis on their own -------------------------------------
    Term("intent to die", SUICIDE, "crisis", "self", _p(
        rf"(?:want|wanna|wanted|wish|wishing|would rather|id rather|ready|need|going|gonna|planning|plan|decided|"
        rf"deciding|trying|tryna|about|choose|choosing) (?:to )?{_HEDGE}(?:die|be dead|not exist|stop existing|"
        rf"not be alive|not be here anymore|never wake up|not wake up|sleep forever|go to sleep forever|"
        rf"end it all|end everything|end my life|end myself|kill myself|off myself|unalive myself|"
        rf"take my (?:own )?life)",
        rf"(?:want|wanna|wanted|wish|ready|need|going|gonna|planning) (?:to )?{_HEDGE}(?:end it|end things|"
        rf"disappear forever|be gone forever)",
        r"(?:so (?:that )?i (?:can|could|would|will)|in order to) (?:just )?(?:die|end it all|end my life|not wake up)",
        r"so (?:that )?i (?:dont|wont|never) (?:have to )?wake up",
        r"wish (?:i|id) (?:was|were|could be|would be) dead|wish (?:i|id) (?:could )?die|"
        r"wish i (?:was|were) never born",
        r"wish i (?:wasnt|werent) (?:alive|here|born)|(?:hope|hoping|pray|praying) (?:that )?i (?:die|dont wake up|"
        r"never wake up|do not wake up)|(?:hope|wish) (?:i|id) (?:get|got|was|were) (?:hit|killed)",
        r"(?:want|wanna|wish i could) (?:to )?(?:go to )?sleep and (?:never|not) wake up",
        r"wouldnt mind (?:dying|being dead|not waking up|if i died)",
        r"(?:hope|hoping) (?:that )?(?:the |this |my )?(?:accutane|isotretinoin|medicine|medication|drug|it|this) "
        r"kills me",
    ), keys=_words("die dead dying exist alive here wake sleep end kill kills myself self life disappear gone born "
        "hit unalive off")),
    Term("thoughts of ending own life", SUICIDE, "crisis", "self", _p(
        rf"(?:kill|killing|killed|end|ending|off|offing|hang|hanging|hanged|shoot|shooting|drown|drowning|"
        rf"poison|poisoning|suffocate|suffocating|stab|stabbing|unalive|unaliving) (?:{_SELF_OBJ})",
        r"(?:end|ending|take|taking|took) my (?:own )?life|end it all|ending it all|end my own life",
        r"(?:tried|try|trying|attempted|attempt) to (?:kill|end|off|hang|hurt|harm) (?:my ?self|my life)",
        r"slit(?:ting)? my (?:\w+ )?(?:wrists?|throat)|(?:put|shoot|putting) (?:a bullet|bullets|a gun|\d+ shots?|"
        r"shots?) (?:in|into|through) my (?:head|brain|mouth)|blow my brains? out|"
        r"(?:jump|jumping|jumped) (?:off|from) (?:a|the|my) (?:bridge|building|roof|"
        r"balcony|cliff|overpass|parking garage|tower)",
        r"(?:jump|jumping|jumped|step|stepping|stepped|walk|walking|throw myself|throwing myself|lie down|lying) "
        r"in front of (?:a|the) (?:train|bus|car|truck)|(?:feel like|want to|wanna|tempted to|thought about|thinking "
        r"about) (?:step|stepping|jump|jumping|walk|walking|throwing myself) in front of (?:it|one|them|traffic)",
        r"(?:overdose|od) on purpose|(?:drive|driving|drove|crash|crashing|crashed) my car (?:into|off)",
        r"(?:i|ive) (?:attempted|tried) (?:again |last night |yesterday |today |tonight |this week )?(?:with|by "
        r"taking|using) (?:pills|my pills|a rope|a knife|a blade|tablets|meds)|i (?:attempted|tried) (?:again|last "
        r"night|yesterday|today|tonight|this week)\b(?! to)|survived (?:an|my) attempt",
    ), keys=_words("myself self life end wrist jump front purpose car drive driving drove crash attempt "
        "attempted tried survived unalive")),
    Term("no reason to live", SUICIDE, "crisis", "self", _p(
        r"better off dead|(?:be|are|is) better off without me|world (?:would be|is) better without me",
        r"(?:no|nothing|not any) (?:reason|point) (?:to|in|of) (?:live|living|being alive|going on|staying alive)",
        r"nothing (?:left )?to live for|(?:dont|do not|no longer|dont really|never|not) (?:want|wanna|wanting) (?:to )?"
        r"(?:live|be alive|exist|be here anymore|be here no more|be here any more|wake up|go on living|keep living)",
        r"(?:tired|sick) of (?:living|being alive|existing|life)|(?:had|have had) enough of (?:life|living|being "
        r"alive|existing)|done (?:with )?living|life (?:is not|isnt|aint) worth living|"
        r"not worth living|(?:dont|do not) deserve to live|(?:should|shouldve) (?:just )?(?:die|kill myself)",
        r"(?:would|wouldnt|will|wont) (?:even )?(?:care|notice|miss me) if i (?:was|were|died|disappeared|was gone|"
        r"killed myself|wasnt here)",
        r"(?:everyone|they|people|my family|my parents|the world|everybody) (?:would|will) be (?:\w+ ){0,2}(?:if i "
        r"(?:just )?(?:died|was gone|were gone|disappeared|wasnt here|wasnt alive|killed myself|was dead)|without me)",
        r"better off (?:not existing|not being here|not alive|not being alive|gone|never born)",
        r"(?:easier|better|happier) (?:for everyone )?if i (?:wasnt|werent|was not|were not) (?:here|alive|around)|"
        r"(?:easier|better|happier) (?:for everyone )?if i (?:was|were) (?:gone|dead)",
        r"if (?:a|the) (?:bus|car|truck|train) (?:hit|hits|killed|kills) me(?: \w+){0,3} (?:id|i would) be "
        r"(?:relieved|glad|happy|grateful|fine)",
        r"no more anything|cant (?:go on|keep) living|cant live like this|"
        r"(?:wont|will not) be (?:here|around|alive) (?:tomorrow|"
        r"much longer|for long|anymore|next week)",
    ), keys=_words("dead without better reason point live living exist alive wake tired sick worth deserve die "
        "died kill care notice miss here around gone disappear wasnt enough done relieved anything")),
    Term("suicidal thoughts", SUICIDE, "crisis", "context", _p(
        r"suicidal|suicide|self harm(?:ing)?|self injur(?:y|ing)|selfharm|unalive thoughts|unaliving thoughts|"
        r"(?:thinking|thought|thoughts) (?:about|of) "
        r"(?:dying|killing|ending|death|taking my)",
    ), keys=_words("suicid self injur thinking thought unalive unaliving")),
    # Intent and death in one breath, whatever the exact words: "i want to waste away and die", "part of me wants
    # to drive off the road". No other subject may come between ("i want this acne to die" is not about the writer).
    Term("intent and death together", SUICIDE, "crisis", "self", _p(
        rf"(?:i|im|ive|id|ill|me)(?: (?!{_NEGATION})\w+){{0,3}}? (?:want|wanna|wants|wish|going to|gonna|planning|plan to|ready to|"
        rf"decided to|thinking about|thinking of|tempted to|hoping to|hope to|need to|trying to|tryna|about to|"
        rf"might|will|would rather)(?: (?!{_NOT_ME})\w+){{0,5}}? {_DEATH}",
    ), keys=_words("want wanna wants wish going gonna planning plan ready decided thinking tempted hoping hope need "
        "trying tryna about might will would")),
    Term("someone else at risk", SUICIDE, "crisis", "context", _p(
        r"(?:wants|wanted|is going|is gonna|is trying|tried|threatening|threatened|keeps saying (?:she|he|they) "
        r"(?:wants?|want)) to (?:die|kill (?:her|him|them)sel(?:f|ves)|end (?:her|his|their) (?:own )?life)",
        r"(?:shes|hes|theyre|she is|he is|they are|she was|he was) (?:going|gonna|planning|trying|about) to "
        r"(?:die|kill (?:her|him|them)sel(?:f|ves)|end (?:her|his|their) (?:own )?life|end it)",
        r"(?:kill|killing|hurt|hurting|cut|cutting|harm|harming|end|ending|hang|hanging) (?:himself|herself|"
        r"themselves|themself)",
    ), keys=_words("die kill life himself herself themsel end")),
    Term("self-harm", SUICIDE, "crisis", "self", _p(
        rf"(?:cut|cutting|cuts|burn|burning|burned|burnt|hurt|hurting|harm|harming|harmed|punish|punishing|"
        rf"starve|starving|hit|hitting|punch|punching) (?:{_SELF_OBJ})",
        r"(?:scratch|scratching|scratched|pick|picking|hit|hitting) (?:myself|my \w+) (?:till|until) (?:they|it|i) "
        r"bleeds?",
        r"(?:cut|cutting|cuts|slice|slicing|burn|burning) (?:my|on my) (?:\w+ )?"
        r"(?:arms?|wrists?|legs?|thighs?|stomach)",
        r"(?:carve|carved|carving) (?:\w+ ){0,3}(?:into|in|on) (?:my|on my) (?:\w+ )?(?:arms?|wrists?|legs?|thighs?|"
        r"stomach|skin|hips?)",
        r"(?:relapsed|relapse) (?:on|into) (?:self harm|cutting)|started cutting again|cutting again",
        r"(?:urges?|urging|itching|tempted) to (?:cut|hurt myself|harm myself|self harm|burn myself)",
        r"\bi (?:cut|burned|burnt|self harmed) again",
        r"(?:cut|cutting|burn|burned|burnt|burning|hit|hitting|scratched|scratching|hurt|hurting|bruised) (?:my \w+|"
        r"myself)(?: \w+){0,6} (?<!not )(?<!never )(?:on purpose|deliberately|intentionally|to feel something|"
        r"to feel (?:pain|real))",
        r"(?:cutting|self harm|self harming|burning myself|hurting myself) (?:helps|is the only thing|makes me feel)",
    ), keys=_words("myself self arm wrist leg thigh stomach relapse cutting bleed urge urges urging itching "
        "tempted carve carved carving again purpose deliberately intentionally feel helps")),
    Term("plan or means", SUICIDE, "crisis", "self", _p(
        rf"(?:saved|saving|stockpiled|stockpiling|hoarding|hoarded|collected|collecting|stashed|stashing|"
        rf"been saving) (?:up )?(?:my |all my |all of my |a lot of |lots of |enough |a bunch of |extra )?(?:{_PILLS})",
        rf"(?:{_PILLS}) (?:saved up|stockpiled|stashed|ready|lined up|counted out|next to me|in front of me|in my "
        rf"hand(?! luggage| baggage| bag| carry))",
        r"enough to (?:not wake up|never wake up|die|kill me|kill myself|end it|end my life)",
        r"(?:in case|when|if|before) i (?:decide to |finally )?go through with it|(?:going to|gonna|will|ready to|"
        r"decided to) go through with it",
        r"(?:texting|texted|sending|sent|posted|posting|writing|wrote) (?:me |us )?(?:goodbye|farewell) (?:messages|"
        r"texts|letters|notes|posts)",
        rf"(?:{_MANY}) (?:of )?(?:my |the )?(?:\w+ ){{0,2}}(?:{_PILLS}) (?:\w+ ){{0,2}}(?:saved|stashed|hidden|"
        rf"hoarded|put away)",
        r"(?:take|swallow|taking|swallowing) (?:every|all the|all of the) (?:pill|pills|meds|tablets)",
        rf"(?:swallow|swallowing|overdose on|od on) (?:all|every|the whole|a whole|the rest of) (?:of )?(?:my )?"
        rf"(?:{_PILLS})|(?:take|taking) all (?:of )?my (?:{_PILLS}) (?:at once|tonight|together|in one go)",
        rf"(?:planning|plan) to (?:take|swallow) all (?:of )?(?:my |the )?(?:{_PILLS})|"
        rf"all (?:of )?my (?:{_PILLS}) with (?:a|the) bottle",
        r"(?:use|using|used) (?:it|them|the knife|the blade|a knife|a blade|the razor) on (?:myself|my (?:arms?|wrists?|"
        r"legs?|body))",
        r"(?:dont|do not) think (?:ill|i will|im going to|i am going to) (?:be here|be around|be alive|make it) "
        r"(?:next|tomorrow|much|by|through|past|for)",
        r"(?:know|found|found out|i see) where (?:the|my dads|my moms|his|her|dads|moms) (?:bullets|ammo|gun|"
        r"guns|gun key) (?:is|are)",
        r"(?:standing|sitting|stood|sat) on (?:the|a) (?:bridge|ledge|roof|edge|tracks|railing)|on the (?:train "
        r"tracks|ledge|edge of the roof)",
        r"(?:have|got|made|making|came up with|working on) a plan (?:to|for) (?:die|dying|kill|end|suicide|it|how)",
        r"(?:bought|got|have|tied|made|tying|found) (?:a|the) (?:rope|noose)|noose",
        r"(?:loaded|bought|got) (?:a|my|the|dads|his) gun|gun (?:is )?(?:loaded|ready)",
        r"(?:wrote|writing|written|write) (?:a|my|the) (?:suicide|goodbye|farewell) (?:note|letter)s?|suicide note",
        r"(?:wrote|writing|written) (?:goodbye|farewell) (?:letters|notes|messages)",
        r"(?:giving|gave|give) away (?:all )?my (?:stuff|things|belongings|possessions|pets?|cat|dog)",
        r"(?:giving|gave|given) (?:all )?(?:my )?(?:stuff|things|belongings|possessions) away",
        r"decided (?:that )?(?:im|i am) not (?:going to|gonna) be (?:around|here|alive)",
        rf"(?:\d+|two|three|four|five|six|a few|several) (?:months?|weeks?)(?: worth)?"
        rf"(?: of (?:my )?(?:{_PILLS}|them|it))? (?:saved|stashed|hidden|stockpiled)",
        r"(?:swallow|take) all (?:of )?(?:these|those|them)(?: \w+){0,4} (?:be quick|be painless|kill me|die)",
        r"make it look like an accident",
        r"(?:bye|goodbye) forever|you (?:wont|will not|will never) (?:ever )?hear from me again",
        r"said (?:my )?goodbyes? to everyone|this is (?:my )?(?:goodbye|final goodbye|last message)",
        rf"(?:take|swallow|taking|swallowing) (?:all|the whole bottle|a whole bottle) of my (?:{_PILLS}) "
        rf"(?:at once|tonight)",
        r"how many (?:\w+ ){0,3}(?:would it take|does it take|do i need|would i need) to "
        r"(?:die|kill|overdose|od|end it)",
        r"how many (?:\w+ ){0,3}(?:to die|to kill (?:me|myself|a person|someone)|to overdose|to od|is lethal|is fatal|"
        r"would kill)",
        rf"(?:{_PILLS}|blades|razor|razors|knife|knives|gun|rope) (?:\w+ ){{0,4}}(?:hidden|stashed|put aside|"
        rf"set aside)\b|for when i (?:decide|am ready|finally "
        r"do it|need them|go through with it)|hid(?:den|ing|e)? (?:a |the |some |my |all )?(?:\w+ ){0,3}(?:pills|"
        r"tablets|meds|bottle|gun|knife|blade|blades|razor|rope)",
        r"lethal dose|fatal dose|(?:painless|easiest|quickest|best|quick|easy|peaceful) ways? to (?:die|go|kill myself|"
        r"end it|do it)|ways to (?:die|kill myself|end my life)|"
        r"how (?:to|do i|can i|would i) (?:kill myself|end my life|end it all|die painlessly)",
    ), keys=_words("pill tablet med capsule caps tylenol advil ibuprofen paracetamol acetaminophen accutane "
        "isotretinoin absorica claravis xanax benadryl painkill pain antidepress aspirin bottle plan rope noose "
        "gun note letter goodbye away lethal fatal way how hid stash bullet ammo bridge ledge roof edge tracks "
        "railing blade razor knife for every saved saving stockpil hoard collect aside next front hand enough "
        "texting texted sending sent posted posting writing wrote swallow swallowing use using used dont do case "
        "when if before going gonna will ready decided last month week these those them accident bye goodbye forever "
        "hear")),
    # --- medical emergencies --------------------------------------------------------------------------------------
    Term("trouble breathing", EMERGENCY, "crisis", "context", _p(
        r"(?:cant|cannot|can not|couldnt|unable to|struggling to|struggle to|hard to|hard time|trouble|difficulty|"
        r"difficult to|problems?|barely|having trouble) (?:breathe|breathing|catch (?:my|her|his) breath|"
        r"get (?:any )?air)",
        r"short(?:ness)? of breath|gasping for (?:air|breath)|(?:not|isnt|stopped|stop) breathing|"
        r"lips (?:are |turning )?blue|turning blue|choking|chest (?:is )?(?:closing|tightening up)",
        r"(?:breathing|breathe|breath) (?:is )?(?:like )?(?:breathing )?through a straw|"
        r"(?:breathing|breath) (?:is |feels |has gotten |got )?(?:really |very |so |super |getting )?(?:hard|difficult|"
        r"labou?red|wheezy|noisy)|breathing sounds (?:noisy|wheezy|weird|raspy|squeaky)",
    ), keys=_words("breath breathing breathe air gasping blue choking chest straw")),
    Term("throat or face swelling", EMERGENCY, "crisis", "context", _p(
        r"(?:throat|tongue|face|airway)s? (?:is |are |feels |keeps |started |starting |is starting to )?(?:swelling|"
        r"swollen|closing|tight|tightening|closing up|swell)",
        r"swollen (?:throat|tongue)|anaphyla(?:xis|ctic)",
        r"(?:eyes?|lips?|face|eyelids?) (?:is |are )?(?:swollen|swelling|puffed) (?:almost |nearly |completely )?shut|"
        r"tongue (?:is |feels )?(?:huge|massive|so big|too big|twice its size)",
    ), keys=_words("throat tongue face airway swollen anaphyla eye eyes lip lips eyelid eyelids")),
    Term("chest pain", EMERGENCY, "crisis", "context", _p(
        r"chest (?:pain|pains|is hurting|hurts|hurting|feels tight|tightness|pressure|is tight|feels heavy|is heavy)",
        r"(?:pain|pressure|tightness) in (?:the (?:middle|centre|center|left side|left|right side) of )?"
        r"(?:my|her|his|the) chest|crushing (?:pain|chest|pressure)|heart attack",
        r"chest (?:is )?(?:\w+ ){0,3}(?:and )?(?:hurts|hurting|aches|is in pain)",
    ), keys=_words("chest pain pressure tightness heart crushing")),
    Term("stroke signs", EMERGENCY, "crisis", "context", _p(
        r"face (?:is )?droop(?:ing|y)?|droop(?:ing|y) face|one side of (?:my|her|his|their) (?:face|body) "
        r"(?:is )?(?:numb|weak|droop|drooping|paralyzed|not moving)|slurred speech|slurring (?:my|her|his) words",
        r"(?:speech|words) (?:is|are) slurred|cant (?:move|feel) (?:my|her|his|one) (?:arm|leg|side|face)",
        r"cant feel (?:the )?(?:left|right|one) side|numb(?:ness)? on one side|having a stroke|had a stroke|"
        r"stroke symptoms|worst headache of (?:my|her|his) life",
        r"thunderclap headache|sudden (?:confusion|numbness|weakness|paralysis)",
    ), keys=_words("droop face one body slur speech words move feel numb stroke headache worst thunderclap "
        "sudden")),
    Term("seizure", EMERGENCY, "crisis", "context", _p(
        r"seizures?|seizing|convuls(?:ing|ions?)|having a fit|(?:is|was|started) fitting",
    ), keys=_words("seiz convuls fit")),
    Term("overdose", EMERGENCY, "crisis", "context", _p(
        rf"overdos(?:e|ed|ing)|(?:i|she|he|they|just|friend|brother|sister) od(?:ed)?|od(?:ed)? on (?:\w+ ){{0,2}}"
        rf"(?:{_PILLS}|purpose)",
        rf"(?:baby|toddler|kid|child|son|daughter|\d+ year old|\d+ yo|little (?:brother|sister|one)|dog|puppy) "
        rf"(?:\w+ ){{0,2}}(?:ate|swallowed|got into|took|chewed|has eaten|eaten) (?:\w+ ){{0,4}}(?:{_PILLS}|pill)",
        rf"(?:took|swallowed) all (?:of )?(?:my|his|her|their) (?:{_PILLS}) (?:at once|in one go|together|tonight|and|"
        rf"at the same time)",
        rf"(?:took|swallowed|ate) all (?:of )?(?:her|his|their|the) (?:\w+ ){{0,2}}(?:{_PILLS})",
        rf"(?:took|swallowed|ate|popped|downed|take|taking|swallowing) (?:like |about |around |maybe |over |"
        rf"almost |nearly |literally |at least )?(?:{_MANY}) (?:of )?(?:my |the |her |his |their |mums |moms |dads )?"
        rf"(?:\w+ ){{0,2}}(?:{_PILLS})",
        rf"(?:took|swallowed|taken) (?:my |a |the )?(?:\w+ ){{0,3}}(?:and then|then|plus) (?:like |about |around |"
        rf"maybe )?(?:{_MANY}) (?:of )?(?:\w+ ){{0,2}}(?:{_PILLS})",
        r"(?:drank|drink|swallowed|ate) (?:some |a )?(?:bleach|poison|detergent|antifreeze|drain cleaner|batteries|"
        r"a battery|rat poison|pesticide|cleaning (?:fluid|product|spray|liquid)|chemicals|something from under the "
        r"sink|a tide pod|laundry pods?)",
    ), keys=_words("overdos od bleach poison detergent antifreeze drain batter pesticide took swallow ate "
        "popped downed take taking got chewed eaten drank drink taken then plus")),
    Term("heavy bleeding", EMERGENCY, "crisis", "context", _p(
        r"bleeding (?:heavily|a lot|badly|everywhere|nonstop|non stop|so much|profusely|out)",
        r"(?:wont|cant|doesnt|will not|does not|cannot|isnt going to) stop bleeding|(?:cant|cannot) stop the bleeding",
        r"(?:bleeding|nosebleed|nose bleed) (?:that )?(?:wont|will not|doesnt|isnt going to) stop",
        r"(?:lots|lot|so much|too much) of blood|blood everywhere|pool of blood|"
        r"(?:vomiting|throwing up|coughing up|coughing|puking|spitting up) blood",
    ), keys=_words("bleed blood nosebleed nose")),
    Term("fainting or unresponsive", EMERGENCY, "crisis", "context", _p(
        r"fainted|fainting|passed out|passing out|unconscious|unresponsive|lost consciousness|blacked out|collapsed",
        r"(?:not|isnt|wont|stopped) (?:responding|respond)",
        r"(?:wont|cant|will not|isnt|not) (?:wake|waking) (?:him|her|them|up)|cant wake (?:him|her|them) up",
        r"(?:going to|gonna|about to|feel like im going to|think im going to) (?:faint|pass out)",
    ), keys=_words("faint pass unconscious unresponsive lost blacked collapsed respond wake waking")),
    Term("asking for emergency help", EMERGENCY, "crisis", "context", _p(
        r"(?:call|calling|called|should i call|do i call) (?:911|an ambulance|999|112|ems)|need an ambulance",
        r"(?:should i|do i need to) go to (?:the )?(?:er|emergency room|hospital|a and e) (?:right now|now|tonight)",
    ), keys=_words("911 ambulance 999 112 ems er emergency hospital")),
    # --- concerns: worrying alone, a crisis with another sign ---------------------------------------------------
    Term("hopelessness", SUICIDE, "concern", "context", _p(
        r"cant do this anymore|cant take (?:it|this|life|this life) any ?more|cant take (?:it )?any ?more|cant go on|"
        r"i give up(?! on (?!life|everything|myself|living))|giving up on (?:everything|life|myself)|"
        r"(?:whats|what is|what s) (?:even )?the point|(?:dont|cant) see (?:the|a|any) point|"
        r"no point (?:anymore|in anything|in trying|in any of this)|hopeless|worthless",
        r"(?:im|i am|feel like) (?:a|such a) burden|im (?:so )?done with (?:everything|life|it all)|nobody cares|"
        r"no one (?:cares|would care)|no way out|(?:want|need) (?:it|this|everything|the pain) to (?:end|stop)|"
        r"(?:want|wanna) (?:to )?disappear|want out|i hate (?:my life|being alive|myself)|"
        r"(?:dont|do not) see (?:a|any) future|(?:rather|sooner) die than|dark thoughts|"
        r"(?:everything|life|it all|living) (?:feels|is|seems) (?:so )?pointless|(?:life|everything) is meaningless",
    ), keys=_words("anymore any go give giving point hopeless worthless burden done care cares nobody no way "
        "end stop disappear want wanna hate future die rather sooner dark whats what pointless meaningless")),
    Term("talk of own death", SUICIDE, "concern", "self", _p(
        r"if i (?:died|die|was dead|were dead|was gone|were gone|disappeared|killed myself)|when im (?:dead|gone)|"
        r"(?:my|own) (?:death|funeral|suicide)|(?:im|i am) (?:dying|a dead) inside",
    ), keys=_words("died die dead gone disappeared killed death funeral suicide dying")),
    Term("plan without a subject", SUICIDE, "concern", "self", _p(
        r"(?:figured out|worked out) (?:a|the|my) plan|i know (?:how|when) (?:i|im going to|ill|i will|i would) do it|"
        r"(?:i )?(?:have|got|made) a plan(?= ?(?:[.!?,]|$|now|for tonight|tonight|already))|"
        r"(?:writing|typing|sitting|standing) (?:this )?(?:from|on) (?:the|a) (?:roof|ledge|bridge|edge|tracks)|"
        r"(?:ive|i have) made up my mind|tonight is the night|(?:tonight|today) (?:im|i am) (?:going to|gonna) do it|"
        r"(?:im|i am) (?:going to|gonna) do it (?:tonight|today)|(?:wrote|written|finished) the (?:note|letters?)|"
        r"said my goodbyes|(?:have|got) everything (?:ready|"
        r"planned|sorted|set)|(?:wont|will not|dont) need (?:them|it|my things|my stuff|any of it) (?:anymore|where im "
        r"going|much longer)|"
        r"(?:have|got|found|took) (?:a |the |my dads |my moms |dads |moms |his |her )?(?:gun|rope|knife|blade|"
        r"razor)|have the pills|bought (?:a )?(?:razor|blades?|rope)",
    ), keys=_words("plan do made tonight today goodbye everything need gun rope knife blade razor pills "
        "wrote written finished writing typing sitting standing")),
)

# Idioms and harmless uses that contain the words above; a term match inside one of these does not count.
IDIOMS = _p(
    r"(?:die|died|dying|dead) (?:of|from) (?:embarrassment|laughter|laughing|shame|cringe|boredom|curiosity|"
    r"happiness|excitement|jealousy|envy)",
    r"(?:die|dying) for (?:clear|good|perfect|smooth|nice|better|glowing|this|that|it|some|a)|to die for",
    r"(?:kill|killing|killed) myself (?:at|in) (?:the )?(?:gym|work|school|practice|office)|(?:kill|killing|killed) "
    r"myself (?:studying|working|training|running|lifting|laughing|over (?:exams|work|school|this project))",
    r"(?:cut|cutting|hurt|hurting|burn|burned|burnt|injured) myself (?:shaving|cooking|while|at the gym|at work|"
    r"playing|lifting|working out|running|on the|on a|with the (?:razor|knife|oven|iron|stove|straightener|curling)|"
    r"by accident|accidentally|falling)|accidentally (?:cut|hurt|burned|burnt|scratched) myself",
    r"end (?:it|things|this) (?:early|sooner|with (?:him|her|them|my))|end (?:my|the) (?:course|treatment|cycle)",
    r"suicide (?:squad|mission|doors?|runs?|sprints?|drills?|wings|hotline|prevention|lifeline|awareness|rates?)|"
    r"(?:career|social|political|commercial) suicide",
    r"(?:overdosed?|overdosing|od|oded) on (?:sugar|caffeine|coffee|candy|chocolate|netflix|sun|vitamin c|tiktok|"
    r"carbs|memes|skincare|moisturizer)",
    r"(?:nearly|almost) (?:fainted|passed out|had a heart attack|died)|gave me a heart attack|"
    r"heart attack (?:when|lol)|stroke of (?:luck|genius)|heat stroke|brush stroke",
    r"passed out (?:at \d+|around \d+|on the couch|in bed|early|asleep|drunk|after the party)|so tired i passed out",
    r"(?:pass out|passing out|faint|fainting|die|dying|drop dead) (?:from|of) (?:how )?(?:tired|exhausted|sleepy|"
    r"boredom|hunger|tiredness|exhaustion|the heat|laughing)",
    r"choking up|choked up|(?:photosensitive )?seizure (?:warnings?|disclaimers?) (?:on|in|for|before|at)|"
    r"drug seizure|epilepsy warning",
    r"(?:no|not|never|zero|without any) (?:\w+ )?(?:plan|plans) (?:to|for)",
    r"rather (?:\w+ )?die than|(?:hed|shed|theyd|he would|she would|they would) (?:literally )?kill "
    r"(?:him|her|them)sel(?:f|ves) if",
    r"seizures? (?:are |is )?(?:controlled|under control|well controlled|free|disorder|meds|medication|medicine)",
    r"(?:acne|pimples?|breakouts?|cysts?|spots|zits|rash|skin) on (?:my|her|his) chest (?:hurts|hurting|is hurting|"
    r"pain|pains)|chest (?:acne|pimples?|breakouts?) (?:hurts|pain)",
    r"(?:lips?|nose|skin|cuticles?|gums|face) (?:are |is |keep |keeps |have been |has been )?(?:cracking and |"
    r"cracked and |dry and |peeling and )?(?:bleeding|bleed|bleeds) (?:a lot|so much|badly)|nose ?bleeds? a lot",
    # A body part that qualifies the breathing: a blocked, dry nose, not an airway closing.
    r"(?:breathe|breathing|get (?:any )?air) (?:\w+ )?(?:through|out of|thru|with|from) (?:my |one |the |either |her |his )?"
    r"(?:(?:left|right) )?(?:nose|nostrils?|sinuses)",
)

# Laughter nearby turns "i cant breathe" or "im dying" into a joke; it never excuses explicit statements.
LAUGHTER = _p(r"lol|lmao|lmfao|haha\w*|hehe|rofl|laughing|laughed|hilarious|funny|joke|joking|meme|wheezing")
LAUGHABLE = frozenset({"trouble breathing", "stroke signs", "fainting or unresponsive", "chest pain"})
