"""Word lists and sentence templates for the benchmark corpus, written for this benchmark.

Every string here is invented for the generator; none is taken from the seed articles or any
published article. The topic (telecom networks, suppliers, security rules) matches the
dossier's so that the cleaner, date and country extraction see text of the same kind.

Template slots: {A}/{B} country as subject, {A_in} locative ("in den USA", "aux Pays-Bas"),
{A_adj} adjective (German: the stem, the template adds the ending; French: masculine,
{A_adjf} feminine, {A_adjmp}/{A_adjfp} plural), {A_cap} capital, {DATE} a dated phrase
with its preposition, {MONTH} a month phrase with preposition, {MONTHY} month and year bare,
{YEAR} a later year, {PAST} an earlier one, {NUM}, {PCT}, {ORG}, {CARRIER}, {AGENCY}, {PERSON}, {ROLE}.
"""

from __future__ import annotations

LANGUAGES = ("de", "fr", "nl", "en")
# Share of each language in the corpus: the real dossier is mostly German, French and Dutch.
LANGUAGE_WEIGHTS = (0.32, 0.26, 0.26, 0.16)

# ISO code, how often a country is drawn (relative), English name for the peers' taxonomy.
COUNTRY_WEIGHTS: dict[str, float] = {
    "CN": 30, "US": 22, "DE": 14, "GB": 12, "FR": 11, "NL": 11, "EU": 10, "BE": 6, "ES": 5,
    "IT": 5, "PL": 4, "SE": 5, "FI": 4, "AT": 3, "CH": 3, "DK": 3, "NO": 3, "PT": 2, "CZ": 2,
    "RU": 4, "JP": 4, "AU": 4, "NZ": 2, "CA": 3, "IN": 3, "KR": 3, "HU": 2, "IE": 2,
}  # fmt: skip

