"""Sentences and page texts, in fr, nl and de, from which message bodies are assembled."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("prevention", "modus-operandi", "crime-trend", "police-feedback", "plp-life")

# One slug per title: titles[category][i] in every language are translations of TOPICS[..][i].
TOPICS: dict[str, tuple[str, ...]] = {
    "prevention": ("dark-days", "holiday-watch", "bike-locks", "doors-and-windows"),
    "modus-operandi": ("fake-technicians", "garden-sheds", "distraction-theft", "bank-phishing"),
    "crime-trend": ("evening-burglaries", "catalytic-converters", "car-break-ins", "parcels"),
    "police-feedback": ("plp-calls", "thank-you", "plp-launch", "year-review"),
    "plp-life": ("annual-meeting", "evaluation", "new-coordinator", "information-evening"),
}


@dataclass(frozen=True, slots=True)
class Phrases:
    """Everything written in one language; pools have the same length in every language."""

    titles: dict[str, tuple[str, ...]]
    sentences: dict[str, tuple[str, ...]]  # per category; may contain {place}
    generic: tuple[str, ...]
    tips: tuple[str, ...]
    advice_headings: tuple[str, ...]
    report_heading: str
    rule: str  # the reporting rule, in every body
    report_extra: tuple[str, ...]
    contact_phone: str
    contact_email: str
    contact_web: str
    national_place: str
    national_author: str
    zone_author: str  # "{zone} — service"
    join: str  # how to join a PLP: {commune}, {email}
    pages: dict[str, tuple[str, str, str]]  # key -> (title, summary, body)


FR = Phrases(
    titles={
        "prevention": (
            "Jours sombres : éclairez votre maison",
            "Vacances : demandez une surveillance de votre habitation",
            "Vélos : un bon cadenas fait la différence",
            "Portes et fenêtres : les bons réflexes",
        ),
        "modus-operandi": (
            "Faux techniciens au porte-à-porte",
            "Vols dans les abris de jardin",
            "Vol à la ruse : restez vigilant",
            "Faux messages de votre banque",
        ),
        "crime-trend": (
            "Hausse des cambriolages en soirée",
            "Vols de pots catalytiques en hausse",
            "Vols dans les véhicules : augmentation récente",
            "Colis volés devant les portes",
        ),
        "police-feedback": (
            "Retour sur vos appels PLP",
            "Merci pour vos informations",
            "Lancement du PLP : le point",
            "Bilan de l'année écoulée",
        ),
        "plp-life": (
            "Invitation à la réunion annuelle",
            "Évaluation du PLP : votre avis compte",
            "Un nouveau coordinateur pour le PLP",
            "Soirée d'information sur la prévention",
        ),
    },
    sentences={
        "prevention": (
            "Quelques gestes simples suffisent souvent à décourager un cambrioleur, qui cherche "
            "avant tout une cible facile et discrète.",
            "Dans notre secteur ({place}), la plupart des intrusions se produisent lorsque "
            "l'habitation semble inoccupée.",
            "Un éclairage bien pensé, des portes verrouillées et un voisinage attentif réduisent "
            "fortement le risque.",
            "Le conseiller en prévention vol de votre commune peut passer gratuitement chez vous "
            "pour un avis personnalisé.",
            "Les cambrioleurs n'aiment ni la lumière, ni le bruit, ni le temps perdu devant une "
            "serrure solide.",
            "Prendre ces habitudes maintenant, c'est aussi protéger vos voisins, car une rue "
            "attentive est une rue moins visée.",
        ),
        "modus-operandi": (
            "Nous avons récemment constaté une méthode utilisée par des auteurs qui se présentent "
            "sous un prétexte crédible.",
            "Dans notre secteur ({place}), plusieurs habitants ont été abordés de cette manière au "
            "cours des dernières semaines.",
            "Les auteurs agissent souvent en journée, avec assurance, et profitent d'un moment "
            "d'inattention.",
            "Ils portent parfois un gilet fluorescent, un badge ou un vêtement de travail pour "
            "paraître officiels.",
            "Aucun service public ne vous demandera de l'argent liquide, vos codes bancaires ou "
            "l'accès à votre coffre.",
            "Connaître la méthode permet de la reconnaître à temps et de refuser poliment mais "
            "fermement.",
        ),
        "crime-trend": (
            "Nos chiffres montrent une nette augmentation de ce type de faits par rapport à la "
            "même période l'an dernier.",
            "La hausse concerne plusieurs quartiers de notre secteur ({place}), en particulier en "
            "fin de journée.",
            "Cette tendance s'observe aussi dans les zones voisines, ce qui suggère des auteurs "
            "mobiles.",
            "Nos équipes ont renforcé leur présence, mais votre vigilance reste un maillon "
            "essentiel.",
            "La plupart des faits auraient pu être évités par des mesures simples et peu "
            "coûteuses.",
            "Nous vous tiendrons informés de l'évolution de la situation dans un prochain message.",
        ),
        "police-feedback": (
            "Vos signalements nous ont été très utiles au cours des derniers mois, et nous tenons "
            "à vous en remercier.",
            "Grâce aux informations transmises par des membres du PLP ({place}), une patrouille a "
            "pu intervenir rapidement.",
            "Chaque appel est analysé par nos services, même lorsqu'il ne débouche pas sur une "
            "intervention immédiate.",
            "Nous ne pouvons rien dire des enquêtes en cours, mais vos informations sont prises "
            "au sérieux.",
            "La collaboration entre les habitants, la commune et la police reste la base du PLP.",
            "Un partenariat ne fonctionne que si l'information circule dans les deux sens, de vous "
            "vers nous et de nous vers vous.",
        ),
        "plp-life": (
            "La vie du PLP ne se limite pas aux messages : les rencontres entre membres en font "
            "toute la force.",
            "Le PLP ({place}) réunit des habitants qui veulent contribuer ensemble à un quartier "
            "plus sûr.",
            "La rencontre est ouverte à tous les membres et aux habitants qui souhaitent en savoir "
            "plus.",
            "Nous présenterons le bilan de l'année, les priorités de la zone et les projets à "
            "venir.",
            "Votre avis nous aide à améliorer la communication et à adapter les messages à vos "
            "besoins.",
            "Le coordinateur reste votre contact pour la vie du partenariat, mais jamais pour "
            "signaler des faits.",
        ),
    },
    generic=(
        "Un PLP est une collaboration structurée entre les citoyens, la police et les autorités "
        "locales.",
        "Les membres ne font pas de patrouilles et n'exercent aucune tâche de police : ils "
        "observent et signalent.",
        "Être membre d'un PLP ne donne aucun privilège, mais permet de recevoir des conseils "
        "utiles et réguliers.",
        "Le sentiment de sécurité dépend aussi de la cohésion entre voisins : connaissez-vous "
        "ceux qui habitent près de chez vous ?",
        "Une description précise des personnes et des véhicules suspects aide beaucoup les "
        "équipes sur le terrain.",
        "N'hésitez pas à partager ces conseils avec vos proches, surtout avec les personnes "
        "âgées ou isolées.",
        "La prévention est l'affaire de tous, et chaque petit geste compte.",
        "Les messages du PLP ne sont pas urgents : ils complètent les canaux d'alerte officiels "
        "sans les remplacer.",
        "En cas de situation grave, les autorités peuvent vous alerter par BE-Alert, par SMS ou "
        "par message vocal.",
        "Notez l'heure, le lieu et ce que vous avez vu, puis transmettez-le sans attendre.",
        "Ne vous mettez jamais en danger et n'intervenez pas vous-même.",
        "Le service prévention de la zone reste à votre disposition pour toute question générale.",
        "Un voisin attentif remarque vite une voiture inconnue qui tourne dans le quartier ou une "
        "porte restée ouverte.",
        "Les conseils de ce message valent aussi pour les commerces, les exploitations agricoles "
        "et les entreprises.",
        "Votre coordinateur peut vous transmettre d'autres conseils de prévention adaptés à votre "
        "quartier.",
        "Un contact régulier entre voisins rend le quartier plus agréable et plus sûr pour tout le "
        "monde.",
    ),
    tips=(
        "Fermez toujours portes et fenêtres à clé, même pour une courte absence.",
        "Allumez une lampe avec minuterie lorsque vous sortez le soir.",
        "Installez un éclairage extérieur avec détecteur de mouvement.",
        "Ne laissez ni échelle ni outils accessibles dans le jardin.",
        "Gardez vos clés hors de vue, loin de la porte d'entrée.",
        "Demandez à un voisin de vider votre boîte aux lettres pendant vos absences.",
        "Ne publiez pas vos dates de vacances sur les réseaux sociaux.",
        "Gravez ou enregistrez vos objets de valeur et gardez-en des photos.",
        "Attachez votre vélo à un point fixe avec un cadenas solide.",
        "Demandez toujours une carte de service et vérifiez-la auprès de l'organisme.",
        "Ne laissez jamais entrer un inconnu sans rendez-vous confirmé.",
        "Ne laissez aucun objet visible dans votre voiture.",
        "Ne donnez jamais vos codes ni vos mots de passe, même à quelqu'un qui se dit de votre "
        "banque.",
        "Demandez une surveillance de votre habitation à la police avant de partir en vacances.",
    ),
    advice_headings=("Nos conseils", "Que pouvez-vous faire ?", "Les bons réflexes"),
    report_heading="Signaler",
    rule="Signalez toujours les faits et les comportements suspects **directement à la police, "
    "au 101 (112 en cas d'urgence), jamais via le coordinateur** du PLP.",
    report_extra=(
        "Le coordinateur relaie les messages de prévention, mais il n'est pas un intermédiaire "
        "pour les signalements.",
        "Plus votre appel est rapide, plus l'intervention a de chances d'être utile.",
        "Un signalement direct évite toute perte de temps et toute erreur de transmission.",
    ),
    contact_phone="Pour une question non urgente, la zone de police est joignable au {phone}.",
    contact_email="Vous pouvez aussi écrire au service prévention : <{email}>.",
    contact_web="Plus d'informations : <{website}>.",
    national_place="Belgique",
    national_author="SPF Intérieur — Direction Sécurité locale intégrale",
    zone_author="{zone} — service prévention",
    join="Vous habitez ou travaillez à {commune} ? L'adhésion est **gratuite** : écrivez à la "
    "coordination, {email}.\n\nLes faits se signalent **directement à la police au 101** (112 "
    "en cas d'urgence), jamais via le coordinateur.",
    pages={
        "about": (
            "Qu'est-ce qu'un PLP ?",
            "Un partenariat local de prévention relie les habitants, la police et la commune.",
            "Un **partenariat local de prévention** (PLP) est une collaboration structurée entre "
            "les citoyens, la police et les autorités locales, basée sur l'échange "
            "d'informations et la prévention des délits, sur un territoire délimité.\n\n"
            "## Ce qu'un PLP n'est pas\n\n"
            "- Les membres n'exercent aucune tâche de police et ne font pas de patrouilles.\n"
            "- Être membre ne donne aucun privilège.\n"
            "- Un PLP est indépendant de tout parti politique.\n\n"
            "Les faits se signalent **directement à la police, au 101 (112 en cas "
            "d'urgence), jamais via le coordinateur**.\n",
        ),
        "report": (
            "Comment signaler ?",
            "Faits et comportements suspects : directement à la police.",
            "Appelez **le 101** pour signaler un fait ou un comportement suspect, et **le 112** "
            "en cas d'urgence. Ne passez **jamais par le coordinateur** : il relaie des messages "
            "de prévention, il ne transmet pas les signalements.\n\n"
            "## Bien décrire\n\n"
            "- l'heure et le lieu ;\n"
            "- les personnes : taille, vêtements, signes distinctifs ;\n"
            "- les véhicules : marque, couleur, direction.\n\n"
            "En cas de calamité, les autorités alertent la population par BE-Alert.\n",
        ),
        "privacy": (
            "Vie privée",
            "Quelles données nous gardons, pourquoi, et comment les effacer.",
            "Pour vous envoyer les messages de votre PLP, le coordinateur garde votre adresse "
            "e-mail, votre langue et, si vous le souhaitez, votre nom.\n\n"
            "- Ces données ne sont jamais publiées ni transmises à des tiers.\n"
            "- Chaque message contient un lien pour vous désinscrire en un clic.\n"
            "- Vous pouvez demander l'effacement de vos données au coordinateur.\n",
        ),
    },
)

NL = Phrases(
    titles={
        "prevention": (
            "Donkere dagen: verlicht uw woning",
            "Vakantie: vraag woningtoezicht aan",
            "Fietsen: een goed slot maakt het verschil",
            "Deuren en ramen: de juiste reflexen",
        ),
        "modus-operandi": (
            "Valse technici aan de deur",
            "Diefstallen uit tuinhuizen",
            "Diefstal met list: blijf alert",
            "Valse berichten van uw bank",
        ),
        "crime-trend": (
            "Meer woninginbraken 's avonds",
            "Meer diefstallen van katalysatoren",
            "Diefstal uit voertuigen neemt toe",
            "Pakjes gestolen aan de voordeur",
        ),
        "police-feedback": (
            "Terugkoppeling over uw BIN-oproepen",
            "Bedankt voor uw informatie",
            "Opstart van het BIN: een stand van zaken",
            "Terugblik op het voorbije jaar",
        ),
        "plp-life": (
            "Uitnodiging voor de jaarvergadering",
            "Evaluatie van het BIN: uw mening telt",
            "Een nieuwe coördinator voor het BIN",
            "Infoavond over preventie",
        ),
    },
    sentences={
        "prevention": (
            "Enkele eenvoudige gewoonten volstaan vaak om een inbreker af te schrikken, want hij "
            "zoekt vooral een makkelijk en onopvallend doelwit.",
            "In onze regio ({place}) gebeuren de meeste inbraken wanneer een woning onbewoond "
            "lijkt.",
            "Doordachte verlichting, gesloten deuren en oplettende buren verkleinen het risico "
            "aanzienlijk.",
            "De diefstalpreventieadviseur van uw gemeente komt gratis bij u langs voor persoonlijk "
            "advies.",
            "Inbrekers houden niet van licht, niet van lawaai en niet van tijdverlies aan een "
            "stevig slot.",
            "Wie deze gewoonten nu aanneemt, beschermt ook de buren, want een alerte straat is een "
            "minder geviseerde straat.",
        ),
        "modus-operandi": (
            "We stelden onlangs een werkwijze vast van daders die zich met een geloofwaardig "
            "voorwendsel aandienen.",
            "In onze regio ({place}) werden de voorbije weken meerdere inwoners op deze manier "
            "benaderd.",
            "De daders handelen vaak overdag, met veel zelfvertrouwen, en maken gebruik van een "
            "moment van onoplettendheid.",
            "Ze dragen soms een fluohesje, een badge of werkkledij om officieel over te komen.",
            "Geen enkele overheidsdienst vraagt u om contant geld, uw bankcodes of toegang tot uw "
            "kluis.",
            "Wie de werkwijze kent, herkent ze op tijd en weigert beleefd maar beslist.",
        ),
        "crime-trend": (
            "Onze cijfers tonen een duidelijke stijging van dit soort feiten tegenover dezelfde "
            "periode vorig jaar.",
            "De stijging betreft meerdere wijken in onze regio ({place}), vooral aan het einde van "
            "de dag.",
            "Deze trend zien we ook in de naburige zones, wat wijst op mobiele daders.",
            "Onze ploegen zijn vaker aanwezig, maar uw waakzaamheid blijft een belangrijke "
            "schakel.",
            "De meeste feiten hadden voorkomen kunnen worden met eenvoudige en goedkope "
            "maatregelen.",
            "We houden u in een volgend bericht op de hoogte van de evolutie.",
        ),
        "police-feedback": (
            "Uw meldingen waren de voorbije maanden erg nuttig, en daarvoor willen we u bedanken.",
            "Dankzij informatie van leden van het BIN ({place}) kon een patrouille snel ter "
            "plaatse komen.",
            "Elke oproep wordt door onze diensten geanalyseerd, ook wanneer er niet meteen een "
            "interventie volgt.",
            "Over lopende onderzoeken kunnen we niets meedelen, maar uw informatie wordt ernstig "
            "genomen.",
            "De samenwerking tussen inwoners, gemeente en politie blijft de basis van het BIN.",
            "Een samenwerking werkt alleen als de informatie in twee richtingen stroomt, van u "
            "naar ons en van ons naar u.",
        ),
        "plp-life": (
            "Het BIN is meer dan berichten alleen: de ontmoetingen tussen leden maken de kracht "
            "ervan uit.",
            "Het BIN ({place}) brengt inwoners samen die willen bijdragen aan een veiligere buurt.",
            "De bijeenkomst staat open voor alle leden en voor inwoners die meer willen weten.",
            "We stellen de balans van het jaar voor, de prioriteiten van de zone en de komende "
            "projecten.",
            "Uw mening helpt ons de communicatie te verbeteren en de berichten aan uw noden aan te "
            "passen.",
            "De coördinator blijft uw aanspreekpunt voor de werking van het BIN, maar nooit om "
            "feiten te melden.",
        ),
    },
    generic=(
        "Een BIN is een gestructureerde samenwerking tussen burgers, politie en lokale overheid.",
        "Leden patrouilleren niet en voeren geen politietaken uit: ze observeren en melden.",
        "Lid zijn van een BIN geeft geen voorrechten, maar wel regelmatig nuttig advies.",
        "Het veiligheidsgevoel hangt ook af van de band tussen buren: kent u de mensen die naast "
        "u wonen?",
        "Een nauwkeurige beschrijving van verdachte personen en voertuigen helpt de ploegen op "
        "het terrein enorm.",
        "Deel deze tips gerust met uw naasten, zeker met oudere of alleenwonende mensen.",
        "Preventie is een zaak van iedereen, en elk klein gebaar telt.",
        "BIN-berichten zijn niet dringend: ze vullen de officiële alarmkanalen aan, maar "
        "vervangen ze niet.",
        "Bij een ernstige situatie kan de overheid u waarschuwen via BE-Alert, sms of een "
        "gesproken bericht.",
        "Noteer het uur, de plaats en wat u zag, en geef het meteen door.",
        "Breng uzelf nooit in gevaar en grijp nooit zelf in.",
        "De preventiedienst van de zone blijft beschikbaar voor al uw algemene vragen.",
        "Een oplettende buur merkt snel een onbekende auto op die door de wijk rijdt, of een deur "
        "die openstaat.",
        "De tips in dit bericht gelden ook voor handelszaken, landbouwbedrijven en ondernemingen.",
        "Uw coördinator kan u nog andere preventietips bezorgen die passen bij uw buurt.",
        "Regelmatig contact tussen buren maakt de wijk aangenamer en veiliger voor iedereen.",
    ),
    tips=(
        "Sluit deuren en ramen altijd af, ook als u maar even weg bent.",
        "Laat 's avonds een lamp met tijdschakelaar branden als u weggaat.",
        "Plaats buitenverlichting met een bewegingsmelder.",
        "Laat geen ladder of gereedschap rondslingeren in de tuin.",
        "Bewaar uw sleutels uit het zicht, niet vlak bij de voordeur.",
        "Vraag een buur om uw brievenbus leeg te maken als u afwezig bent.",
        "Zet uw vakantiedata niet op sociale media.",
        "Graveer of registreer uw waardevolle spullen en bewaar er foto's van.",
        "Maak uw fiets vast aan een vast punt met een stevig slot.",
        "Vraag altijd een dienstkaart en controleer die bij de organisatie zelf.",
        "Laat nooit een onbekende binnen zonder bevestigde afspraak.",
        "Laat niets zichtbaar achter in uw auto.",
        "Geef nooit uw codes of wachtwoorden door, ook niet aan iemand die beweert van uw bank te "
        "zijn.",
        "Vraag woningtoezicht aan bij de politie voor u op vakantie vertrekt.",
    ),
    advice_headings=("Onze tips", "Wat kunt u doen?", "Goede reflexen"),
    report_heading="Melden",
    rule="Meld feiten en verdachte gedragingen altijd **rechtstreeks aan de politie, via 101 "
    "(112 bij nood), nooit via de coördinator** van het BIN.",
    report_extra=(
        "De coördinator verspreidt preventieberichten, maar is geen tussenpersoon voor meldingen.",
        "Hoe sneller u belt, hoe groter de kans dat de interventie nuttig is.",
        "Een rechtstreekse melding voorkomt tijdverlies en fouten bij het doorgeven.",
    ),
    contact_phone="Voor een niet-dringende vraag bereikt u de politiezone op {phone}.",
    contact_email="U kunt ook mailen naar de dienst preventie: <{email}>.",
    contact_web="Meer informatie: <{website}>.",
    national_place="België",
    national_author="FOD Binnenlandse Zaken — Directie Lokale Integrale Veiligheid",
    zone_author="{zone} — dienst preventie",
    join="Woont of werkt u in {commune}? Aansluiten is **gratis**: mail naar de coördinatie, "
    "{email}.\n\nFeiten meldt u **rechtstreeks aan de politie via 101** (112 bij nood), nooit "
    "via de coördinator.",
    pages={
        "about": (
            "Wat is een BIN?",
            "Een buurtinformatienetwerk verbindt inwoners, politie en gemeente.",
            "Een **buurtinformatienetwerk** (BIN) is een gestructureerde samenwerking tussen "
            "burgers, politie en lokale overheid, gebaseerd op het uitwisselen van informatie en "
            "het voorkomen van misdrijven, binnen een afgebakend gebied.\n\n"
            "## Wat een BIN niet is\n\n"
            "- Leden voeren geen politietaken uit en patrouilleren niet.\n"
            "- Lid zijn geeft geen voorrechten.\n"
            "- Een BIN staat los van elke politieke partij.\n\n"
            "Feiten meldt u **rechtstreeks aan de politie, via 101 (112 bij nood), nooit via de "
            "coördinator**.\n",
        ),
        "report": (
            "Hoe meld ik iets?",
            "Feiten en verdachte gedragingen: rechtstreeks aan de politie.",
            "Bel **101** om een feit of verdacht gedrag te melden, en **112** bij nood. Ga "
            "**nooit via de coördinator**: die verspreidt preventieberichten, maar geeft geen "
            "meldingen door.\n\n"
            "## Goed beschrijven\n\n"
            "- het uur en de plaats;\n"
            "- de personen: lengte, kleding, opvallende kenmerken;\n"
            "- de voertuigen: merk, kleur, rijrichting.\n\n"
            "Bij een ramp waarschuwt de overheid de bevolking via BE-Alert.\n",
        ),
        "privacy": (
            "Privacy",
            "Welke gegevens we bewaren, waarom, en hoe u ze laat wissen.",
            "Om u de berichten van uw BIN te sturen, bewaart de coördinator uw e-mailadres, uw "
            "taal en, als u dat wilt, uw naam.\n\n"
            "- Deze gegevens worden nooit gepubliceerd of aan derden gegeven.\n"
            "- Elk bericht bevat een link om u met één klik uit te schrijven.\n"
            "- U kunt de coördinator vragen uw gegevens te wissen.\n",
        ),
    },
)

DE = Phrases(
    titles={
        "prevention": (
            "Dunkle Tage: beleuchten Sie Ihr Haus",
            "Urlaub: beantragen Sie eine Wohnungsüberwachung",
            "Fahrräder: ein gutes Schloss macht den Unterschied",
            "Türen und Fenster: die richtigen Gewohnheiten",
        ),
        "modus-operandi": (
            "Falsche Techniker an der Haustür",
            "Diebstähle aus Gartenhäusern",
            "Trickdiebstahl: bleiben Sie wachsam",
            "Gefälschte Nachrichten Ihrer Bank",
        ),
        "crime-trend": (
            "Mehr Einbrüche am Abend",
            "Mehr Diebstähle von Katalysatoren",
            "Diebstahl aus Fahrzeugen nimmt zu",
            "Pakete vor der Haustür gestohlen",
        ),
        "police-feedback": (
            "Rückmeldung zu Ihren PLP-Hinweisen",
            "Danke für Ihre Hinweise",
            "Start der PLP: eine Bilanz",
            "Rückblick auf das vergangene Jahr",
        ),
        "plp-life": (
            "Einladung zur Jahresversammlung",
            "Bewertung der PLP: Ihre Meinung zählt",
            "Eine neue Koordination für die PLP",
            "Informationsabend zur Vorbeugung",
        ),
    },
    sentences={
        "prevention": (
            "Oft genügen einige einfache Gewohnheiten, um Einbrecher abzuschrecken, denn sie "
            "suchen vor allem ein leichtes und unauffälliges Ziel.",
            "In unserer Region ({place}) geschehen die meisten Einbrüche, wenn ein Haus unbewohnt "
            "wirkt.",
            "Durchdachte Beleuchtung, verschlossene Türen und aufmerksame Nachbarn senken das "
            "Risiko deutlich.",
            "Der Diebstahlpräventionsberater Ihrer Gemeinde berät Sie kostenlos bei Ihnen zu "
            "Hause.",
            "Einbrecher mögen weder Licht noch Lärm noch Zeitverlust an einem stabilen Schloss.",
            "Wer diese Gewohnheiten jetzt annimmt, schützt auch die Nachbarn, denn eine "
            "aufmerksame Straße ist ein seltener Tatort.",
        ),
        "modus-operandi": (
            "Wir haben kürzlich eine Vorgehensweise von Tätern festgestellt, die sich unter einem "
            "glaubwürdigen Vorwand vorstellen.",
            "In unserer Region ({place}) wurden in den letzten Wochen mehrere Einwohner auf diese "
            "Weise angesprochen.",
            "Die Täter handeln oft tagsüber, mit großer Selbstsicherheit, und nutzen einen Moment "
            "der Unaufmerksamkeit.",
            "Sie tragen manchmal eine Warnweste, einen Ausweis oder Arbeitskleidung, um offiziell "
            "zu wirken.",
            "Keine Behörde verlangt von Ihnen Bargeld, Ihre Bankcodes oder Zugang zu Ihrem Tresor.",
            "Wer die Vorgehensweise kennt, erkennt sie rechtzeitig und lehnt höflich, aber "
            "bestimmt ab.",
        ),
        "crime-trend": (
            "Unsere Zahlen zeigen einen deutlichen Anstieg solcher Taten im Vergleich zum gleichen "
            "Zeitraum des Vorjahres.",
            "Der Anstieg betrifft mehrere Viertel in unserer Region ({place}), vor allem am frühen "
            "Abend.",
            "Dieser Trend zeigt sich auch in den Nachbarzonen, was auf mobile Täter hindeutet.",
            "Unsere Teams sind häufiger präsent, doch Ihre Wachsamkeit bleibt ein wichtiges Glied.",
            "Die meisten Taten hätten sich mit einfachen und günstigen Maßnahmen verhindern "
            "lassen.",
            "Wir informieren Sie in einer nächsten Nachricht über die weitere Entwicklung.",
        ),
        "police-feedback": (
            "Ihre Meldungen waren in den letzten Monaten sehr hilfreich, und dafür möchten wir "
            "Ihnen danken.",
            "Dank der Hinweise von Mitgliedern der PLP ({place}) konnte eine Streife schnell "
            "eingreifen.",
            "Jeder Anruf wird von unseren Diensten ausgewertet, auch wenn nicht sofort ein Einsatz "
            "folgt.",
            "Über laufende Ermittlungen können wir nichts mitteilen, aber Ihre Hinweise werden "
            "ernst genommen.",
            "Die Zusammenarbeit zwischen Einwohnern, Gemeinde und Polizei bleibt die Grundlage "
            "der PLP.",
            "Eine Partnerschaft funktioniert nur, wenn Informationen in beide Richtungen fließen, "
            "von Ihnen zu uns und von uns zu Ihnen.",
        ),
        "plp-life": (
            "Die PLP ist mehr als Nachrichten: Die Begegnungen zwischen den Mitgliedern machen "
            "ihre Stärke aus.",
            "Die PLP ({place}) bringt Einwohner zusammen, die zu einem sichereren Viertel "
            "beitragen möchten.",
            "Das Treffen steht allen Mitgliedern offen und auch Einwohnern, die mehr erfahren "
            "möchten.",
            "Wir stellen die Bilanz des Jahres, die Prioritäten der Zone und die kommenden "
            "Projekte vor.",
            "Ihre Meinung hilft uns, die Kommunikation zu verbessern und die Nachrichten an Ihre "
            "Bedürfnisse anzupassen.",
            "Die Koordination bleibt Ihre Ansprechperson für die Arbeit der PLP, aber niemals für "
            "Meldungen.",
        ),
    },
    generic=(
        "Eine PLP ist eine strukturierte Zusammenarbeit zwischen Bürgern, Polizei und lokalen "
        "Behörden.",
        "Die Mitglieder gehen nicht auf Streife und übernehmen keine Polizeiaufgaben: Sie "
        "beobachten und melden.",
        "Die Mitgliedschaft in einer PLP bringt keine Vorrechte, aber regelmäßig nützliche "
        "Ratschläge.",
        "Das Sicherheitsgefühl hängt auch vom Zusammenhalt unter Nachbarn ab: Kennen Sie die "
        "Menschen nebenan?",
        "Eine genaue Beschreibung verdächtiger Personen und Fahrzeuge hilft den Teams vor Ort "
        "sehr.",
        "Teilen Sie diese Tipps gern mit Ihren Angehörigen, besonders mit älteren oder "
        "alleinstehenden Menschen.",
        "Vorbeugung geht alle an, und jede kleine Geste zählt.",
        "Die Nachrichten der PLP sind nicht dringend: Sie ergänzen die offiziellen Warnkanäle, "
        "ersetzen sie aber nicht.",
        "In einer ernsten Lage können die Behörden Sie über BE-Alert, per SMS oder per "
        "Sprachnachricht warnen.",
        "Notieren Sie Uhrzeit, Ort und was Sie gesehen haben, und geben Sie es sofort weiter.",
        "Bringen Sie sich nie selbst in Gefahr und greifen Sie nicht selbst ein.",
        "Der Präventionsdienst der Zone steht Ihnen für allgemeine Fragen gern zur Verfügung.",
        "Ein aufmerksamer Nachbar bemerkt schnell ein fremdes Auto, das durch das Viertel fährt, "
        "oder eine offene Tür.",
        "Die Ratschläge dieser Nachricht gelten auch für Geschäfte, landwirtschaftliche Betriebe "
        "und Unternehmen.",
        "Ihre Koordination kann Ihnen weitere Präventionstipps geben, die zu Ihrem Viertel passen.",
        "Regelmäßiger Kontakt unter Nachbarn macht das Viertel angenehmer und sicherer für alle.",
    ),
    tips=(
        "Schließen Sie Türen und Fenster immer ab, auch bei kurzer Abwesenheit.",
        "Lassen Sie abends eine Lampe mit Zeitschaltuhr brennen, wenn Sie ausgehen.",
        "Installieren Sie eine Außenbeleuchtung mit Bewegungsmelder.",
        "Lassen Sie keine Leiter und kein Werkzeug im Garten liegen.",
        "Bewahren Sie Ihre Schlüssel außer Sichtweite auf, nicht direkt an der Haustür.",
        "Bitten Sie einen Nachbarn, während Ihrer Abwesenheit den Briefkasten zu leeren.",
        "Veröffentlichen Sie Ihre Urlaubsdaten nicht in sozialen Netzwerken.",
        "Gravieren oder registrieren Sie Wertgegenstände und bewahren Sie Fotos davon auf.",
        "Schließen Sie Ihr Fahrrad mit einem stabilen Schloss an einem festen Punkt an.",
        "Verlangen Sie immer einen Dienstausweis und prüfen Sie ihn bei der Organisation selbst.",
        "Lassen Sie niemals Unbekannte ohne bestätigten Termin herein.",
        "Lassen Sie nichts sichtbar im Auto liegen.",
        "Geben Sie niemals Codes oder Passwörter weiter, auch nicht an jemanden, der sich als "
        "Ihre Bank ausgibt.",
        "Beantragen Sie vor dem Urlaub eine Wohnungsüberwachung bei der Polizei.",
    ),
    advice_headings=("Unsere Tipps", "Was können Sie tun?", "Gute Gewohnheiten"),
    report_heading="Melden",
    rule="Melden Sie Tatsachen und verdächtiges Verhalten immer **direkt der Polizei, unter 101 "
    "(112 im Notfall), niemals über die Koordination** der PLP.",
    report_extra=(
        "Die Koordination verbreitet Präventionsnachrichten, ist aber keine Vermittlungsstelle "
        "für Meldungen.",
        "Je schneller Sie anrufen, desto nützlicher kann der Einsatz sein.",
        "Eine direkte Meldung vermeidet Zeitverlust und Übermittlungsfehler.",
    ),
    contact_phone="Für nicht dringende Fragen erreichen Sie die Polizeizone unter {phone}.",
    contact_email="Sie können auch dem Präventionsdienst schreiben: <{email}>.",
    contact_web="Weitere Informationen: <{website}>.",
    national_place="Belgien",
    national_author="FÖD Inneres — Direktion Lokale Integrale Sicherheit",
    zone_author="{zone} — Präventionsdienst",
    join="Sie wohnen oder arbeiten in {commune}? Die Mitgliedschaft ist **kostenlos**: schreiben "
    "Sie der Koordination, {email}.\n\nTatsachen melden Sie **direkt der Polizei unter 101** "
    "(112 im Notfall), niemals über die Koordination.",
    pages={
        "about": (
            "Was ist eine PLP?",
            "Eine lokale Präventionspartnerschaft verbindet Einwohner, Polizei und Gemeinde.",
            "Eine **lokale Präventionspartnerschaft** (PLP) ist eine strukturierte "
            "Zusammenarbeit zwischen Bürgern, Polizei und lokalen Behörden, die auf dem "
            "Austausch von Informationen und der Vorbeugung von Straftaten in einem begrenzten "
            "Gebiet beruht.\n\n"
            "## Was eine PLP nicht ist\n\n"
            "- Die Mitglieder übernehmen keine Polizeiaufgaben und gehen nicht auf Streife.\n"
            "- Die Mitgliedschaft bringt keine Vorrechte.\n"
            "- Eine PLP ist von jeder politischen Partei unabhängig.\n\n"
            "Tatsachen melden Sie **direkt der Polizei, unter 101 (112 im Notfall), niemals über "
            "die Koordination**.\n",
        ),
        "report": (
            "Wie melde ich etwas?",
            "Tatsachen und verdächtiges Verhalten: direkt der Polizei.",
            "Rufen Sie **101** an, um eine Tat oder verdächtiges Verhalten zu melden, und "
            "**112** im Notfall. Gehen Sie **niemals über die Koordination**: Sie verbreitet "
            "Präventionsnachrichten, leitet aber keine Meldungen weiter.\n\n"
            "## Gut beschreiben\n\n"
            "- Uhrzeit und Ort;\n"
            "- Personen: Größe, Kleidung, besondere Merkmale;\n"
            "- Fahrzeuge: Marke, Farbe, Fahrtrichtung.\n\n"
            "Bei einer Katastrophe warnen die Behörden die Bevölkerung über BE-Alert.\n",
        ),
        "privacy": (
            "Datenschutz",
            "Welche Daten wir speichern, warum, und wie Sie sie löschen lassen.",
            "Um Ihnen die Nachrichten Ihrer PLP zu senden, speichert die Koordination Ihre "
            "E-Mail-Adresse, Ihre Sprache und, wenn Sie möchten, Ihren Namen.\n\n"
            "- Diese Daten werden nie veröffentlicht oder an Dritte weitergegeben.\n"
            "- Jede Nachricht enthält einen Link, um sich mit einem Klick abzumelden.\n"
            "- Sie können die Koordination bitten, Ihre Daten zu löschen.\n",
        ),
    },
)

PHRASES: dict[str, Phrases] = {"fr": FR, "nl": NL, "de": DE}
