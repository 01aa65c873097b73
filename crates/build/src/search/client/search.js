// folio's search client: reads the index `folio build` writes in the folder above this file's
// (`folio-search/`; see the build crate's search/index.rs for the format, search/client.rs for
// the names). It fetches `index.json` once, then only the
// dictionary chunks holding the words of a query and the texts of the results asked for.
//
//   const { search } = await import('/folio-search/client-<hash>/search.js');
//   const { results } = await search('speaking balance');
//   const page = await results[0].data(); // { url, title, excerpt } (excerpt: HTML with <mark>s)
//
// Words are cut and stemmed exactly as the index was (words.rs): a run of letters and digits,
// inner apostrophes dropped, lowercased, Snowball's English stemmer for English sites. Every
// word must match (the last one also as the start of a longer word, as it is being typed);
// pages are ranked by BM25 (the index carries each page's term weight, page length included).

const here = new URL('..', import.meta.url);
const MAX_WORD_CHARS = 48;
const EXCERPT_WORDS = 30;
const PREFIX_TERMS = 64; // the most completions of a last word that are scored
const PREFIX_FACTOR = 0.6; // how much a completion counts next to the word itself
const PLACE_BONUS = [0, 0.4, 1.2, 1.2]; // a word in the text, a heading, the title

let index = null;
const chunks = new Map();
const fragments = new Map();