# One line per country: ISO; name; locative; adjective(s, "/"-separated); capital.
COUNTRY_TABLES = {
    "de": """
CN; China; in China; chinesisch; Peking
US; die USA; in den USA; amerikanisch; Washington
DE; Deutschland; in Deutschland; deutsch; Berlin
GB; Großbritannien; in Großbritannien; britisch; London
FR; Frankreich; in Frankreich; französisch; Paris
NL; die Niederlande; in den Niederlanden; niederländisch; Den Haag
EU; die EU; in der EU; europäisch; Brüssel
BE; Belgien; in Belgien; belgisch; Brüssel
ES; Spanien; in Spanien; spanisch; Madrid
IT; Italien; in Italien; italienisch; Rom
PL; Polen; in Polen; polnisch; Warschau
SE; Schweden; in Schweden; schwedisch; Stockholm
FI; Finnland; in Finnland; finnisch; Helsinki
AT; Österreich; in Österreich; österreichisch; Wien
CH; die Schweiz; in der Schweiz; schweizerisch; Bern
DK; Dänemark; in Dänemark; dänisch; Kopenhagen
NO; Norwegen; in Norwegen; norwegisch; Oslo
PT; Portugal; in Portugal; portugiesisch; Lissabon
CZ; Tschechien; in Tschechien; tschechisch; Prag
RU; Russland; in Russland; russisch; Moskau
JP; Japan; in Japan; japanisch; Tokio
AU; Australien; in Australien; australisch; Canberra
NZ; Neuseeland; in Neuseeland; neuseeländisch; Wellington
CA; Kanada; in Kanada; kanadisch; Ottawa
IN; Indien; in Indien; indisch; Neu-Delhi
KR; Südkorea; in Südkorea; südkoreanisch; Seoul
HU; Ungarn; in Ungarn; ungarisch; Budapest
IE; Irland; in Irland; irisch; Dublin
""",
    "fr": """
CN; la Chine; en Chine; chinois/chinoise; Pékin
US; les États-Unis; aux États-Unis; américain/américaine; Washington
DE; l'Allemagne; en Allemagne; allemand/allemande; Berlin
GB; le Royaume-Uni; au Royaume-Uni; britannique/britannique; Londres
FR; la France; en France; français/française; Paris
NL; les Pays-Bas; aux Pays-Bas; néerlandais/néerlandaise; La Haye
EU; l'Union européenne; dans l'Union européenne; européen/européenne; Bruxelles
BE; la Belgique; en Belgique; belge/belge; Bruxelles
ES; l'Espagne; en Espagne; espagnol/espagnole; Madrid
IT; l'Italie; en Italie; italien/italienne; Rome
PL; la Pologne; en Pologne; polonais/polonaise; Varsovie
SE; la Suède; en Suède; suédois/suédoise; Stockholm
FI; la Finlande; en Finlande; finlandais/finlandaise; Helsinki
AT; l'Autriche; en Autriche; autrichien/autrichienne; Vienne
CH; la Suisse; en Suisse; suisse/suisse; Berne
DK; le Danemark; au Danemark; danois/danoise; Copenhague
NO; la Norvège; en Norvège; norvégien/norvégienne; Oslo
PT; le Portugal; au Portugal; portugais/portugaise; Lisbonne
CZ; la République tchèque; en République tchèque; tchèque/tchèque; Prague
RU; la Russie; en Russie; russe/russe; Moscou
JP; le Japon; au Japon; japonais/japonaise; Tokyo
AU; l'Australie; en Australie; australien/australienne; Canberra
NZ; la Nouvelle-Zélande; en Nouvelle-Zélande; néo-zélandais/néo-zélandaise; Wellington
CA; le Canada; au Canada; canadien/canadienne; Ottawa
IN; l'Inde; en Inde; indien/indienne; New Delhi
KR; la Corée du Sud; en Corée du Sud; sud-coréen/sud-coréenne; Séoul
HU; la Hongrie; en Hongrie; hongrois/hongroise; Budapest
IE; l'Irlande; en Irlande; irlandais/irlandaise; Dublin
""",
    "nl": """
CN; China; in China; Chinese; Peking
US; de Verenigde Staten; in de Verenigde Staten; Amerikaanse; Washington
DE; Duitsland; in Duitsland; Duitse; Berlijn
GB; het Verenigd Koninkrijk; in het Verenigd Koninkrijk; Britse; Londen
FR; Frankrijk; in Frankrijk; Franse; Parijs
NL; Nederland; in Nederland; Nederlandse; Den Haag
EU; de Europese Unie; in de Europese Unie; Europese; Brussel
BE; België; in België; Belgische; Brussel
ES; Spanje; in Spanje; Spaanse; Madrid
IT; Italië; in Italië; Italiaanse; Rome
PL; Polen; in Polen; Poolse; Warschau
SE; Zweden; in Zweden; Zweedse; Stockholm
FI; Finland; in Finland; Finse; Helsinki
AT; Oostenrijk; in Oostenrijk; Oostenrijkse; Wenen
CH; Zwitserland; in Zwitserland; Zwitserse; Bern
DK; Denemarken; in Denemarken; Deense; Kopenhagen
NO; Noorwegen; in Noorwegen; Noorse; Oslo
PT; Portugal; in Portugal; Portugese; Lissabon
CZ; Tsjechië; in Tsjechië; Tsjechische; Praag
RU; Rusland; in Rusland; Russische; Moskou
JP; Japan; in Japan; Japanse; Tokio
AU; Australië; in Australië; Australische; Canberra
NZ; Nieuw-Zeeland; in Nieuw-Zeeland; Nieuw-Zeelandse; Wellington
CA; Canada; in Canada; Canadese; Ottawa
IN; India; in India; Indiase; New Delhi
KR; Zuid-Korea; in Zuid-Korea; Zuid-Koreaanse; Seoel
HU; Hongarije; in Hongarije; Hongaarse; Boedapest
IE; Ierland; in Ierland; Ierse; Dublin
""",
    "en": """
CN; China; in China; Chinese; Beijing
US; the United States; in the United States; American; Washington
DE; Germany; in Germany; German; Berlin
GB; the United Kingdom; in the United Kingdom; British; London
FR; France; in France; French; Paris
NL; the Netherlands; in the Netherlands; Dutch; The Hague
EU; the European Union; in the European Union; European; Brussels
BE; Belgium; in Belgium; Belgian; Brussels
ES; Spain; in Spain; Spanish; Madrid
IT; Italy; in Italy; Italian; Rome
PL; Poland; in Poland; Polish; Warsaw
SE; Sweden; in Sweden; Swedish; Stockholm
FI; Finland; in Finland; Finnish; Helsinki
AT; Austria; in Austria; Austrian; Vienna
CH; Switzerland; in Switzerland; Swiss; Bern
DK; Denmark; in Denmark; Danish; Copenhagen
NO; Norway; in Norway; Norwegian; Oslo
PT; Portugal; in Portugal; Portuguese; Lisbon
CZ; the Czech Republic; in the Czech Republic; Czech; Prague
RU; Russia; in Russia; Russian; Moscow
JP; Japan; in Japan; Japanese; Tokyo
AU; Australia; in Australia; Australian; Canberra
NZ; New Zealand; in New Zealand; New Zealand; Wellington
CA; Canada; in Canada; Canadian; Ottawa
IN; India; in India; Indian; New Delhi
KR; South Korea; in South Korea; South Korean; Seoul
HU; Hungary; in Hungary; Hungarian; Budapest
IE; Ireland; in Ireland; Irish; Dublin
""",
}

