# Pelican side of the benchmark: default theme, trimmed to the page set Dossier builds.
SITENAME = "Networks and security: a benchmark dossier"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

# Articles at articles/<slug>/, countries (tags) at countries/<slug>/ like Dossier's pages.
# Articles in other languages than DEFAULT_LANG use the *_LANG_* settings, so set both.
ARTICLE_URL = ARTICLE_LANG_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = "articles/{slug}/index.html"
TAG_URL = "countries/{slug}/"
TAG_SAVE_AS = "countries/{slug}/index.html"
TAGS_SAVE_AS = "countries/index.html"

# Dossier has no category, author or archive pages: Pelican should not build them either.
DIRECT_TEMPLATES = ["index", "tags"]
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DISPLAY_CATEGORIES_ON_MENU = False

# Country pages list every article (with its summary) on one page, as Dossier's do; the
# home page shows the 20 newest (templates/index.html overrides the theme's full list).
DEFAULT_PAGINATION = False
THEME_TEMPLATES_OVERRIDES = ["templates"]

# Feeds like Dossier's: site and per country, 50 newest entries, Atom only.
FEED_ALL_ATOM = "feed.xml"
TAG_FEED_ATOM = "countries/{slug}/feed.xml"
FEED_MAX_ITEMS = 50
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Every run is a full build from scratch.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
