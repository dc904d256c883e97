"""Given a page's metadata, return the reporting body its site names — the last fallback.

Issue 10 item 5: after the report's title, its own statements and a crawl manifest, the site.
Chinese government CMSes print the article and the site in `<meta>` tags the HTML adapter keeps
(adapters/html.py): `ArticleTitle` (the report's title, read like a title), `ContentSource`
(the body the CMS files the article under, as a 来源 line would) and `SiteName`
(`临沭县人民政府门户网站`). A URL's host alone is not evidence: no data maps gov.cn hosts to bodies.

A site hosts its departments' reports too, so a government site's name is not taken for a report
that speaks as a department (本局, 本委 …); and never a fragment: each name must pass
`agency.is_name`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from xxgk.readers.agency import is_name, read_agency

# what a site's name adds to its owner's: 临沭县人民政府门户网站 → 临沭县人民政府
_SITE_WORDS = re.compile(
    r"(?:门户网站|门户网|网站|官网|官方网站|政务服务网|信息公开网|政府信息公开平台|政务公开平台)$"
)
# the report speaking as a department, not as the government whose site hosts it
_DEPARTMENT_VOICE = re.compile(r"本(?:局|委|厅|办|中心|院|部门|站|所)")
_GOVERNMENT = re.compile(r"(?:人民政府|政府)$")


def agency_from_site(meta: Mapping[str, str], text: str) -> str | None:
    """The body named by the page's `<meta>` tags, when confident (module docstring), else None."""
    title = (meta.get("article_title") or "").strip()
    if title and (name := read_agency(title)) is not None:
        return name
    source = re.sub(r"\s+", "", meta.get("content_source") or "")
    if is_name(source):
        return source
    site = _SITE_WORDS.sub("", re.sub(r"\s+", "", meta.get("site_name") or ""))
    if not is_name(site):
        return None
    if _GOVERNMENT.search(site) and _DEPARTMENT_VOICE.search(text):
        return None  # a department's report on its government's portal
    return site