MONTHS = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}

# Date phrases: {d} day, {m} month name, {y} year.
DATE_FORMS = {
    "de": ("am {d}. {m} {y}",),
    "fr": ("le {d} {m} {y}",),
    "nl": ("op {d} {m} {y}",),
    "en": ("on {d} {m} {y}", "on {m} {d}, {y}"),
}
MONTH_FORMS = {"de": "im {m} {y}", "fr": "en {m} {y}", "nl": "in {m} {y}", "en": "in {m} {y}"}

ORGS = ("Huawei", "ZTE", "Ericsson", "Nokia", "Samsung")
CARRIERS = ("Netzwerk Nord", "TeleVista", "Orbion", "KanaalNet", "Celltra", "Vivonet", "Luxwave")
AGENCIES = ("dpa", "AFP", "Reuters", "ANP", "Belga", "AP", "APA")
PERSONS = (
    "Mira Kolbe", "Tobias Renner", "Élodie Garnier", "Thomas Lefort", "Annelies Brouwer",
    "Joris van Damme", "Helen Marsh", "David Okafor", "Li Wenjun", "Zhou Ming", "Greta Lindqvist",
    "Marco Bellandi", "Sofie Claes", "Pavel Horák",
)  # fmt: skip
ROLES = {
    "de": ("Sprecherin", "Vorstandschef", "Sicherheitschef", "Europachef"),
    "fr": ("porte-parole", "directeur général", "responsable de la sécurité", "patron pour l'Europe"),
    "nl": ("woordvoerder", "topman", "veiligheidschef", "Europa-directeur"),
    "en": ("spokesperson", "chief executive", "head of security", "Europe chief"),
}

