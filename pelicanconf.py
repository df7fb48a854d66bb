"""Site settings for plp (read by Pelican and by plp's typed Config).

Secrets never go here: PLP_SECRET, PLP_SMTP_URL and PLP_SMTP_PASSWORD come from the environment.
"""

SITENAME = "PLP — BIN"
# Absolute URL the site is served from: feeds and e-mails need absolute links.
# Override with PLP_SITE_URL when publishing.
SITEURL = "http://localhost:8000"
TIMEZONE = "Europe/Brussels"
DEFAULT_LANG = "fr"

# From addresses are on this domain (SPF/DKIM/DMARC align); replies go to the coordinator.
PLP_SENDING_DOMAIN = "bulletins.plp.example.org"
# SMTP delivery: a few concurrent connections, optional rate limit (messages/s, 0 = none).
PLP_SMTP_CONCURRENCY = 4
PLP_SMTP_RATE = 0
# Temporary failures (4xx) are retried this many times; hard bounces before a member is "bounced".
PLP_MAX_ATTEMPTS = 3
PLP_HARD_BOUNCE_LIMIT = 3

# Pelican: our theme and plugin; Pelican's own feeds are off (plp writes them with feedgen).
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