const WORD = /[\p{Alphabetic}\p{N}]+(?:['’][\p{Alphabetic}\p{N}]+)*/gu;

/** The words of `text`, as the index cut them. */
export function words(text) {
  const out = [];
  for (const [match] of text.matchAll(WORD)) {
    const word = match.replace(/['’]/g, '').toLowerCase();
    if ([...word].length <= MAX_WORD_CHARS) out.push(word);
  }
  return out;
}

async function fetchBytes(path) {
  const response = await fetch(new URL(path, here));
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // gzip as written; a server that sent it with `Content-Encoding: gzip` has unpacked it already.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Load the index (once); call it early to have the first query answered sooner. */
export function init() {
  index ??= (async () => {
    const response = await fetch(new URL('index.json', here));
    if (!response.ok) throw new Error(`index.json: ${response.status}`);
    const meta = await response.json();
    let stem = (word) => word;
    if (meta.stem) {
      const { default: English } = await import('./stemmer-en.js');
      const stemmer = new English();
      const known = new Map();
      stem = (word) => {
        let s = known.get(word);
        if (s === undefined) {
          s = stemmer.stemWord(word);
          known.set(word, s);
        }
        return s;
      };
    }
    return { ...meta, stem };
  })();
  index.catch(() => { index = null; });
  return index;
}

/** The terms and postings of chunk `n`, decoded: term → [pages, weights]. */
function chunk(meta, n) {
  let loading = chunks.get(n);
  if (!loading) {
    loading = fetchBytes(`${meta.folder}/t/${n}.bin`).then(decodeChunk);
    loading.catch(() => chunks.delete(n));
    chunks.set(n, loading);
  }
  return loading;
}

function decodeChunk(bytes) {
  let at = 0;
  const varint = () => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[at++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
  };
  const decoder = new TextDecoder();
  const terms = new Map();
  const sorted = [];
  let previous = new Uint8Array(0);
  const count = varint();
  for (let t = 0; t < count; t++) {
    const shared = varint();
    const length = varint();
    const term = new Uint8Array(shared + length);
    term.set(previous.subarray(0, shared));
    term.set(bytes.subarray(at, at + length), shared);
    at += length;
    previous = term;
    const df = varint();
    const pages = new Uint32Array(df);
    const weights = new Uint8Array(df);
    let page = 0;
    for (let i = 0; i < df; i++) {
      page += varint();
      pages[i] = page;
      weights[i] = bytes[at++];
    }
    const text = decoder.decode(term);
    terms.set(text, { pages, weights });
    sorted.push(text);
  }
  return { terms, sorted };
}

/** The chunk numbers that may hold terms from `from` up to those starting with `prefix`. */
function chunksFor(meta, from, prefix) {
  const firsts = meta.chunks;
  let lo = 0;
  let hi = firsts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (firsts[mid] <= from) lo = mid;
    else hi = mid - 1;
  }
  const out = [lo];
  for (let n = lo + 1; prefix && n < firsts.length && firsts[n].startsWith(prefix) && out.length < 3; n++) {
    out.push(n);
  }
  return out;
}

/** Page → score for one query word: its term, and for the last word its completions too. */
async function scoresOf(meta, word, completes) {
  const term = meta.stem(word);
  const wanted = [...new Set([
    ...chunksFor(meta, term, ''),
    ...(completes ? chunksFor(meta, word, word) : []),
  ])];
  const loaded = await Promise.all(wanted.map((n) => chunk(meta, n)));
  const scores = new Map();
  const idf = (df) => Math.log(1 + (meta.pages - df + 0.5) / (df + 0.5));
  // A completion never counts more than the word as typed would (`13` typed: `1351`, rarer,
  // must not outrank the pages that have `13` itself).
  let cap = Infinity;
  const titled = new Set();
  const add = (postings, factor) => {
    const weight = Math.min(idf(postings.pages.length), cap) * factor;
    for (let i = 0; i < postings.pages.length; i++) {
      const page = postings.pages[i];
      // index.rs's weight byte: the place (2 title, 1 heading, 0 text) above 63 levels of BM25.
      const byte = postings.weights[i];
      const place = byte >> 6;
      const score = weight * ((byte & 63) / 63 + PLACE_BONUS[place]);
      if (place === 2) titled.add(page);
      if (score > (scores.get(page) ?? 0)) scores.set(page, score);
    }
  };
  const matches = new Set();
  for (const { terms, sorted } of loaded) {
    const exact = terms.get(term);
    if (exact) {
      add(exact, 1);
      matches.add(term);
      cap = idf(exact.pages.length);
    }
    if (!completes) continue;
    let taken = 0;
    for (const candidate of sorted) {
      if (taken >= PREFIX_TERMS) break;
      if (candidate !== term && candidate.startsWith(word)) {
        add(terms.get(candidate), PREFIX_FACTOR);
        matches.add(candidate);
        taken++;
      }
    }
  }
  return { scores, matches, titled };
}

/**
 * The pages matching every word of `query`, best first, each with `data()` for its URL, title
 * and excerpt. Pagefind's result shape, so callers of either read the same.
 */
export async function search(query) {
  const meta = await init();
  const typed = words(query);
  if (typed.length === 0) return { results: [] };
  const unique = [...new Set(typed)];
  const last = typed[typed.length - 1];
  const perWord = await Promise.all(unique.map((w) => scoresOf(meta, w, w === last)));
  const [first, ...rest] = [...perWord].sort((a, b) => a.scores.size - b.scores.size);
  const total = new Map();
  for (const [page, score] of first.scores) {
    let sum = score;
    let inTitle = first.titled.has(page) ? 1 : 0;
    let everywhere = true;
    for (const other of rest) {
      const s = other.scores.get(page);
      if (s === undefined) {
        everywhere = false;
        break;
      }
      sum += s;
      if (other.titled.has(page)) inTitle++;
    }
    // A title with every word of the query is what the reader is after.
    if (everywhere) total.set(page, sum * (1 + inTitle / perWord.length));
  }
  const terms = new Set(perWord.flatMap((p) => [...p.matches]));
  const ranked = [...total].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return {
    results: ranked.map(([page, score]) => ({
      id: page,
      score,
      data: () => pageData(meta, page, terms),
    })),
  };
}

async function pageData(meta, page, terms) {
  // Pages n·k … n·k + k - 1 share `p/<n>.bin` (k: `fragments_per_file`).
  const per = meta.fragments_per_file ?? 1;
  const file = Math.floor(page / per);
  let loading = fragments.get(file);
  if (!loading) {
    loading = fetchBytes(`${meta.folder}/p/${file}.bin`).then((b) => JSON.parse(new TextDecoder().decode(b)));
    loading.catch(() => fragments.delete(file));
    fragments.set(file, loading);
  }
  const fragment = (await loading)[page % per];
  return {
    url: fragment.url,
    meta: { title: fragment.title },
    title: fragment.title,
    excerpt: excerpt(meta, fragment.content, terms),
  };
}

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The window of the text with the most matched words, matches in `<mark>`, as HTML. */
export function excerpt(meta, content, terms) {
  const tokens = content.split(' ');
  const hit = tokens.map((token) => words(token).some((w) => terms.has(meta.stem(w))));
  const size = Math.min(EXCERPT_WORDS, tokens.length);
  let count = 0;
  for (let i = 0; i < size; i++) count += hit[i];
  let best = 0;
  let bestCount = count;
  for (let start = 1; start + size <= tokens.length; start++) {
    count += hit[start + size - 1] - hit[start - 1];
    // A window starting at a match reads better than one ending at it.
    if (count > bestCount || (count === bestCount && hit[start] && !hit[best])) {
      best = start;
      bestCount = count;
    }
  }
  const shown = tokens.slice(best, best + size).map((token, i) => (
    hit[best + i] ? `<mark>${escapeHtml(token)}</mark>` : escapeHtml(token)
  ));
  return `${best > 0 ? '… ' : ''}${shown.join(' ')}${best + size < tokens.length ? ' …' : ''}`;
}