SENTENCES = {
    "de": (
        "{A} will den Ausbau der 5G-Netze bis {YEAR} deutlich beschleunigen, kündigte {PERSON} an.",
        "Die {A_adj}e Regierung prüft derzeit, ob Bauteile von {ORG} in kritischen Netzen erlaubt bleiben.",
        "{DATE} legte das Wirtschaftsministerium {A_in} einen Entwurf für strengere Sicherheitsregeln vor.",
        "Nach Angaben aus {A_cap} sollen die Netzbetreiber ihre Lieferanten künftig offenlegen.",
        "Auch {B_in} wird inzwischen über ein Verbot von Technik aus dem Hause {ORG} gestritten.",
        "Der {A_adj}e Anbieter {CARRIER} setzt seit Jahren auf Antennen von {ORG}.",
        "Kritiker in {A_cap} warnen vor einer wachsenden Abhängigkeit von {B_adj}en Herstellern.",
        "{A} und {B} haben {MONTH} eine gemeinsame Erklärung zur Netzsicherheit unterzeichnet.",
        "Wie die Agentur {AGENCY} meldet, rechnet {ORG} {A_in} mit einem Umsatzplus von {PCT} Prozent.",
        "Bis {YEAR} sollen {NUM} Millionen Haushalte {A_in} an das neue Netz angeschlossen sein.",
        "{PERSON}, {ROLE} bei {ORG}, wies die Vorwürfe aus {A_cap} entschieden zurück.",
        "Die Behörden {A_in} haben bislang keine Belege für versteckte Hintertüren gefunden.",
        "Ein Sprecher des {A_adj}en Innenministeriums wollte sich dazu nicht äußern.",
        "Seit {MONTHY} gelten {A_in} neue Auflagen für Zulieferer von Netztechnik.",
        "Die Entscheidung aus {A_cap} sorgt auch {B_in} für reichlich Gesprächsstoff.",
        "Branchenverbände {A_in} fordern klare Regeln statt pauschaler Verbote.",
        "{ORG} hat {DATE} ein weiteres Forschungszentrum {A_in} eröffnet.",
        "Laut einer Marktstudie liegt der Anteil von {ORG} {A_in} bei rund {PCT} Prozent.",
        "Das Parlament {A_in} will das Gesetz noch vor der Sommerpause verabschieden.",
        "Die {A_adj}en Nachrichtendienste sehen in der Technik ein erhebliches Risiko.",
        "Ob {A} sich den Forderungen aus {B_cap} anschließt, ist noch offen.",
        "Bereits {PAST} hatte {A} ähnliche Pläne vorgestellt, sie dann aber wieder verworfen.",
        "Der Austausch bereits verbauter Komponenten würde die Betreiber {A_in} Milliarden kosten.",
    ),
    "fr": (
        "{A} veut accélérer nettement le déploiement de la 5G d'ici {YEAR}, a annoncé {PERSON}.",
        "Le gouvernement {A_adj} examine s'il faut écarter {ORG} des réseaux jugés critiques.",
        "{DATE}, le ministère de l'Économie a présenté {A_in} un projet de règles plus strictes.",
        "Selon des sources à {A_cap}, les opérateurs devront bientôt dévoiler leurs fournisseurs.",
        "{B_in}, le débat sur une interdiction des équipements {ORG} bat aussi son plein.",
        "L'opérateur {A_adj} {CARRIER} utilise depuis des années des antennes {ORG}.",
        "À {A_cap}, des voix critiques dénoncent une dépendance croissante aux fabricants {B_adjmp}.",
        "{A} et {B} ont signé {MONTH} une déclaration commune sur la sécurité des réseaux.",
        "D'après l'agence {AGENCY}, {ORG} table sur une hausse de {PCT} % de ses ventes {A_in}.",
        "D'ici {YEAR}, {NUM} millions de foyers devraient être raccordés au nouveau réseau {A_in}.",
        "{PERSON}, {ROLE} chez {ORG}, a fermement rejeté les accusations venues de {A_cap}.",
        "Les autorités {A_adjfp} n'ont pour l'instant trouvé aucune trace de porte dérobée.",
        "Un porte-parole du ministère {A_adj} de l'Intérieur n'a pas souhaité s'exprimer.",
        "Depuis {MONTHY}, de nouvelles obligations s'imposent aux équipementiers {A_in}.",
        "La décision prise à {A_cap} suscite aussi des discussions {B_in}.",
        "Les fédérations professionnelles {A_in} réclament des règles claires plutôt que des interdictions.",
        "{ORG} a inauguré {DATE} un nouveau centre de recherche {A_in}.",
        "Selon une étude de marché, la part de {ORG} {A_in} avoisine les {PCT} %.",
        "Le Parlement {A_adj} souhaite adopter le texte avant la pause estivale.",
        "Les services de renseignement {A_adjmp} y voient un risque considérable.",
        "Reste à savoir si {A} se pliera aux exigences de {B_cap}.",
        "Dès {PAST}, {A} avait présenté des projets similaires avant de les abandonner.",
        "Remplacer les composants déjà installés coûterait des milliards aux opérateurs {A_in}.",
    ),
    "nl": (
        "{A} wil de uitrol van 5G vóór {YEAR} flink versnellen, maakte {PERSON} bekend.",
        "De {A_adj} regering onderzoekt of onderdelen van {ORG} in vitale netwerken mogen blijven.",
        "{DATE} presenteerde het ministerie van Economische Zaken {A_in} een voorstel voor strengere regels.",
        "Volgens bronnen in {A_cap} moeten de providers hun leveranciers binnenkort openbaar maken.",
        "Ook {B_in} wordt inmiddels gediscussieerd over een verbod op apparatuur van {ORG}.",
        "De {A_adj} provider {CARRIER} gebruikt al jaren antennes van {ORG}.",
        "Critici in {A_cap} waarschuwen voor een groeiende afhankelijkheid van {B_adj} fabrikanten.",
        "{A} en {B} ondertekenden {MONTH} een gezamenlijke verklaring over netwerkbeveiliging.",
        "Volgens persbureau {AGENCY} rekent {ORG} {A_in} op een omzetgroei van {PCT} procent.",
        "Tegen {YEAR} moeten {NUM} miljoen huishoudens {A_in} op het nieuwe netwerk zijn aangesloten.",
        "{PERSON}, {ROLE} bij {ORG}, wees de beschuldigingen uit {A_cap} resoluut van de hand.",
        "De {A_adj} autoriteiten hebben tot nu toe geen bewijs voor verborgen achterdeurtjes gevonden.",
        "Een woordvoerder van het {A_adj} ministerie van Binnenlandse Zaken wilde niet reageren.",
        "Sinds {MONTHY} gelden {A_in} nieuwe eisen voor leveranciers van netwerktechniek.",
        "Het besluit uit {A_cap} zorgt ook {B_in} voor de nodige discussie.",
        "Brancheorganisaties {A_in} pleiten voor duidelijke regels in plaats van een algemeen verbod.",
        "{ORG} opende {DATE} een nieuw onderzoekscentrum {A_in}.",
        "Volgens een marktonderzoek ligt het aandeel van {ORG} {A_in} rond de {PCT} procent.",
        "Het parlement {A_in} wil de wet nog voor het zomerreces aannemen.",
        "De {A_adj} inlichtingendiensten zien er een aanzienlijk risico in.",
        "Of {A} ingaat op de eisen uit {B_cap}, is nog onduidelijk.",
        "Al in {PAST} had {A} vergelijkbare plannen gepresenteerd, die later in de la verdwenen.",
        "Het vervangen van al geplaatste onderdelen zou de providers {A_in} miljarden kosten.",
    ),
    "en": (
        "{A} wants to speed up its 5G rollout considerably by {YEAR}, {PERSON} announced.",
        "The {A_adj} government is reviewing whether parts made by {ORG} may stay in critical networks.",
        "{DATE}, the economy ministry {A_in} published a draft of stricter security rules.",
        "According to sources in {A_cap}, operators will soon have to disclose their suppliers.",
        "{B_in}, too, lawmakers are now arguing over a ban on equipment from {ORG}.",
        "The {A_adj} carrier {CARRIER} has relied on {ORG} antennas for years.",
        "Critics in {A_cap} warn of a growing dependence on {B_adj} manufacturers.",
        "{A} and {B} signed a joint statement on network security {MONTH}.",
        "{ORG} expects its sales {A_in} to grow by {PCT} percent, the agency {AGENCY} reported.",
        "By {YEAR}, {NUM} million households {A_in} are due to be connected to the new network.",
        "{PERSON}, {ROLE} at {ORG}, firmly rejected the accusations from {A_cap}.",
        "Authorities {A_in} have so far found no evidence of hidden backdoors.",
        "A spokesperson for the {A_adj} interior ministry declined to comment.",
        "Since {MONTHY}, new requirements have applied to network suppliers {A_in}.",
        "The decision taken in {A_cap} has also sparked debate {B_in}.",
        "Industry groups {A_in} are calling for clear rules instead of blanket bans.",
        "{ORG} opened another research centre {A_in} {DATE}.",
        "According to a market study, the share held by {ORG} {A_in} is around {PCT} percent.",
        "Parliament {A_in} wants to pass the law before the summer recess.",
        "{A_adj} intelligence agencies regard the technology as a considerable risk.",
        "Whether {A} will give in to the demands from {B_cap} remains unclear.",
        "As early as {PAST}, {A} had presented similar plans before shelving them.",
        "Replacing components already installed would cost operators {A_in} billions.",
    ),
}

