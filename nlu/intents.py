"""What the client wants: the intent of one message, given what the bot asked
(`awaiting`) and whether the message asks for a time.

Rules run in order of precedence; each returns (intent, confidence). Patterns
match normalized text (lowercase, accents folded, SMS spellings expanded),
so "cancélala" is "cancelala" and "2morrow" is "tomorrow" here.
"""
from __future__ import annotations

import re
from typing import Callable

from . import fastre, literals
from .keywords import carrier_keyword


def _top_level_bar(part: str) -> bool:
    """Whether a pattern has a "|" outside every group and character class."""
    depth, i, in_class = 0, 0, False
    while i < len(part):
        c = part[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1 + (part[i + 1:i + 2] == "^")
            i += part[i:i + 1] == "]"       # a "]" first in a class is a literal
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


def _rx(*parts: str) -> re.Pattern:
    """One pattern that matches where any of parts does. These patterns are only ever
    asked whether they match, never where, so the parts may be regrouped: those that
    start with a word boundary share one, which the engine then tests once per position
    instead of once per part (several times faster on a long list of parts)."""
    at_word = [p for p in parts if p.startswith(r"\b") and not _top_level_bar(p)]
    rest = [p for p in parts if p not in at_word]
    alts = ([r"\b(?:" + "|".join(p[2:] for p in at_word) + ")"] if at_word else []) + rest
    return fastre.compile("|".join(alts))


OPT_OUT = _rx(
    r"\bstop (?:texting|messaging|sending|contacting|the texts|these texts|all texts|texts|messages|reminders|msgs|txting|txts)",
    r"\b(?:remove|take) me (?:from|off) (?:of )?(?:the |your |this |these |all |ur |any )?(?:\w+ )?(?:list|texts?|texting|messages|msgs|sms|reminders|notifications|mailing|contacts?|numbers?)\b",
    r"\bcancel (?:these|the|all|my|your|all the|all these|those)? ?(?:text |sms )?(?:texts|messages|msgs|reminders|notifications|alerts)\b", r"\bunsubscribe\b", r"\bopt me out\b", r"\bopt out\b",
    r"\bno more (?:texts|messages|reminders|txts|msgs)\b", r"\b(?:dont|do not|never) (?:text|message|contact|sms) me\b",
    r"\bstop all\b", r"\bleave me alone\b", r"\bdont want (?:any )?(?:more )?(?:texts|messages|reminders)\b",
    r"\bno (?:me )?(?:manden|envien|escriban|mandes|envies|mande|envie)(?: mas)? (?:mensajes|msjs|sms|textos|recordatorios)",
    r"\bya no (?:me )?(?:manden|envien|escriban|quiero (?:recibir )?(?:mas )?(?:mensajes|recordatorios))",
    r"\bdej(?:en|a|e) de (?:enviar|mandar|escribir)", r"\bdar(?:me)? de baja\b", r"\bdenme de baja\b",
    r"\bno quiero (?:recibir )?(?:mas )?(?:mensajes|recordatorios|sms)\b",
    r"\b(?:borr|sac|quit)(?:ame|enme|eme) de (?:la|su|tu|esta) lista\b", r"\b(?:remove|take) me off (?:your|the|this) list\b",
    r"\bremove my (?:number|phone)\b",
)
OPT_IN = _rx(
    r"\bstart (?:sending|texting|messaging)\b", r"\b(?:send|text) me (?:the )?(?:reminders|texts|messages )?(?:again|back)\b",
    r"\b(?:resume|restart|turn (?:back )?on|reactivate) (?:the |my |all )?(?:texts|messages|reminders|notifications|sms)\b", r"\bopt (?:back )?in\b",
    r"\bresubscribe\b", r"\bsubscribe me\b", r"\b(?:reminders|texts|messages) (?:back on|again)\b",
    r"\bvuelv(?:an|e) a (?:enviar|mandar)", r"\bquiero (?:volver a )?recibir (?:los )?(?:mensajes|recordatorios)",
    r"\b(?:activa|activar|reactivar) (?:los )?(?:mensajes|recordatorios)",
)
HUMAN = _rx(
    r"\b(?<!dont )(?<!do not )(?<!no )(?<!never )(?:call|ring|phone) me\b", r"\bgive me a (?:call|ring)\b", r"\bcall me back\b",
    r"\b(?:talk|speak|chat) (?:to|with) (?:a |an |the |some |someone|somebody|anyone|person|human|real|staff|manager|owner|front|reception|\w+ (?:directly|in person))",
    r"\breal person\b", r"\bperson (?:i|we) (?:can|could) (?:talk|speak|chat)\b", r"\bspeak to (?:a |someone|somebody|\w+)?\s*\??$", r"\bhuman\b", r"\b(?:representative|receptionist|front desk)\b", r"\bsomeone (?:call|ring)\b",
    r"\b(?:number|phone|phone number|telephone) (?:for|of) the (?:salon|shop|store)\b", r"\b(?:your|the salon s|salon) (?:phone )?number\b",
    r"\bwhat is the number\b", r"\bwhats the number\b", r"\bsalons? (?:phone )?number\b",
    r"\b(?:whats|what is|give me|send me|need|can i (?:get|have)|do you have)\b.{0,20}\b(?:phone|telephone) number\b", r"\bcan (?:someone|somebody|\w+) call\b", r"\bcall the salon\b",
    r"\b(?<!no me )(?<!no )llam(?:ar|arme|ame|eme|enme|en|a|e)\b", r"\bme (?:pueden|puedes|podrian|puede) llamar\b",
    r"\bhablar con (?:una persona|alguien|un humano|una humana|el salon|la recepcion|el encargado|la encargada|\w+)\b",
    r"\b(?:pasa|pase|pasen|pasame|paseme|pasenme|comunica|comunicame|comuniqueme|comuniquenme|comunicarme|me pasas|me pasan|me comunicas|me comunican)\s+con\b",
    r"\bpersona real\b", r"\bnumero (?:de telefono )?del (?:salon|local)\b", r"\btelefono del\b",
)
HELP_STRONG = _rx(
    r"\bhow does this work\b", r"\bhow do(?:es)? (?:i|this|it) (?:use|work)\b", r"\bwhat can (?:i|you) do\b",
    r"\bwhat (?:kind of |sort of )?(?:stuff|things|options) can i\b", r"\bwhat are (?:my|the) options\b",
    r"\bwhat can i (?:text|say|send|reply)\b", r"\bhow (?:do|can) i use\b", r"\bwhat do i (?:reply|text|say)\b",
    r"\bque puedo hacer\b", r"\bcomo funciona\b", r"\bque opciones\b", r"\bcomo (?:uso|se usa)\b", r"\bno entiendo\b",
    r"\bi dont understand\b", r"\bcommands\b",
)
HELP_WEAK = _rx(r"\bhelp\b", r"\bayuda\b", r"\bayudame\b", r"\bayudeme\b", r"\binfo\b")

LATE_STRONG = _rx(
    r"\b(?:running|run|be|gonna be|going to be|ill be|im|i am|a|bit|little|abit|ser)\s+(?:a\s+)?(?:bit\s+|little\s+|tad\s+|few\s+)?(?:late|behind)\b(?! (?:morning|afternoon|evening|slot|appointment|night))",
    r"\b\d+\s*(?:minutes|mins?|m)\s+(?:late|behind|out|away)\b", r"\b(?:couple|few|several)(?: of)?\s+(?:minutes|mins?)\s+(?:late|behind|out|away)\b", r"\btardy\b", r"\brunning behind\b", r"\bbehind schedule\b",
    r"\b(?:be|am|im|ill be|getting) there in\b", r"\bthere in \d+\b", r"\bstuck in traffic\b", r"\bon my way\b", r"\bomw\b",
    r"\bgonna be late\b", r"\bwill be late\b", r"\bim late\b", r"\blate sorry\b", r"\bsorry (?:im |i m |for being )?late\b",
    r"\bllego tarde\b", r"\bvoy tarde\b", r"\btardecito\b", r"\b(?:voy|vamos) a llegar (?:un poco )?tarde\b", r"\bllegare (?:un poco )?tarde\b",
    r"\b\d+\s*(?:minutos|minutes|min)\s+(?:tarde|de retraso|retrasad[oa])\b", r"\bllegar\b.{0,25}\btarde\b", r"\bllego\b.{0,25}\btarde\b", r"\bvoy (?:con )?(?:un poco de )?retraso\b",
    r"\b(?:llego|estoy llegando) en \d+\b", r"\bvoy en camino\b", r"\bse me hizo tarde\b", r"\bvoy para (?:alla|ahi)\b",
    r"\b(?:ahorita|ya|ahi) voy\b(?! a)", r"\bya (?:sali|salgo|casi llego)\b", r"\ben camino\b", r"\bun poco tarde\b", r"\bretrasad[oa]\b", r"\bvoy (?:un (?:poco|pelin|poquito) )?(?:demorad[oa]|atrasad[oa])\b", r"\bvoy llegando\b",
)
LATE_WEAK = _rx(r"\bme (?:voy a )?retras(?:o|ar)\b", r"\bllegar con retraso\b", r"\bando (?:un )?(?:poco |poquito )?tarde\b", r"\bpoquito tarde\b", r"\bvoy retrasad[oa]\b", r"\btraffic\b", r"\bdelayed\b", r"\btrafico\b", r"\blate\b(?!r)")

NEG_RESCHEDULE = fastre.compile(
    r"\b(?:dont|do not|not|never|no (?:me )?(?:la|lo)|no)\s+(?:want to\s+|need to\s+)?(?:move|change|reschedule|touch|cambies|cambie|cambien|muevas|mueva|muevan|toques|reprogrames|pases)\b(?:\s+(?:it|anything|la|lo|nada))?")
NEG_CANCEL = _rx(
    r"\b(?:dont|do not|not|no|never|didnt|wont|not to|no quiero|no lo|no la|no)\s+(?:want to\s+|wanna\s+|need to\s+|mean to\s+)?(?:cancel\w*|cancelar|cancele|cancelen|anular)\b",
    r"\bnot cancel\w*\b",
)
CANCEL = _rx(
    r"\bcancel\w*\b", r"\bcancela\w*\b", r"\bcancelo\b", r"\banul\w*\b", r"\bcall(?:ing)? (?:it )?off\b",
    r"\bscrap (?:it|that|my)\b", r"\b(?:no longer|dont|do not|wont|will not|not going to)(?: be)? need(?:ing)?(?: (?:it|any|the|my|this|that|them|these|those|both))\b",
    # "remove the pedicure", "drop it", "clear them all out", "nix my appt", "take it off the calendar"
    r"\b(?:delete|remove|drop|clear|nix|scrap|undo|release|wipe|get rid of|free up)\s+(?:it|them|both|all|my|the|this|that|these|those)\b",
    r"\btake (?:me|it|them|us) off (?:the|my|your) (?:books|schedule|calendar|agenda)\b",
    # "quítala", "bórrame la cita", "eliminen mis citas", "liberá el turno", "dejá sin efecto"
    r"\b(?:quit|borr|elimin|liber)(?:a|e|en|ad|ar)(?:la|lo|las|los|me|mela|melo|nos)?\s+(?:la|el|las|los|lo|mi|mis|esa|ese|ambas|ambos|todo|todas)\b",
    r"\b(?:quit|borr|elimin|liber)(?:a|e|en|ad)(?:la|lo|las|los|mela|melo)\b", r"\bsin efecto\b", r"\bdesapunt\w*",
    r"\bya no (?:voy a )?necesit\w* (?:la|el|mi|lo|las|los|esa|ese)\b", r"\bno (?:la|lo|las|los) (?:voy a )?necesit\w*",
)
CANT_MAKE = _rx(
    r"\b(?:cant|cannot|wont|wont be able to|unable to|not able to|cant be able to|not gonna|not going to) (?:make it|come|go|attend|be there|make my|come in)\b",
    r"\bno (?:voy a poder|puedo|podre|voy a) (?:ir|asistir|llegar|acudir)\b", r"\bno (?:voy a poder|podre)\b",
    r"\bcount me out\b", r"\bno cuenten conmigo\b", r"\bno me esperen\b",
    r"\bcant (?:make|do)\b", r"\bno voy a ir\b", r"\bno asistire\b", r"\bno puedo ir\b", r"\bno podre\b", r"\bno puedo asistir\b",
)
RESCHEDULE = _rx(
    r"\breschedul\w*\b", r"\bre ?schedule\b", r"\bre ?book\w*\b", r"\bmov(?:e|ing|ed)\b", r"\bpush(?:ed|ing)?\b(?! notification)",
    r"\bchange (?:my|the|it|appointment|time|day|date|booking|to|that)\b", r"\bchang(?:e|ing) (?:the )?(?:time|day|date)\b",
    r"\bswitch\w*\b", r"\bswap\b", r"\b(?:different|another|other|new) (?:day|time|date|slot)\b", r"\bpostpone\b",
    r"\bbring (?:it )?forward\b", r"\binstead\b", r"\bshift\b", r"\bmove it\b",
    r"\bcambi\w*\b(?! de (?:opinion|idea|planes))", r"\bbump\w*\b", r"\bslide\b", r"\brearrange\b", r"\bdelay (?:my|the|it)\b", r"\bmover\w*\b", r"\bmuev\w+\b", r"\bpas(?:ar|arla|arlo|arlas|arlos|amos|ala|alo|alas|alos|amela|amelo|armela|en|emos)\b",
    r"\bme la (?:cambias|pasas|mueves|puedes mover|puedes cambiar|pueden cambiar|pueden mover)\b",
    r"\bpas(?:ame|enme|eme|amela|amelo)\b", r"\bmismo horario\b", r"\bmisma hora\b",
    r"\breprogram\w*\b", r"\breagend\w*\b", r"\bpospon\w*\b", r"\baplaz\w*\b", r"\badelant\w*\b", r"\bretras(?:ar|arla|amos)\b",
    r"\botro (?:dia|horario)\b", r"\botra (?:hora|fecha)\b", r"\ben vez de\b", r"\ben lugar de\b",
)
REQUEST = _rx(
    r"\bcan (?:we|i|you|u)\b", r"\bcould (?:we|i|you)\b", r"\bwould\b", r"\bany chance\b", r"\bis there\b", r"\bdo you have\b",
    r"\bany(?:thing| openings| availability| time| slots?| spots?)\b", r"\bavailab", r"\bworks?\b", r"\bpossible\b",
    r"\bhow about\b", r"\bwhat about\b", r"\bfree\b", r"\bok\b", r"\bfine\b", r"\bgood\b", r"\bse puede\b", r"\bpuede ser\b", r"\bpodemos\b",
    r"\bpodria\b", r"\bpuede\b", r"\bpuedo\b", r"\bcan (?:it|that|this|she|he|they)\b", r"\bcould (?:it|that|this)\b",
    r"\bis it possible\b", r"\bcant\b", r"\bcannot\b", r"\bsino\b", r"\brather\b", r"\bbut\b", r"\btienen\b", r"\btienes\b", r"\bhay\b", r"\bmejor\b", r"\bquiero\b", r"\bnecesito\b", r"\bprefer",
    r"\bpodrian\b", r"\bme (?:pueden|puedes)\b", r"\bid like\b", r"\bmeant\b", r"\bi said\b", r"\bquise decir\b", r"\bqueria\b",
    r"\bwhat (?:do you have|times|time slots|openings|availability)\b", r"\bi want\b", r"\bneed\b", r"\bsomething\b", r"\bbetter\b",
    # "make it friday at 9", "can the trim be at 8": with a time, that time is asked for
    r"\bmake it\b", r"\b(?:can|could) (?:the|my|our)\b",
    r"\b(?:that|the|ese|el) (?:same|mismo) (?:day|dia)\b", r"\bcuando (?:puedan|puedas|pueda)\b", r"\bwhenever\b", r"\b(?:can|could) \w+ (?:do|fit|see|take|squeeze)\b",
)
SALON_INFO = _rx(
    r"\b(?:what time|when) do you (?:open|close)\b", r"\b(?:are|r) you (?:open|closed)\b", r"\bopening hours\b", r"\byour hours\b",
    r"\bhow much\b", r"\bprices?\b", r"\bcost\b", r"\bwalk ?ins?\b", r"\bwhere are you\b", r"\baddress\b", r"\blocated\b",
    r"\bparking\b", r"\bgift cards?\b", r"\bdo you (?:sell|do|offer|carry|accept|take) (?!any ?time|appointments|walk)", r"\bcancell?ation (?:policy|fee|charge)s?\b",
    r"\b(?:charged?|fee|pay) (?:for|if i|if you|to) cancel", r"\bpolitica de cancelacion\b",
    r"\ba que hora (?:abren|cierran)\b", r"\bhorarios?\b", r"\bcuanto (?:cuesta|sale|cobran|vale)\b", r"\bprecios?\b",
    r"\bdonde (?:estan|queda)\b", r"\bdireccion\b", r"\bestacionamiento\b", r"\bparqueo\b",
)
QUERY = _rx(r"\b(?:can|could) you (?:please |pls )?confirm\b", r"\bwhat(?:s| is) on my (?:calendar|schedule|agenda)\b", r"\bme (?:confirmas|confirma|confirman|puedes confirmar)\b",
            r"\b(?:is|was|has|been|got|get)\b.{0,30}\bcancell?ed\b", r"\bdid (?:you|u|they|someone|somebody) cancel\b", r"^cancell?ed\s*\?",
            r"\b(?:esta|fue) cancelad[ao]\b", r"\bcancelaron\b", r"\bme (?:pueden|puedes|podrian|puede) confirmar\b", r"\bconfirmar la hora\b",
    r"\bwhat time\b", r"\bwhen(?:s| is| are| was| do)\b", r"\bwhat day\b", r"\bwhich day\b", r"\bwhat date\b",
    r"\bwho (?:am i|is doing|s doing|will be|is my|s my|am i seeing|do i have|will i)\b", r"\bwhos (?:doing|my)\b",
    r"\bwho (?:is|s) (?:it|doing)\b(?! this)", r"\bremind me (?:what|when|of (?:my|the)|about (?:my|the)|the time|what time|who|which)\b", r"\bwhat (?:did i|have i) book", r"\bwhat i booked\b",
    r"\bwhat (?:service|services)\b", r"\bis (?:my|the) (?:appointment|booking)\b", r"\bstill on\b", r"\bis it (?:at|on|still|for)\b",
    r"\bdo i have (?:an |a |my )?(?:appointment|booking)", r"\b(?:anything|something|appointments?) (?:booked|scheduled)\b", r"\bwhat was it\b", r"\bconfirm (?:the|my) time\b", r"\bforgot\b",
    r"\bdetails\b", r"\bwhere is\b", r"\bhow long\b", r"\bwhats time\b",
    r"\bwhat (?:appointments|appts|bookings)\b", r"\b(?:my|any) upcoming\b", r"\bcoming up\b", r"\bque citas\b",
    r"^(?:my|mis) (?:appointments|appointment|bookings|citas|cita)\b", r"\bwhat do i have\b", r"\bque tengo\b",
    r"\bwho(?:s| is)? (?:the|my) (?:appointment|appt|booking|cita) with\b",
    # "is it with dre or marcus", "is the 19th with maria?", "is my massage 60 or 90 min?"
    r"\bis (?:it|that|this|the \w+|my \w+(?: \w+)?) with\b", r"\b\d+ or \d+ ?(?:min|mins|minutes)\b",
    # "who's cutting my hair tomorrow?", "is kim doing my lashes?"
    r"\bwho(?:s| is| will be)? (?:doing|cutting|coloring|colouring|styling|seeing|taking care of) (?:my|me|us)\b",
    r"\bis \w+ (?:still )?(?:doing|cutting|coloring|colouring|styling|seeing) (?:my|me|us)\b",
    r"\ba que hora\b", r"\bcuando (?:es|son|tengo)\b", r"\bcon quien\b", r"\bquien me (?:atiende|toca|hace|va a atender)\b", r"\bque dia\b", r"\bmi cita es\b", r"\btengo (?:una )?cita\b",
    r"(?<!de )\bverdad\b", r"\bsigue en pie\b", r"\bque servicio\b", r"\brecuerd(?:a|ame|enme)\b", r"\bque hora\b", r"\ba que hora\b",
)
CONFIRM = _rx(
    r"\bconfirm\w*\b", r"\bill be there\b", r"\bi will be there\b", r"\bsee you\b", r"\bsee ya\b", r"\bwill be there\b",
    r"(?<!cant )(?<!wont )(?<!not )(?<!never )(?<!cannot )\bbe there\b(?! in)", r"\bcount me in\b", r"\bc you\b", r"\bcant wait\b", r"\blooking forward\b", r"\bstill coming\b", r"\bim coming\b", r"\bsee u\b",
    r"\bahi estare\b", r"\balli estare\b", r"\bnos vemos\b", r"^(?:vale|ok|perfecto|genial|gracias)?[, ]*hasta (?:el|manana|luego|pronto)\b", r"\bahi nos vemos\b", r"\bconfirm(?:o|ado|ada|amos)\b", r"\balli estoy\b",
    r"\bahi estoy\b", r"\bsi voy\b", r"^voy\s*(?:[,.!]|$)", r"\b(?<!no )voy a ir\b", r"\bcuenten conmigo\b",
)
# a yes or a no may come after a hesitation: "hmm nah", "uh yes", "well ok"
_HESITATION = r"(?:(?:hmm+|mm+|um+|uh+|erm|well|oh|eh|ah|ahh|pues|bueno pues|este)\s*,?\s*)?"
YES = fastre.compile(
    r"^" + _HESITATION + r"(?:yes|yess|yeah|yea|yep|yup|ya(?=[\s!.]*$)|y|sure|ok|okay|k|kk|okey|oki|alright|all right|sounds good|sounds great|perfect|great|"
    r"go ahead|do it|please do|correct|right|that works|works for me|works|fine|absolutely|definitely|of course|affirmative|"
    r"yes please|cool|good(?! (?:night|morning|afternoon|evening|day))|si|sii|sip|claro|dale|vale|perfecto|de acuerdo|adelante|esta bien|sale|bueno|por supuesto|"
    r"exacto|listo|okas|simon|obvio|correcto|asi es|me parece bien|genial|excelente|👍|thats? (?:fine|right|correct|great|good|perfect|ok)|"
    r"that is (?:fine|right|correct)|yes please|please|confirm|i confirm|confirmed|confirmo|confirmado|ok dale|claro que si|"
    r"lovely|brilliant|brill|fab|fabulous|awesome|amazing|excellent|wonderful|nice|super|grand|cheers|"
    r"go for it|sounds like a plan|why not|i guess|lets do it|lets do that|do that|ok do it|please proceed|proceed|approved?|agreed|deal|"
    r"si por favor|hazlo|adelante|procede)\b")
NO = fastre.compile(
    r"^" + _HESITATION + r"(?:no|nope|nah|nop|naw|nvm|never ?mind|neverm?ind|nevermind|keep|dont|do not|forget it|forget about it|leave it|wait|"
    r"not anymore|actually no|actually never ?mind|actually,? keep|no thanks|no thank you|cancel that|scratch that|"
    r"negative|olvidalo|olvidelo|olvida|dejalo|dejala|mejor no|no importa|nel|para nada|ya no|not really|hold on|hold off|"
    r"(?:i )?changed? my mind|i ve changed my mind|ive changed my mind|cambie de (?:opinion|idea)|pensandolo bien|"
    r"stop that|dont do (?:it|that)|not now|maybe later|im good|i m good|no need|not necessary|dont bother|"
    r"ahora no|mejor despues|no hace falta|no es necesario)\b")
NEVERMIND = _rx(r"\bnever ?mind\b", r"\bnvm\b", r"\bforget (?:it|about it)\b", r"\bkeep (?:it|my|the|as)\b", r"\bleave it\b",
                r"\bas is\b", r"\boriginal (?:time|appointment|slot)\b", r"\bolvid(?:alo|elo|a)\b", r"\bdej(?:alo|ala)\b",
                r"\b(?:la|lo) mantengo\b", r"\bmantener\b", r"\bno importa\b", r"\bno (?:la|lo) cambies\b", r"\bdont change\b",
                r"\bstay (?:as|with)\b", r"\bstick (?:with|to)\b", r"\b(?:what|the one) i (?:have|ve got|already have)\b",
                r"\b(?:la|lo|el) que (?:ya )?tengo\b", r"\bno changes?\b", r"\bquedo con (?:la|el) (?:original|mism)\b", r"\bcurrent time\b")
GREET = _rx(
    r"^(?:hi|hello|hey|heya|hiya|yo|howdy|good (?:morning|afternoon|evening)|hola|buenas|buenos dias|buenas tardes|buenas noches|"
    r"ola|saludos|que tal|whats good|whats up|wassup|sup)\b",
    r"\bthanks?\b", r"\bthank you\b", r"\bthanks so much\b", r"\bgracias\b", r"\bcheers\b", r"\bappreciate\b", r"\bmerci\b",
    r"\bhave a (?:good|great|nice)\b", r"\bmil gracias\b", r"^(?:happy|merry) \w+", r"^good ?night\b", r"^feliz \w+",
)
NEW_BOOKING = _rx(
    r"\b(?:book|make|schedule) (?:a |an )?(?:new|another|second|separate|additional) (?:appointment|booking)\b",
    r"\bnew appointment\b", r"\bfor my (?:son|daughter|kid|kids|husband|wife|friend|mom|mother|dad|partner|boyfriend|girlfriend)\b",
    r"\bnueva cita\b", r"\botra cita para\b", r"\bpara mi (?:hijo|hija|esposo|esposa|amiga|amigo|mama|papa|novio|novia)\b",
)
OFF_TOPIC = _rx(
    # a message meant for someone else, or another business's
    r"\bwrong (?:person|chat|thread|number|convo|conversation)\b", r"\b(?:meant|was for|intended) for (?:my|someone|somebody|another|a friend)\b",
    r"\bnot meant for you\b", r"\bsent (?:that|this|it) to the wrong\b", r"\b(?:no )?era para (?:mi|otra|otro|alguien)\b",
    r"\bme equivoque de (?:chat|numero|persona|conversacion)\b", r"\bno era para (?:ti|usted|ustedes)\b",
    r"^(?:(?:hey|hi|hola|oye)\s+)?(?:mom|mama|mum|dad|papa|grandma|grandpa|nana|babe|honey|hun|amor|mi amor|bro|sis|abuela|abuelo|tia|tio)\b", r"\b(?:verification|security|login|one time|access) code\b",
    r"\bcodigo de (?:verificacion|seguridad|acceso)\b", r"\bdo not share (?:it|this|this code)\b", r"\bno (?:lo|la) compartas\b", r"\b(?:are you|r u|you) hiring\b", r"\bbuscan personal\b",
    r"^what time is it(?: now| right now| there)?\s*\??$", r"\bwhat(?:s| is) (?:the )?date today\b", r"\btodays date\b",
                r"^que hora es\s*\??$", r"\bwrong number\b", r"\bwho is this\b", r"\bwho are you\b", r"\bnumero equivocado\b", r"^(?:¿ )?quien (?:es|eres)(?: usted| este| esta)?\s*\??$")
DROP_THAT = fastre.compile(r"(?:^|\b(?:never ?mind|nvm|actually|wait|no|oh|oops|sorry|ok|okay)\s*,?\s*)(?:cancel|scratch|forget|ignore) "
                       r"(?:that|this|my last message|what i said)\b(?! (?:appointment|appt|booking|one|cut|color|haircut))")
RESCHED_LATER = _rx(
    r"\b(?:ill|i will|will|gonna|going to|i can)\s+(?:call|text|message|get back to you|reach out|contact you)?\s*(?:to|and|back to)?\s*re ?(?:book|schedule)\w*",
    r"\bre ?book\w*\b.*\blater\b", r"\blater\b.*\bre ?book", r"\b(?:luego|despues|mas adelante)\s+(?:vuelvo a agendar|reagendo|reprogramo|agendo)\b",
    r"\b(?:vuelvo a agendar|reagendo|reprogramo)\s+(?:luego|despues|mas adelante)\b",
)
OFF_DOMAIN = _rx(   # what the action is about is not a salon visit ("move my flight", "set an alarm")
    r"\b(?:book|reserve|move|cancel|reschedule|change|set|order|play|turn (?:on|off)|get me|find me|call me)\s+(?:me\s+)?"
    r"(?:a |an |my |the |some |our )?(?:\w+ )?(?:flight|hotel|room|table|uber|lyft|taxi|cab|movie|tickets?|pizza|alarm|"
    r"timer|music|song|playlist|lights?|thermostat|dinner|ride|order|car|rental|vuelo|mesa|alarma|pedido)\b",
    r"\bweather\b", r"\bforecast\b", r"\bel clima\b",
)
SALON_WORDS = _rx(
    r"\b(?:appointment|appt|booking|reservation|cita|reserva|salon|hair|haircut|cut|color|colour|trim|nails?|mani\w*|pedi\w*|"
    r"blowout|wax|brows?|highlights|balayage|stylist|corte|tinte|unas|peinado|mechas|estilista)\b")
QUERY_CANCEL = _rx(r"\b(?:is|was|has|been|got|get)\b.{0,30}\bcancell?ed\b", r"\bdid (?:you|u|they|someone|somebody) cancel\b",
                   r"^cancell?ed\s*\?", r"\b(?:esta|fue) cancelad[ao]\b", r"\bcancelaron\b", r"\bany cancell?ations\b",
                   r"\bcancell?ation (?:policy|fee|charge)s?\b", r"\b(?:charged?|fee|pay) (?:for|if i|if you|to) cancel")
AVAILABILITY = _rx(r"\bdisponib\w*\b", r"\bno me (?:va|viene|queda) bien\b", r"\b(?:doesnt|dont|wont|does not|will not) work (?:for me|for us)\b", r"\bwhen can i (?:come|get in|book|reschedule|move)\b", r"\bearliest (?:you have|available|opening|slot|appointment)\b",
                   r"\bwhat(?:s| is) (?:the )?(?:earliest|next available|soonest)\b", r"\bany cancell?ations\b", r"\bopenings?\b",
                   r"\bavailability\b", r"\bcuando (?:puedo|me pueden)\b",
                   r"\bcualquier (?:dia|hora|momento|otro dia)\b", r"\bany (?:day|time) (?:but|except|other than|this|next|that)\b", r"\bque (?:horarios|horas) (?:tienen|hay)\b", r"\btienen (?:lugar|espacio|citas)\b")
# Someone else's business, whatever it asks: "is this the dentist's office?", a parcel, a prize
NOT_OURS = fastre.compile(
    r"\b(?:is this|es (?:este|esta|la|el))\b.{0,25}\b(?:office|clinic|clinica|consultorio|dentist|dentista|dental|doctor|pharmacy|farmacia|school|daycare|restaurant)\b"
    r"|\b(?:my|your|su|tu|el) (?:package|parcel|delivery|paquete|envio)\b|\b(?:tracking|seguimiento)\b"
    r"|\b(?:you (?:have )?won|youve won|ha ganado|has ganado|ganaste|winner|lottery|loteria|crucero|cruise)\b")
BROADCAST = fastre.compile(
    r"\b(?:reply|text|txt|responde|responda|contesta|envia|envie) (?:with )?(?:stop|start|help|yes|no|si|c|y|n|x|r|baja|alta|\d)\b\s*(?:to|for|para|a)\b|\bmsg (?:and|&)? ?data rates\b")
# "did the change go through?": asks about the appointment, is no request
STATUS_QUERY = fastre.compile(r"\bdid (?:the|my|it|that|this|you)\b.{0,30}\b(?:go through|get through|work|save|stick)\b|\b(?:se hizo|quedo hech[oa]|se guardo) (?:el|la) (?:cambio|cancelacion)\b")
# "can't make it, I'll rebook later", "I'd rather not rebook right now": dropping it for now
NOT_NOW_REBOOK = fastre.compile(r"\b(?:rather not|dont want to|not going to|wont|not ready to|no quiero|prefiero no) (?:re ?book|reschedule|reagendar|reprogramar)\w*")
WHICH_ONE = fastre.compile(r"\b(?:which|what) (?:appointment|appt|booking|one|service)\b.{0,20}\b(?:is (?:this|that|it)|are you)\b|\bcual (?:cita|turno|reserva)\b.{0,15}\b(?:es|era)\b")
GO_AHEAD = fastre.compile(r"\b(?:go ahead|go for it|please do|do it|lets do it|sounds (?:good|great)|great|perfect|yes|yeah|yep|ok|okay|dale|adelante|hazlo|perfecto|genial|si)\b")
REMINDER_LETTER = fastre.compile(r"^\s*(?P<l>[crx])\s*(?:$|[!.,:;)\-]|\s(?:please|pls|thanks|thank you|thx|ty|sorry|ok|"
                             r"por favor|gracias|perdon|lo siento|confirm\w*|cancel\w*|reschedule)\b)")
# While times are on offer: turning them all down ("none of those work",
# "ninguna me sirve"), and asking for others ("anything else?", "otras horas").
NONE_OF_THEM = fastre.compile(
    r"\b(?:none|neither|nothing (?:works|there)|ninguna|ninguno|ni una|no me (?:sirve|sirven|va|van|queda|quedan)|"
    r"(?:those|these|they|them|that|it) (?:dont|do not|wont|will not|doesnt|does not|don t|won t) (?:work|suit)|"
    r"(?:dont|do not|don t) work|(?:cant|can t|cannot) (?:do|make) (?:any|those|these|them|either)|"
    r"no good|not (?:those|these|good)|no puedo (?:a )?ninguna)\b")
OTHER_TIMES = fastre.compile(
    r"\b(?:anything else|something else|what else|any(?:thing)? other|other (?:times|options|days|slots|dates)|"
    r"more (?:times|options|slots)|different (?:time|times|day)|otra hora|otras horas|otro dia|otros dias|"
    r"otras opciones|otro horario|algo mas|alguna otra|algun otro|otra opcion|y otras|y otros|otras|the week after)\b")
MONEY_QUESTION = fastre.compile(r"\b(?:cost|costs|charge|charged|fee|fees|price|pay|extra|cobran|cobrar|cobra|cuesta|cargo|pagar)\b.*\?|"
                                r"^(?:will|would|do|does|is|are|me|se)\b.*\b(?:cost|charge|charged|fee|cobran|cuesta|cargo)")
LONE_LETTER = fastre.compile(r"^\s*(?P<l>[crx])\s*[!.]*\s*$")
QUESTIONISH = fastre.compile(r"\?|^(?:(?:and|so|ok|okay|hey|hi|also|oh) )?(?:is|are|do|does|can|could|would|what|whats|when|whens|who|whos|where|wheres|how|which)\b")


def _yes_no_never(t: str, can: int) -> tuple[bool, bool, bool]:
    """Whether t starts with a yes, starts with a no, and says never mind (can: as in classify)."""
    return bool(YES.match(t)), bool(NO.match(t)), bool(can & _B_NEVERMIND and _X_NEVERMIND.search(t))


# The rules searched anywhere in the text, each behind the literals its matches hold
# (literals.split_gate): the gates of all of them are told at once from the literals
# found in the message (literals.py), instead of rule by rule. Per rule X: its bit _B_X
# in _GATES and its plain pattern _X_X. classify() writes each test out as
# `can & _B_X and _X_X.search(t)` (a match or a false value): a function call per rule
# cost more than the searches the gates leave to do.
_RULES = (OPT_OUT, OPT_IN, HUMAN, HELP_STRONG, HELP_WEAK, LATE_STRONG, LATE_WEAK, NEG_CANCEL, CANCEL, CANT_MAKE,
          RESCHEDULE, REQUEST, SALON_INFO, QUERY, CONFIRM, NEVERMIND, GREET, NEW_BOOKING, OFF_TOPIC, DROP_THAT,
          RESCHED_LATER, OFF_DOMAIN, SALON_WORDS, QUERY_CANCEL, AVAILABILITY, QUESTIONISH)
_GATES = literals.Table([literals.split_gate(r)[0] for r in _RULES])
_RULE = {r: (1 << i, literals.split_gate(r)[1]) for i, r in enumerate(_RULES)}
# (_yes_no_never is defined above these names but only called after they exist)
_B_OPT_OUT, _X_OPT_OUT = _RULE[OPT_OUT]
_B_OPT_IN, _X_OPT_IN = _RULE[OPT_IN]
_B_HUMAN, _X_HUMAN = _RULE[HUMAN]
_B_HELP_STRONG, _X_HELP_STRONG = _RULE[HELP_STRONG]
_B_HELP_WEAK, _X_HELP_WEAK = _RULE[HELP_WEAK]
_B_LATE_STRONG, _X_LATE_STRONG = _RULE[LATE_STRONG]
_B_LATE_WEAK, _X_LATE_WEAK = _RULE[LATE_WEAK]
_B_NEG_CANCEL, _X_NEG_CANCEL = _RULE[NEG_CANCEL]
_B_CANCEL, _X_CANCEL = _RULE[CANCEL]
_B_CANT_MAKE, _X_CANT_MAKE = _RULE[CANT_MAKE]
_B_RESCHEDULE, _X_RESCHEDULE = _RULE[RESCHEDULE]
_B_REQUEST, _X_REQUEST = _RULE[REQUEST]
_B_SALON_INFO, _X_SALON_INFO = _RULE[SALON_INFO]
_B_QUERY, _X_QUERY = _RULE[QUERY]
_B_CONFIRM, _X_CONFIRM = _RULE[CONFIRM]
_B_NEVERMIND, _X_NEVERMIND = _RULE[NEVERMIND]
_B_GREET, _X_GREET = _RULE[GREET]
_B_NEW_BOOKING, _X_NEW_BOOKING = _RULE[NEW_BOOKING]
_B_OFF_TOPIC, _X_OFF_TOPIC = _RULE[OFF_TOPIC]
_B_DROP_THAT, _X_DROP_THAT = _RULE[DROP_THAT]
_B_RESCHED_LATER, _X_RESCHED_LATER = _RULE[RESCHED_LATER]
_B_OFF_DOMAIN, _X_OFF_DOMAIN = _RULE[OFF_DOMAIN]
_B_SALON_WORDS, _X_SALON_WORDS = _RULE[SALON_WORDS]
_B_QUERY_CANCEL, _X_QUERY_CANCEL = _RULE[QUERY_CANCEL]
_B_AVAILABILITY, _X_AVAILABILITY = _RULE[AVAILABILITY]
_B_QUESTIONISH, _X_QUESTIONISH = _RULE[QUESTIONISH]


def has_time_request(t: str, has_time: bool) -> bool:
    """A salon-info question that also asks for a time ("are you open saturday? can i come at 3")."""
    return has_time and bool(re.search(r"\b(?:can (?:i|we|you)|could (?:i|we)|any (?:openings|availability|time))\b", t))


def classify(norm: str, ctx_awaiting: str, has_time: bool, has_ref_time: bool, choice: int | None,
             time_only: bool | Callable[[], bool] = False, present=None) -> tuple[str, float]:
    """Intent and confidence for one normalized message.

    has_time: the message names a day or time that is not the existing
    appointment's; time_only: little else is said besides that time ("thurs
    at 5?"), so the time is itself the request (or a function that tells, called
    only if a rule needs to know); present: literals.scan(norm), when the caller has it.
    """
    aw = ctx_awaiting
    t = norm.strip()
    if not t:
        return "unknown", 0.2
    kw = carrier_keyword(t)
    if kw:
        return kw, 1.0
    # the rules whose literals are in the text (t is a slice of norm)
    can = _GATES.mask(literals.scan(norm) if present is None else present)
    if aw == "reminder_reply":
        m = REMINDER_LETTER.match(t)
        if m:
            return {"c": "confirm_appointment", "r": "reschedule", "x": "cancel"}[m.group("l")], 0.95
    elif aw != "slot_choice" and (m := LONE_LETTER.match(t)):
        # Our texts say "reply R", "reply X" in more places than the reminder (HELP,
        # a refusal, the cancel question): a lone letter means what they said.
        if aw == "cancel_confirmation" and m.group("l") == "x":
            return "affirm", 0.85           # asked "YES to cancel", they wrote X: cancel it
        return {"c": "confirm_appointment", "r": "reschedule", "x": "cancel"}[m.group("l")], 0.9
    if len(t) > 24 and (BROADCAST.search(t) or NOT_OURS.search(t)):
        return "unknown", 0.6               # "... Reply STOP to opt out": another business's text
    if can & _B_OPT_OUT and _X_OPT_OUT.search(t):
        return "opt_out", 0.95
    if can & _B_OPT_IN and _X_OPT_IN.search(t):
        return "opt_in", 0.9
    if can & _B_HUMAN and _X_HUMAN.search(t):
        return "human", 0.9
    if can & _B_HELP_STRONG and _X_HELP_STRONG.search(t):
        return "help", 0.9
    if (can & _B_LATE_STRONG and _X_LATE_STRONG.search(t)) and not (can & _B_RESCHEDULE and _X_RESCHEDULE.search(t)) and not (can & _B_CANCEL and _X_CANCEL.search(t)):
        return "late", 0.9
    if aw == "slot_choice" and choice is not None and not (can & _B_NEG_CANCEL and _X_NEG_CANCEL.search(t)):
        return "choose", 0.9

    if (can & _B_DROP_THAT and _X_DROP_THAT.search(t)) and aw not in ("cancel_confirmation", "which_appointment") and not (can & _B_RESCHEDULE and _X_RESCHEDULE.search(t)):
        return "deny", 0.8                  # "never mind, cancel that": drop the request
    neg_cancel = can & _B_NEG_CANCEL and _X_NEG_CANCEL.search(t)
    resched = can & _B_RESCHEDULE and _X_RESCHEDULE.search(t)
    if resched and NEG_RESCHEDULE.search(t):
        # "don't move it", "no la cambies": only a move that is not negated asks for one
        resched = _X_RESCHEDULE.search(NEG_RESCHEDULE.sub(" ", t))
    cancel = (can & _B_CANCEL and _X_CANCEL.search(t)) and not neg_cancel

    if aw in ("cancel_confirmation", "reschedule_confirmation", "slot_choice") and not has_time \
            and MONEY_QUESTION.search(t) and not any(_yes_no_never(t, can)):
        return "unknown", 0.5               # "would moving it cost extra?": a question, not a request
    if aw in ("cancel_confirmation", "reschedule_confirmation"):
        if WHICH_ONE.search(t):
            return "query", 0.8             # "wait, which appointment is this for?"
        yes, no, never = _yes_no_never(t, can)
        if neg_cancel:
            return ("reschedule", 0.85) if (resched or has_time) else ("deny", 0.9)
        if yes and not no:
            if re.search(r"\b(?:but|pero|except|excepto|only if|solo si)\b", t):
                if has_time or resched:
                    return "reschedule", 0.75      # "yes but can we make it 4"
                if re.search(r"\b(?:but|pero) (?:not|no)\b", t):
                    return "deny", 0.6
            return "affirm", 0.95
        # (a question that says "cancel" - "will I be charged if I cancel?" - is not a yes)
        if aw == "cancel_confirmation" and cancel and not no and not (can & _B_QUESTIONISH and _X_QUESTIONISH.search(t)):
            return "affirm", 0.85
        if no or never:
            if has_time or (resched and not never):
                return "reschedule", 0.85
            if cancel and aw == "reschedule_confirmation" and not re.match(r"(?:cancel|scratch) that\b", t):
                return "cancel", 0.8
            return "deny", 0.9
        if has_time:
            return "reschedule", 0.75
        if aw == "reschedule_confirmation" and resched and GO_AHEAD.search(t) and not OTHER_TIMES.search(t):
            return "affirm", 0.8            # "that one's great, go ahead and move it"
        if aw == "reschedule_confirmation" and (can & _B_CONFIRM and _X_CONFIRM.search(t)):
            return "affirm", 0.8
    if neg_cancel:
        if resched or has_time:
            return "reschedule", 0.85
        return "deny", 0.75
    if (can & _B_OFF_DOMAIN and _X_OFF_DOMAIN.search(t)) and not (can & _B_SALON_WORDS and _X_SALON_WORDS.search(t)):
        return "unknown", 0.55              # a flight, a table, an alarm: not ours to move
    if (can & _B_NEW_BOOKING and _X_NEW_BOOKING.search(t)) and not cancel and not (resched and not re.search(r"\bbook", t)):
        return "unknown", 0.55              # a new booking: not ours either
    if (can & _B_OFF_TOPIC and _X_OFF_TOPIC.search(t)) and not (cancel or resched or has_time):
        return "unknown", 0.6
    if STATUS_QUERY.search(t) and not has_time:
        return "query", 0.8
    if resched and NOT_NOW_REBOOK.search(t) and (cancel or (can & _B_CANT_MAKE and _X_CANT_MAKE.search(t))):
        return "cancel", 0.85
    if resched and not ((cancel or (can & _B_CANT_MAKE and _X_CANT_MAKE.search(t))) and (can & _B_RESCHED_LATER and _X_RESCHED_LATER.search(t))):
        if cancel and not has_time and re.search(r"\b(?:and|then|y)\s+(?:re ?book|reschedule)\b", t) is None \
                and not re.search(r"\b(?:move|reschedul\w*|cambiar|mover|pasar\w*)\b", t):
            return "cancel", 0.8
        return "reschedule", 0.9
    if cancel and not (can & _B_QUERY_CANCEL and _X_QUERY_CANCEL.search(t)):
        return "cancel", 0.95
    if (can & _B_SALON_INFO and _X_SALON_INFO.search(t)) and not has_time_request(t, has_time) \
            and not (aw == "slot_choice" and NONE_OF_THEM.search(t)):
        return "unknown", 0.5
    if (can & _B_QUERY and _X_QUERY.search(t)) and ((can & _B_QUESTIONISH and _X_QUESTIONISH.search(t)) or re.search(r"\b(?:remind|forgot|recuerd|verdad)", t)):
        return "query", 0.85
    # read only now: a request decided above never needs them
    yes, no, never = _yes_no_never(t, can)
    if has_time and yes and re.search(r"\b(?:but|pero)\b", t):
        return "reschedule", 0.7            # "yes but can we do 4"
    if aw == "reminder_reply" and ((can & _B_CONFIRM and _X_CONFIRM.search(t)) or yes):
        if no:
            return "deny", 0.6
        return "confirm_appointment", 0.9
    if (can & _B_CONFIRM and _X_CONFIRM.search(t)) and not (can & _B_QUESTIONISH and _X_QUESTIONISH.search(t)):
        return "confirm_appointment", 0.8
    if aw == "slot_choice" and not has_time:
        # (With a time, "none of those, thursday?" is the new request below.)
        if OTHER_TIMES.search(t):
            return "reschedule", 0.75
        if NONE_OF_THEM.search(t):
            return "deny", 0.8
    if can & _B_AVAILABILITY and _X_AVAILABILITY.search(t):
        return "reschedule", 0.6
    if has_time:
        request = (can & _B_REQUEST and _X_REQUEST.search(t))          # searched once for both uses
        if request or (time_only() if callable(time_only) else time_only) or aw != "none" or "?" in t:
            return "reschedule", 0.75 if request or "?" in t else 0.6
    if can & _B_CANT_MAKE and _X_CANT_MAKE.search(t):
        return "cancel", 0.7
    if can & _B_LATE_WEAK and _X_LATE_WEAK.search(t):
        return "late", 0.6
    if can & _B_HELP_WEAK and _X_HELP_WEAK.search(t):
        return "help", 0.7
    if no or never:
        return "deny", 0.85 if aw != "none" else 0.7
    if yes:
        if aw == "none" and (can & _B_GREET and _X_GREET.search(t)) and not re.match(r"^(?:yes|yeah|yep|si)\b", t):
            return "greet", 0.7
        if aw == "slot_choice":
            return "affirm", 0.5
        return "affirm", 0.85 if aw != "none" else 0.6
    if can & _B_GREET and _X_GREET.search(t):
        return "greet", 0.85
    return "unknown", 0.3
