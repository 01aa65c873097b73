// Site search in the header (Header.html's `data-folio-search` boxes: the bar's and the phone
// menu's): folio's search client (`/folio-search/search.js`, written into the site with its
// index by `folio build`), loaded on first use, so pages that nobody searches from download
// nothing more. Everything comes from the site's own files: it works offline and behind any static
// file server.
let loading = null;
const engine = () => {
  loading ??= import('/folio-search/search.js').then(async (client) => {
    await client.init();
    return client;
  });
  loading.catch(() => { loading = null; });
  return loading;
};
// Typing fast asks once, when the typing pauses.
const DEBOUNCE_MS = 120;
for (const box of document.querySelectorAll('[data-folio-search]')) {
  const input = box.querySelector('input');
  const list = box.querySelector('[data-folio-search-results]');
  const show = (items) => {
    list.replaceChildren(...items);
    list.hidden = items.length === 0;
  };
  const note = (text) => {
    const li = document.createElement('li');
    li.className = 'sb-search-note';
    li.textContent = text;
    return li;
  };
  let latest = 0;
  const search = async () => {
    const term = input.value.trim();
    const mine = ++latest;
    if (!term) {
      show([]);
      return;
    }
    let found;
    try {
      const client = await engine();
      const result = await client.search(term);
      if (mine !== latest) return;
      found = await Promise.all(result.results.slice(0, 8).map((r) => r.data()));
    } catch (e) {
      if (mine === latest) show([note('Search is not available here.')]);
      return;
    }
    if (mine !== latest) return;
    if (found.length === 0) {
      show([note(`Nothing found for “${term}”.`)]);
      return;
    }
    show(found.map((page) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = page.url;
      a.className = 'sb-search-title';
      a.textContent = page.meta?.title || page.url;
      const excerpt = document.createElement('p');
      excerpt.className = 'sb-search-excerpt';
      excerpt.innerHTML = page.excerpt; // the client's excerpt: escaped text with <mark>s
      li.append(a, excerpt);
      return li;
    }));
  };
  input.addEventListener('focus', () => { engine().catch(() => {}); }, { once: true });
  let pause = 0;
  input.addEventListener('input', () => {
    clearTimeout(pause);
    pause = setTimeout(search, DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      input.value = '';
      show([]);
    }
  });
  document.addEventListener('click', (e) => {
    if (!box.contains(e.target)) list.hidden = true;
  });
  input.addEventListener('focus', () => { if (list.children.length) list.hidden = false; });
}
