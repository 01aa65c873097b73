#!/usr/bin/env python3
"""Compare folio's Markdown HTML with markdown-to-jsx's, item by item, after normalising what
does not show: attributes other than href/src/alt, ids, the wrapper, <picture>, highlighting
spans inside <pre>, and whitespace."""
import json, sys, re, html
from urllib.parse import unquote
from html.parser import HTMLParser
VOID = {"img","br","hr","input","source","meta","link","col","area","wbr","embed","param","track"}
KEEP = {"href","src","alt","type","checked"}
class Canon(HTMLParser):
    def __init__(s):
        super().__init__(convert_charrefs=True); s.out=[]; s.pre=0
    def handle_starttag(s, tag, attrs):
        if tag in ("picture","source") : return
        if s.pre and tag=="span": return
        if tag=="pre": s.pre+=1
        a=" ".join(f'{k}="{unquote((v or "").strip())}"' for k,v in sorted(attrs) if k in KEEP and not (k=="alt" and not (v or "").strip()))
        s.out.append(f"<{tag}{' '+a if a else ''}>")
    def handle_startendtag(s, tag, attrs):
        s.handle_starttag(tag, attrs)
        if tag not in VOID: s.handle_endtag(tag)
    def handle_endtag(s, tag):
        if tag in VOID or tag=="picture" or (s.pre and tag=="span"): return
        if tag=="pre": s.pre-=1
        s.out.append(f"</{tag}>")
    def handle_data(s, d):
        d = d if s.pre else re.sub(r"\s+"," ",d)
        if d.strip() or s.pre: s.out.append(d.strip() if not s.pre else d)
def canon(h, wrapped=False):
    p=Canon(); p.feed(h); p.close(); t="".join(p.out)
    if wrapped: t=re.sub(r"^<div>(.*)</div>$", r"\1", t, flags=re.S)
    t=re.sub(r"<em><strong>(.*?)</strong></em>", r"<strong><em>\1</em></strong>", t)
    t=re.sub(r"<pre><code[^>]*>(.*?)</code></pre>", lambda m: "<pre><code>"+m.group(1).strip("\n")+"</code></pre>", t, flags=re.S)
    return t
items={i["id"]:i["source"] for i in json.load(open(sys.argv[1]))}
a={i["id"]:i["html"] for i in json.load(open(sys.argv[2]))}
b={i["id"]:i["html"] for i in json.load(open(sys.argv[3]))}
same=0; diffs=[]
for k in items:
    if ".metaTags[" in k: continue
    x,y=canon(a[k]),canon(b[k],True)
    if x==y: same+=1
    else:
        i=next((j for j in range(min(len(x),len(y))) if x[j]!=y[j]), min(len(x),len(y)))
        diffs.append((k, x[max(0,i-80):i+120], y[max(0,i-80):i+120]))
print(f"{same} of {same+len(diffs)} identical; {len(diffs)} differ")
for k,x,y in diffs[: int(sys.argv[4]) if len(sys.argv)>4 else 30]:
    print("==", k); print("  folio:", x); print("  jsx  :", y)