# Sentences without a country, so that not every sentence is evidence for one.
FILLERS = {
    "de": (
        "Konkrete Zahlen nannte das Unternehmen nicht.",
        "Die Gespräche sollen in den kommenden Wochen weitergehen.",
        "Beobachter rechnen mit einem langen Rechtsstreit.",
        "Der Hersteller bestreitet jede Verbindung zu staatlichen Stellen.",
        "Eine endgültige Entscheidung steht noch aus.",
    ),
    "fr": (
        "L'entreprise n'a pas donné de chiffres précis.",
        "Les discussions doivent se poursuivre dans les prochaines semaines.",
        "Les observateurs s'attendent à une longue bataille judiciaire.",
        "Le fabricant dément tout lien avec des organismes d'État.",
        "Aucune décision définitive n'a encore été prise.",
    ),
    "nl": (
        "Concrete cijfers gaf het bedrijf niet.",
        "De gesprekken gaan de komende weken verder.",
        "Waarnemers verwachten een langdurige juridische strijd.",
        "De fabrikant ontkent elke band met overheidsinstanties.",
        "Een definitief besluit is er nog niet.",
    ),
    "en": (
        "The company did not give any specific figures.",
        "Talks are set to continue over the coming weeks.",
        "Observers expect a lengthy legal battle.",
        "The manufacturer denies any link to state bodies.",
        "A final decision has yet to be made.",
    ),
}

