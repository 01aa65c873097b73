#!/usr/bin/env python3
"""Markdown of real sites: every page body, and every `text` / `content` string of front matter
and data files that holds Markdown (a newline or Markdown punctuation)."""
import json, pathlib, re, sys, yaml
items = []
def walk(v, at, out):
    if isinstance(v, dict):
        for k, x in v.items():
            if k in ("text", "content", "quote", "markdown_content") and isinstance(x, str) and x.strip():
                out.append((f"{at}.{k}", x))
            else:
                walk(x, f"{at}.{k}", out)
    elif isinstance(v, list):
        for i, x in enumerate(v): walk(x, f"{at}[{i}]", out)
for root in sys.argv[1:]:
    for p in sorted(pathlib.Path(root).rglob("content/**/*")):
        if p.suffix not in (".md", ".json") or not p.is_file(): continue
        t = p.read_text(errors="replace").replace("\r\n", "\n")
        rel = str(p)
        try:
            if p.suffix == ".json":
                data, body = json.loads(t), ""
            else:
                m = re.match(r"---\n(.*?)\n---\n?(.*)", t, re.S)
                data, body = (yaml.safe_load(m.group(1)), m.group(2)) if m else ({}, t)
        except Exception:
            continue
        if body.strip(): items.append({"id": f"{rel}#body", "source": body})
        out = []; walk(data, "", out)
        items += [{"id": f"{rel}#{k}", "source": s} for k, s in out]
json.dump(items, sys.stdout)
