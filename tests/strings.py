"""The pages' strings as a test reads them: static/js/strings.js and strings-lessons.js, each a
table per language of "key": "text" lines."""

import json
import re
from pathlib import Path

JS = Path(__file__).resolve().parents[1] / "static" / "js"
FILES = ("strings.js", "strings-lessons.js")


def page_string(key, lang="en"):
    """The text a page shows for ``key`` in ``lang``."""
    for name in FILES:
        text = (JS / name).read_text()
        table = re.search(rf"\nconst {lang} = \{{\n(.*?)\n\}};", text, re.S).group(1)
        literal = re.search(rf'^\s+"{re.escape(key)}": ("(?:[^"\\]|\\.)*"),$', table, re.M)
        if literal:
            return json.loads(literal.group(1))
    raise KeyError(f"no {lang} string {key}")