QUOTES = {
    "de": (
        "„Bei der Sicherheit machen wir keine Kompromisse“, sagte {PERSON}.",
        "„Wir brauchen verlässliche Regeln für alle Anbieter“, betonte {PERSON}.",
    ),
    "fr": (
        "« Nous ne transigerons pas sur la sécurité », a affirmé {PERSON}.",
        "« Il faut des règles fiables pour tous les fournisseurs », a insisté {PERSON}.",
    ),
    "nl": (
        "'Over veiligheid sluiten we geen compromissen', zei {PERSON}.",
        "'We hebben betrouwbare regels nodig voor alle leveranciers', benadrukte {PERSON}.",
    ),
    "en": (
        '"We will make no compromises on security," {PERSON} said.',
        '"Every supplier needs rules it can rely on," {PERSON} stressed.',
    ),
}

# Every headline names two countries, a company and a number: with fewer slots a corpus of
# 30,000 articles repeats titles by the hundred, which real coverage does not.
HEADLINES = {
    "de": (
        "{A} prüft Ausschluss von {ORG} – {NUM} Netze betroffen, {B} wartet ab",
        "{ORG} eröffnet {A_in} Zentrum mit {NUM}0 Stellen, Kritik aus {B_cap}",
        "Streit um {ORG}: {A} verschärft Regeln für {NUM} Betreiber, {B} zögert",
        "{PCT} Prozent Marktanteil: {ORG} wächst {A_in} trotz Kritik aus {B_cap}",
        "Nach Warnung aus {B_cap}: {A} überprüft {NUM} Verträge mit {ORG}",
        "{A} und {B} wollen {NUM} Standorte von {ORG} gemeinsam prüfen",
        "{A_adj}e Behörden finden {NUM} Schwachstellen bei {ORG}, {B} reagiert",
        "{NUM} Millionen Euro: {A} und {B} fördern Alternativen zu {ORG}",
    ),
    "fr": (
        "{A} envisage d'écarter {ORG} : {NUM} réseaux concernés, {B} attend",
        "{ORG} ouvre un centre de {NUM}0 emplois {A_in}, critiques à {B_cap}",
        "Bras de fer avec {ORG} : {A} durcit les règles pour {NUM} opérateurs, {B} hésite",
        "{ORG} atteint {PCT} % de parts de marché {A_in} malgré les critiques de {B_cap}",
        "Après l'alerte de {B_cap}, {A} réexamine {NUM} contrats avec {ORG}",
        "{A} et {B} veulent examiner ensemble {NUM} sites de {ORG}",
        "Les autorités {A_adjfp} relèvent {NUM} failles chez {ORG}, {B} réagit",
        "{NUM} millions d'euros : {A} et {B} financent des alternatives à {ORG}",
    ),
    "nl": (
        "{A} overweegt {ORG} te weren: {NUM} netwerken geraakt, {B} wacht af",
        "{ORG} opent centrum met {NUM}0 banen {A_in}, kritiek uit {B_cap}",
        "Ophef over {ORG}: {A} scherpt regels aan voor {NUM} providers, {B} twijfelt",
        "{ORG} groeit {A_in} naar {PCT} procent marktaandeel ondanks kritiek uit {B_cap}",
        "Na waarschuwing uit {B_cap} herziet {A} {NUM} contracten met {ORG}",
        "{A} en {B} willen samen {NUM} locaties van {ORG} doorlichten",
        "{A_adj} toezichthouders vinden {NUM} zwakke plekken bij {ORG}, {B} reageert",
        "{NUM} miljoen euro: {A} en {B} steunen alternatieven voor {ORG}",
    ),
    "en": (
        "{A} weighs excluding {ORG}: {NUM} networks affected as {B} waits",
        "{ORG} opens centre with {NUM}0 jobs {A_in} despite criticism from {B_cap}",
        "{ORG} row: {A} tightens rules for {NUM} operators, {B} hesitates",
        "{ORG} reaches {PCT} percent market share {A_in} despite warnings from {B_cap}",
        "After warning from {B_cap}, {A} reviews {NUM} contracts with {ORG}",
        "{A} and {B} to vet {NUM} {ORG} sites together",
        "{A_adj} regulators find {NUM} weaknesses at {ORG}, {B} responds",
        "{NUM} million euros: {A} and {B} back alternatives to {ORG}",
    ),
}

