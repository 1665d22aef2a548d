"""Deterministic benchmark corpus: N raw multilingual articles, written three ways.

    python bench/corpus.py --articles 1000 --seed 7 --out bench/work/corpus-1000-s7

writes the same articles as
  DIR/dossier/content/  raw .txt with web boilerplate (what Dossier really gets) + site.yaml
  DIR/hugo/             Markdown posts with front matter, hugo.toml and minimal layouts
  DIR/pelican/          Markdown articles, pelicanconf.py and one template override

The peers get the already-clean text (headline as title, paragraphs, sub-headings, quotes),
the article's date and the countries it mentions, because they have no cleaning or
extraction stage; Dossier gets the raw file and has to find all of that itself.

Article i depends only on (seed, i), so a smaller corpus is a prefix of a larger one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import vocab

FIRST_DAY = dt.date(2018, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)
SITE_TITLE = "Networks and security: a benchmark dossier"
SITE_DESCRIPTION = "Generated news about telecom networks, suppliers and security rules in many countries."
BASE_URL = "https://bench.example.org/"


@dataclass(frozen=True)
class Country:
    iso: str
    name: str
    locative: str
    adjectives: tuple[str, ...]
    capital: str


def _parse_table(table: str) -> dict[str, Country]:
    countries = {}
    for line in table.strip().splitlines():
        iso, name, locative, adjectives, capital = (part.strip() for part in line.split(";"))
        countries[iso] = Country(iso, name, locative, tuple(adjectives.split("/")), capital)
    return countries


COUNTRIES = {lang: _parse_table(table) for lang, table in vocab.COUNTRY_TABLES.items()}
ISO_CODES = tuple(vocab.COUNTRY_WEIGHTS)
ISO_WEIGHTS = tuple(vocab.COUNTRY_WEIGHTS.values())


def english_name(iso: str) -> str:
    """Taxonomy term for the peers: 'United States', not 'the United States'."""
    return COUNTRIES["en"][iso].name.removeprefix("the ")


@dataclass(frozen=True)
class Block:
    kind: str  # "p" paragraph, "h" sub-heading, "q" quote
    text: str


@dataclass
class Article:
    stem: str
    lang: str
    date: dt.date
    title: str
    blocks: list[Block]
    countries: list[str]  # ISO codes in order of first mention
    raw: str = ""


@dataclass
class Writer:
    """Fills templates for one article, remembering which countries it mentioned."""

    rng: random.Random
    lang: str
    date: dt.date
    main: str
    others: list[str]
    org: str
    mentioned: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # templates already used: real text rarely repeats

    def country(self, avoid: str = "") -> str:
        roll = self.rng.random()
        if roll < 0.5:
            iso = self.main
        elif roll < 0.9 and self.others:
            iso = self.rng.choice(self.others)
        else:  # a passing mention of a country outside the article's usual cast
            iso = self.rng.choices(ISO_CODES, ISO_WEIGHTS)[0]
        if iso == avoid:
            return self.country(avoid)
        return iso

    def slots(self, template: str, date: dt.date | None = None) -> dict[str, str]:
        values: dict[str, str] = {}
        a = ""
        if "{A" in template:
            a = self.country()
            values |= self._country_slots("A", a)
        if "{B" in template:
            values |= self._country_slots("B", self.country(avoid=a))
        rng = self.rng
        values |= {
            "DATE": self.date_phrase(date or self.date - dt.timedelta(days=rng.randint(1, 400))),
            "MONTH": self.month_phrase(vocab.MONTH_FORMS[self.lang]),
            "MONTHY": self.month_phrase("{m} {y}"),
            "YEAR": str(self.date.year + rng.randint(1, 5)),
            "PAST": str(self.date.year - rng.randint(1, 4)),
            "NUM": str(rng.randint(2, 40)),
            "PCT": str(rng.randint(3, 45)),
            "ORG": self.org if rng.random() < 0.6 else rng.choice(vocab.ORGS),
            "CARRIER": rng.choice(vocab.CARRIERS),
            "AGENCY": rng.choice(vocab.AGENCIES),
            "PERSON": rng.choice(vocab.PERSONS),
            "ROLE": rng.choice(vocab.ROLES[self.lang]),
        }
        return values

    def _country_slots(self, prefix: str, iso: str) -> dict[str, str]:
        if iso not in self.mentioned:
            self.mentioned.append(iso)
        c = COUNTRIES[self.lang][iso]
        masculine, feminine = c.adjectives[0], c.adjectives[-1]
        return {
            prefix: c.name,
            f"{prefix}_in": c.locative,
            f"{prefix}_adj": masculine,
            f"{prefix}_adjf": feminine,
            f"{prefix}_adjmp": _plural(masculine),
            f"{prefix}_adjfp": _plural(feminine),
            f"{prefix}_cap": c.capital,
        }

    def date_phrase(self, day: dt.date) -> str:
        month = vocab.MONTHS[self.lang].split()[day.month - 1]
        number = "1er" if self.lang == "fr" and day.day == 1 else str(day.day)
        form = self.rng.choice(vocab.DATE_FORMS[self.lang])
        return form.format(d=number, m=month, y=day.year)

    def month_phrase(self, form: str) -> str:
        day = self.date - dt.timedelta(days=self.rng.randint(30, 700))
        return form.format(m=vocab.MONTHS[self.lang].split()[day.month - 1], y=day.year)

    def fill(self, template: str, date: dt.date | None = None) -> str:
        text = template.format(**self.slots(template, date))
        if self.lang == "fr":  # "de Ottawa" -> "d'Ottawa"
            text = re.sub(r"\bde ([AEIOUÉ])", r"d'\1", text)
        return text[0].upper() + text[1:]

    def sentence(self, dated: bool = False) -> str:
        templates = vocab.SENTENCES[self.lang]
        if dated:  # the article's own date, early in the text where a reader expects it
            return self.fill(self.rng.choice([t for t in templates if "{DATE}" in t]), self.date)
        if self.rng.random() < 0.15:
            templates = vocab.FILLERS[self.lang]
        return self.fill(self.fresh(templates))

    def fresh(self, templates: tuple[str, ...]) -> str:
        """A template this article has not used yet, if a few draws find one."""
        for _ in range(4):
            template = self.rng.choice(templates)
            if template not in self.used:
                break
        self.used.add(template)
        return template


def _plural(adjective: str) -> str:
    return adjective if adjective.endswith(("s", "x")) else adjective + "s"


def article_stem(seed: int, index: int) -> str:
    digest = hashlib.sha256(f"dossier-bench:{seed}:{index}".encode()).hexdigest()[:16]
    return f"{index:06d}_{digest}"


def make_article(seed: int, index: int) -> Article:
    # A string seed is hashed with SHA-512 by `random`, so this is stable across runs and hosts.
    rng = random.Random(f"dossier-bench:{seed}:{index}")
    lang = rng.choices(vocab.LANGUAGES, vocab.LANGUAGE_WEIGHTS)[0]
    date = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
    main = rng.choices(ISO_CODES, ISO_WEIGHTS)[0]
    drawn = rng.choices(ISO_CODES, ISO_WEIGHTS, k=rng.randint(1, 4))
    others = [iso for iso in dict.fromkeys(drawn) if iso != main]
    writer = Writer(rng, lang, date, main, others, org=rng.choice(vocab.ORGS))
    title = writer.fill(rng.choice(vocab.HEADLINES[lang]))
    blocks = _body(writer)
    article = Article(article_stem(seed, index), lang, date, title, blocks, writer.mentioned)
    article.raw = _raw_text(article, writer)
    return article


def _body(writer: Writer) -> list[Block]:
    rng = writer.rng
    blocks = []
    dated_start = rng.random() < 0.8
    for number in range(rng.randint(3, 8)):
        if number >= 2 and rng.random() < 0.25:
            blocks.append(Block("h", writer.fresh(vocab.SUBHEADINGS[writer.lang])))
        sentences = [writer.sentence(dated=dated_start and number == 0)]
        sentences += [writer.sentence() for _ in range(rng.randint(1, 4))]
        blocks.append(Block("p", " ".join(sentences)))
        if rng.random() < 0.12:
            blocks.append(Block("q", writer.fill(rng.choice(vocab.QUOTES[writer.lang]))))
    return blocks


def _raw_text(article: Article, writer: Writer) -> str:
    """The article as a scraper would have saved it: boilerplate around the text."""
    rng, lang = writer.rng, article.lang
    head: list[str] = []
    if rng.random() < 0.05:
        head.append(f"---\ntitle: {json.dumps(article.title, ensure_ascii=False)}\ndate: {article.date}\n---")
    if rng.random() < 0.25:
        head += rng.sample(vocab.NAV[lang], rng.randint(1, 2))
    body = [_raw_block(block, article, writer) for block in article.blocks]
    if rng.random() < 0.12:  # dated prefix, no headline line: the title must come from the text
        body[0] = f" date {article.date:%Y-%m} {body[0]}"
    else:
        head.append(article.title)
        if rng.random() < 0.15:
            head += [writer.fill(rng.choice(vocab.CAPTIONS[lang]))] * 2
        elif rng.random() < 0.1:
            head.append(article.title)
    if len(body) > 3 and rng.random() < 0.1:
        body.insert(rng.randint(2, len(body) - 1), article.title)
    return "\n\n".join([*head, *body, *_tail(article, writer)]) + "\n"


def _raw_block(block: Block, article: Article, writer: Writer) -> str:
    rng = writer.rng
    if rng.random() < 0.1:  # image credit glued to the paragraph with a single newline
        return block.text + "\n" + writer.fill(rng.choice(vocab.CAPTIONS[article.lang]))
    return block.text


def _tail(article: Article, writer: Writer) -> list[str]:
    rng, lang = writer.rng, article.lang
    lines = []
    if rng.random() < 0.4:
        outlet = rng.choice(vocab.OUTLETS[lang])
        url = f"https://www.{outlet}.example/{article.date:%Y/%m}/{article.stem[7:]}"
        glue = " " if rng.random() < 0.3 else "\n"
        lines.append(f"{vocab.SOURCE_LABELS[lang]}{glue}{url}")
    tails = vocab.TAILS[lang]
    for kind in rng.sample(sorted(tails), rng.randint(0, 5)):
        lines += tails[kind]
        if kind == "related":
            lines += [writer.fill(rng.choice(vocab.HEADLINES[lang])) for _ in range(rng.randint(2, 3))]
    return lines


def edit_sentence(seed: int, index: int, salt: int) -> str:
    """A new sentence in article `index`'s language about its countries: the benchmark's edit."""
    article = make_article(seed, index)
    rng = random.Random(f"dossier-bench-edit:{seed}:{index}:{salt}")
    main, *others = article.countries or ["EU"]
    writer = Writer(rng, article.lang, article.date, main, others, org=rng.choice(vocab.ORGS))
    return writer.fill(rng.choice(vocab.SENTENCES[article.lang]))


def articles(count: int, seed: int) -> Iterator[Article]:
    for index in range(count):
        yield make_article(seed, index)


# --- writing the three sites -------------------------------------------------------------


def markdown_body(article: Article) -> str:
    parts = []
    for block in article.blocks:
        if block.kind == "h":
            parts.append(f"## {block.text}")
        elif block.kind == "q":
            parts.append(f"> {block.text}")
        else:
            parts.append(block.text)
    return "\n\n".join(parts) + "\n"


def hugo_post(article: Article) -> str:
    names = [english_name(iso) for iso in article.countries]
    front = [
        "---",
        f"title: {json.dumps(article.title, ensure_ascii=False)}",
        f"date: {article.date}",
        f"countries: {json.dumps(names, ensure_ascii=False)}",
        "params:",
        f"  lang: {article.lang}",
        "---",
    ]
    return "\n".join(front) + "\n\n" + markdown_body(article)


def pelican_article(article: Article) -> str:
    names = ", ".join(english_name(iso) for iso in article.countries)
    meta = [
        f"Title: {article.title}",
        f"Date: {article.date}",
        f"Lang: {article.lang}",
        f"Tags: {names}",
        f"Slug: {article.stem}",  # titles repeat; the file stem keeps pages apart
    ]
    return "\n".join(meta) + "\n\n" + markdown_body(article)


def write_corpus(count: int, seed: int, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    dossier_dir = out / "dossier" / "content" / "articles"
    hugo_dir = out / "hugo" / "content" / "posts"
    pelican_dir = out / "pelican" / "content"
    for folder in (dossier_dir, hugo_dir, pelican_dir):
        folder.mkdir(parents=True)
    for article in articles(count, seed):
        (dossier_dir / f"{article.stem}.txt").write_text(article.raw, encoding="utf-8")
        (hugo_dir / f"{article.stem}.md").write_text(hugo_post(article), encoding="utf-8")
        (pelican_dir / f"{article.stem}.md").write_text(pelican_article(article), encoding="utf-8")
    write_site_files(out)


def write_site_files(out: Path) -> None:
    """Configuration and layouts; copied from bench/sites/ so they stay readable as files."""
    templates = Path(__file__).parent / "sites"
    for peer in ("hugo", "pelican"):
        shutil.copytree(templates / peer, out / peer, dirs_exist_ok=True)
    site_yaml = {
        "title": SITE_TITLE,
        "description": SITE_DESCRIPTION,
        "base_url": BASE_URL,
        "language": "en",
        "languages": list(vocab.LANGUAGES),
    }
    # JSON is valid YAML; pyyaml is not needed to write it.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in site_yaml.items()]
    (out / "dossier" / "content" / "site.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, required=True, help="how many articles")
    parser.add_argument("--seed", type=int, default=7, help="seed; same seed, same corpus")
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)create")
    args = parser.parse_args(argv)
    write_corpus(args.articles, args.seed, args.out)
    print(f"wrote {args.articles} articles (seed {args.seed}) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
