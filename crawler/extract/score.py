"""Is it a policy? A score from privacy vocabulary and the title, and refusals no vocabulary outweighs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A page is kept as a policy version when its score reaches this (see score_policy for the parts).
THRESHOLD = 0.4

# score = vocabulary density (up to 0.6, scaled down below 4 topics) + breadth of policy topics (up to 0.3) + a title or main
# heading that names a policy (0.2), capped at 1; then refusals that no vocabulary can outweigh:
# a page that reports on a policy (news, press release, blog post), an error / moved / parked / login /
# cookie-wall / JavaScript-shell page, a stub. Length alone refuses nothing that reads as a policy:
# a short page is kept when it covers SHORT_TOPICS topics and its title or main heading names a
# policy (small vendors' one-paragraph policies).
# Calibrated on bench/extraction.py: policies there score >= 0.53, other pages <= 0.20.

MIN_WORDS = 120  # below this a page must read as a policy on its own (SHORT_TOPICS) to be kept
STUB_WORDS = 25  # below this a capture is a stub (a link list, a banner), whatever it says
SHORT_TOPICS = 4

# Words of policy texts, in the languages the crawl meets; each alternation group is one topic.
_TOPICS = [
    r"privacy|datenschutz\w*|confidentialit\w+|privacidad|privacit\w+|riservatezza|privacybeleid|integritet\w*",
    r"personal (?:data|information)|personally identifiable|personenbezogene\w*|donn\u00e9es (?:\u00e0 caract\u00e8re )?personnelles|"
    r"datos (?:de car\u00e1cter )?personales|dati personali|persoonsgegevens",
    r"cookies?|web beacons?|pixel tags?|tracking technolog\w+|traceurs",
    r"third[- ]part(?:y|ies)|dritte\w*|tiers|terceros|terzi|derden",
    r"(?:we|us|which|that) (?:may )?(?:collect|process|use|share|disclose|retain|store)|erheben|verarbeiten|collectons|traitons|recopilamos|verwerken|verzamelen",
    r"gdpr|dsgvo|rgpd|ccpa|coppa|data protection|data controller|verantwortliche\w*|responsable du traitement",
    r"opt[- ]out|unsubscribe|withdraw (?:your )?consent|right to (?:access|erasure|object)|auskunft|widerruf\w*|droit d.acc\u00e8s|droit d.opposition",
    r"retention|retain|aufbewahr\w*|speicherdauer|conservation|conserv\w+ (?:vos|les) donn\u00e9es",
    r"children|minors|kinder|mineurs|menores",
    r"ip address\w*|ip-adresse\w*|adresse ip|log files?|server logs?|logfiles?",
]
# one pass over the text: a named group per topic, anchored at a word start (much faster than 10 scans)
# matched on lower-cased text: re.I makes this alternation three times slower
_TOPIC_RE = re.compile(r"\b(?:" + "|".join(f"(?P<t{i}>{t})" for i, t in enumerate(_TOPICS)) + ")")
SAMPLE_CHARS = 40_000  # vocabulary is measured on the first 40k characters: a ratio, so a sample does as well as the whole and a 500k page costs no more
_POLICY_TITLE = re.compile(
    r"privacy|datenschutz|data protection|confidentialit|donn\u00e9es personnelles|privacidad|privacit|"
    r"privacybeleid|cookie (?:policy|notice)|personal (?:data|information)", re.I)

# Pages that are something else, told by their title or main heading (or, on a short page, the text).
_NOT_POLICY = [
    ("soft 404", re.compile(
        r"\b404\b|not found|can.t find|cannot be found|could not be found|does(?: not|n.t) exist|no longer (?:exists|available)|"
        r"nicht gefunden|existiert nicht|introuvable|n.existe pas|no encontrada|no existe|non trovata|niet gevonden", re.I)),
    ("page has moved", re.compile(
        r"has (?:been )?moved|moved (?:permanently|to)|page moved|we.ve moved|redirecting|you will be redirected|"
        r"umgezogen|weitergeleitet|verschoben|a \u00e9t\u00e9 d\u00e9plac\u00e9e|d\u00e9plac\u00e9|redirig\u00e9|http \d{3} response at crawl time", re.I)),
    ("parked domain", re.compile(
        r"domain (?:is|may be) for sale|buy this domain|domain kaufen|zum verkauf|domaine est \u00e0 vendre|"
        r"related searches|sponsored listings|this domain is parked|parked (?:free|domain)", re.I)),
    ("login page", re.compile(
        r"^(?:sign in|log ?in|anmeld\w*|connexion|iniciar sesi\u00f3n)\b|sign in to|log in to your|anmeldung zum|"
        r"forgot (?:your )?password|passwort vergessen|mot de passe oubli\u00e9", re.I)),
    ("cookie wall", re.compile(
        r"accept all|reject all|alle akzeptieren|alle ablehnen|tout accepter|tout refuser|aceptar todo|"
        r"before you continue|zustimmung erforderlich", re.I)),
    ("JavaScript shell", re.compile(
        r"enable javascript|javascript (?:is )?(?:required|disabled)|javascript aktivieren|aktivieren sie javascript|"
        r"activer javascript|wird geladen|^loading", re.I)),
    ("error page", re.compile(
        r"\b(?:403|500|502|503|522)\b|forbidden|access denied|internal server error|service unavailable|"
        r"connection timed out|maintenance|wartungsarbeiten|under construction|index of /|zugriff verweigert", re.I)),
]
# Reported speech and news or blog furniture: a page *about* a policy (a news story, a press release,
# a blog post) quotes people and names its author; a policy does neither ("said" is rare in one).
_REPORTING = re.compile(
    r"\b(?:said|says|told|according to|spokes(?:man|woman|person)|in a statement|announced|for immediate release|"
    r"pr ?newswire|business wire|press release|(?:staff )?reporter|staff writer|posted by|written by|min read|"
    r"\d+ comments|reply|"
    r"sagte|erkl\u00e4rte|teilte\b|mitgeteilt|berichtete\w*|sprecher(?:in)?|nach (?:eigenen )?angaben|zufolge|\d+ kommentare|"
    r"a d\u00e9clar\u00e9|a-t-(?:il|elle) (?:d\u00e9clar\u00e9|annonc\u00e9|expliqu\u00e9)|porte-parole|communiqu\u00e9 de presse|\d+ commentaires|"
    r"dijo|declar\u00f3|seg\u00fan (?:fuentes|el portavoz)|portavoz|\d+ comentarios)\b")  # on lower-cased text
# Titles of pages about policies in general: a generator, a template, a how-to, an explainer.
_ABOUT_POLICIES = re.compile(
    r"generator|generieren|template|vorlage|mod\u00e8le|plantilla|how to (?:write|create|draft)|builder|"
    r"explained|explainer|guide to|need to know|erkl\u00e4rt", re.I)
# A policy states what its author does with data ("we collect", "Acme collects", "are stored"); a
# product page of a privacy tool, a job posting or a help article talks about privacy without one.
_VERBS = r"collect|use|process|share|disclose|retain|store|keep|receive|sell|rent|transfer|track|log|record|gather|obtain|delete|send|provide"
_PRACTICE = re.compile(
    rf"\b(?:we|wir|nous|wij)\b(?:\W+\w+){{0,5}}?\W+(?:{_VERBS}|erhebe|verarbeite|speicher|nutze|verwende|gebe|l\u00f6sche|"
    r"verwerk|verzamel|bewaar|del|gebruik|"
    r"collecte|utilis|trait|conserv|partage|recueill)\w*"
    r"|\b(?:erheben|verarbeiten|speichern|nutzen|verwenden|geben|l\u00f6schen|setzen) wir\b"
    r"|\b(?:recopilamos|utilizamos|tratamos|conservamos|cedemos|compartimos|raccogliamo|utilizziamo|trattiamo|conserviamo|"
    r"cediamo|condividiamo)\b"
    r"|\b(?:collects|uses|processes|shares|discloses|retains|stores|receives|gathers|obtains|logs|records|tracks|sells|rents|"
    r"verwerkt|verzamelt|bewaart|gebruikt|deelt)\b"
    r"|\b(?:is|are|be|been|werden|wird|sont|est|son|sono) (?:\w+ )?(?:collected|used|processed|shared|disclosed|stored|"
    r"retained|kept|logged|recorded|transferred|sold|deleted|erhoben|gespeichert|verarbeitet|gel\u00f6scht|weitergegeben|"
    r"collect\u00e9es?|utilis\u00e9es?|conserv\u00e9es?|trait\u00e9es?|tratados|conservados|trattati|conservati)\b")  # lower-cased text
REPORTING_MIN = 3  # at least this many cues ...
REPORTING_RATE = 1.0  # ... and this many per 100 words (policies stay below 0.9)
_HOME_PATH = re.compile(r"^/?(?:index\.\w+|default\.\w+|home(?:page)?(?:\.\w+)?|[a-z]{2}(?:-[a-z]{2})?/?)?$", re.I)


_WORD = re.compile(r"\w+")


def has_policy_vocabulary(text: str) -> bool:
    return _TOPIC_RE.search(text.lower()) is not None


def score_policy(title: str, heading: str, md: str, url: str | None = None, noscript: str = "") -> tuple[float, str]:
    """Score 0..1 that the extracted text is a privacy policy, and a short human reason."""
    sample = md[:SAMPLE_CHARS]
    sample_words = len(_WORD.findall(sample))
    words = sample_words if len(md) == len(sample) else len(_WORD.findall(md))
    head = f"{title} | {heading}"
    named = bool(_POLICY_TITLE.search(head))
    lowered = sample.lower()
    hits = [0] * len(_TOPICS)
    for m in _TOPIC_RE.finditer(lowered):
        hits[int(m.lastgroup[1:])] += 1
    density = sum(hits) * 100 / max(sample_words, 1)
    breadth = sum(1 for h in hits if h)
    # density counts only when several topics carry it: a recipe with a cookie banner is dense in "cookie"
    score = min(0.6, density * 0.15) * min(1.0, breadth / 4) + min(0.3, breadth * 0.05) + (0.2 if named else 0.0)
    score = round(min(1.0, score), 2)

    reported = len(_REPORTING.findall(lowered))
    if reported >= REPORTING_MIN and reported * 100 / max(sample_words, 1) >= REPORTING_RATE:
        return min(score, 0.1), f"about a policy, not one: {reported} reporting cues (news, press release, blog)"
    if m := _ABOUT_POLICIES.search(head):
        return min(score, 0.1), f"about policies, not one: {m.group(0).lower()!r} in the title"
    # a long page whose title names a policy is trusted over its title's other words ("... Maintenance Software")
    if not (named and words >= 300):
        # the text only speaks for short pages; <noscript> only for near-empty ones (a JavaScript shell)
        body = (md + ("\n" + noscript if words < MIN_WORDS else "")) if words < 300 else ""
        for where in (head, body):
            for kind, rx in _NOT_POLICY:
                if m := rx.search(where):
                    return min(score, 0.1), f"{kind}: {m.group(0).strip().lower()!r}"
    # a short page must say it is a policy (title or main heading) too: a legal index says "Legal"
    if words < STUB_WORDS or (words < MIN_WORDS and (breadth < SHORT_TOPICS or score < THRESHOLD or not named)):
        return min(score, 0.2), f"too short: {words} words, {breadth} topics"
    if sum(hits) == 0:
        return 0.0, "no privacy vocabulary"
    if not _PRACTICE.search(lowered):
        return min(score, 0.2), "no statement of what is done with data (about privacy, not a policy)"
    path = urlsplit(url).path if url else None
    if path is not None and _HOME_PATH.match(path) and score < THRESHOLD:
        return score, "home page, not a policy"
    if score < THRESHOLD:
        return score, f"little privacy vocabulary: {density:.1f} terms per 100 words, {breadth} topics"
    return score, f"policy: {density:.1f} terms per 100 words, {breadth} topics" + (", named in title" if named else "")