SUBHEADINGS = {
    "de": ("Kritik aus der Opposition", "Wie geht es weiter?", "Hohe Kosten", "Zweifel bleiben"),
    "fr": ("Des critiques", "Et maintenant ?", "Une facture salée", "Des doutes persistent"),
    "nl": ("Kritiek", "Hoe nu verder?", "Hoge kosten", "Twijfels blijven"),
    "en": ("Criticism mounts", "What happens next", "A costly switch", "Doubts remain"),
}

# Boilerplate, by kind; the cleaner is expected to drop all of these lines.
NAV = {
    "de": ("Zum Inhalt springen", "Nachrichten", "Startseite › Netzpolitik"),
    "fr": ("Aller au contenu principal", "Actualités", "Accueil › Télécoms"),
    "nl": ("Direct naar de inhoud", "Nieuws", "Home › Tech"),
    "en": ("Skip to main content", "News", "Home › Technology"),
}
CAPTIONS = {
    "de": ("Foto: {AGENCY}", "Bild: {ORG}", "{ORG}-Zentrale in {A_cap} (Archivbild)", "© {AGENCY}"),
    "fr": ("Photo : {AGENCY}", "Crédit : {ORG}", "Le siège de {ORG} à {A_cap} (archives)", "© {AGENCY}"),
    "nl": ("Foto: {AGENCY}", "Beeld: {ORG}", "Het hoofdkantoor van {ORG} in {A_cap}", "© {AGENCY}"),
    "en": ("Photo: {AGENCY}", "Image: {ORG}", "{ORG} headquarters in {A_cap} (file photo)", "© {AGENCY}"),
}
SOURCE_LABELS = {"de": "Quelle(n):", "fr": "Source :", "nl": "Bron:", "en": "Source:"}
OUTLETS = {
    "de": ("netzbote", "funkturm-aktuell", "digitalblatt"),
    "fr": ("reseaux-hebdo", "la-lettre-telecom", "antenne-info"),
    "nl": ("netwerkkrant", "techpost", "de-zendmast"),
    "en": ("wireline-weekly", "spectrum-desk", "tower-report"),
}
TAILS = {
    "de": {
        "affiliate": (
            "Mit * markierte Links sind Werbelinks. Kaufst du darüber ein, erhalten wir eine kleine "
            "Provision – am Preis ändert sich für dich nichts.",
        ),
        "follow": ("Folgt uns auf Mastodon, Bluesky und Instagram, damit ihr keine Meldung verpasst!",),
        "comment": ("Kommentar verfassen", "Deine Mailadresse bleibt privat. Pflichtfelder tragen ein *"),
        "login": ("Melde dich an, um mitzudiskutieren.", "Noch kein Konto? Jetzt kostenlos registrieren"),
        "related": ("Das könnte dich auch interessieren:",),
        "share": ("Artikel teilen", "Per E-Mail senden"),
        "newsletter": ("Jeden Morgen die wichtigsten Meldungen: Jetzt Newsletter abonnieren!",),
    },
    "fr": {
        "affiliate": (
            "Cet article contient des liens affiliés : si vous achetez par leur biais, nous touchons "
            "une petite commission, sans surcoût pour vous.",
        ),
        "follow": ("Suivez-nous sur Facebook, X et LinkedIn pour ne rien rater de l'actualité.",),
        "comment": (
            "Laisser un commentaire",
            "Votre e-mail reste confidentiel. Les champs requis portent un *",
        ),
        "login": ("Connectez-vous pour réagir.", "Pas encore de compte ? Inscrivez-vous gratuitement"),
        "related": ("À lire aussi :",),
        "share": ("Partager l'article", "Envoyer par e-mail"),
        "newsletter": ("Recevez l'essentiel chaque matin : abonnez-vous à notre lettre d'information !",),
    },
    "nl": {
        "affiliate": (
            "Dit artikel bevat affiliatelinks. Koop je via zo'n link, dan krijgen wij een kleine "
            "vergoeding; voor jou verandert de prijs niet.",
        ),
        "follow": ("Volg ons op Instagram, Threads en LinkedIn en mis geen enkel bericht.",),
        "comment": ("Plaats een reactie", "Je e-mailadres blijft privé. Verplichte velden hebben een *"),
        "login": ("Log in om mee te praten.", "Nog geen account? Registreer je gratis"),
        "related": ("Lees ook:",),
        "share": ("Deel dit artikel", "Verstuur per e-mail"),
        "newsletter": ("Elke ochtend het belangrijkste nieuws: schrijf je in voor de nieuwsbrief!",),
    },
    "en": {
        "affiliate": (
            "This story contains affiliate links. If you buy through them we may earn a small "
            "commission at no extra cost to you.",
        ),
        "follow": ("Follow us on Bluesky, Threads and LinkedIn for more stories like this.",),
        "comment": ("Leave a comment", "Your email stays private. Required fields carry a *"),
        "login": ("Sign in to join the conversation.", "No account yet? Register for free"),
        "related": ("Related stories:",),
        "share": ("Share this story", "Send by email"),
        "newsletter": ("Get the top stories every morning: sign up for our newsletter!",),
    },
}
