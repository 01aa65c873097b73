/* folio editor (folio serve --edit), part 1 of 6: the API client and the state that survives
   the live reload after each save (sessionStorage). Plain JS, no build step. */
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="folio-edit-token"]');
  const token = meta ? meta.content : "";

  /** Call the editor API; throws an Error with `code` and `status` on a refusal. */
  async function call(method, path, body, raw) {
    const headers = { "x-folio-token": token };
    let payload;
    if (raw !== undefined) {
      payload = raw;
    } else if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const response = await fetch("/_folio/edit/api/" + path, { method, headers, body: payload });
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    if (!response.ok) {
      const error = new Error((data && data.message) || response.statusText);
      error.code = data && data.code;
      error.status = response.status;
      error.problems = data && data.problems;
      throw error;
    }
    return data;
  }

  const KEY = "folio-editor";
  function load() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY)) || {};
    } catch (_) {
      return {};
    }
  }
  function save(state) {
    try {
      sessionStorage.setItem(KEY, JSON.stringify(state));
    } catch (_) {
      /* private mode: undo lasts until the next reload */
    }
  }

  window.FolioEditor = { call, session: load(), saveSession: save };
})();
