/* folio editor, part 6 of 6: the toolbar (pages, new, delete, trash, undo, publish), hover outlines,
   selection by click (the innermost annotated element), inline editing of short text, and
   saving: each edit is sent with the file's hash; a 409 writes nothing and offers a review of
   what was typed. Undo is an edit like any other, sent with the hash the file had after the
   edit it undoes, so it never overwrites a later change; a deleted page goes to the trash and
   undo restores it. The server's watcher rebuilds and live reload refreshes the page; the
   selection, the undo stack and the drafts live in sessionStorage across that reload. */
(function () {
  "use strict";
  const E = window.FolioEditor;
  const el = E.el;
  const ANNOTATED = "[data-sb-field-path],[data-sb-object-id]";
  const session = E.session;
  session.undo = session.undo || [];

  const bar = el("div", { id: "folio-editor-bar" });
  const panel = el("aside", { id: "folio-editor-panel", hidden: "" });
  const hover = el("div", { id: "folio-editor-hover" });
  const chosen = el("div", { id: "folio-editor-selected" });
  const message = el("span", { class: "folio-status", role: "status" });
  const notice = el("span", { class: "folio-notice", role: "alert" });

  E.status = function (text, error) {
    message.textContent = text;
    message.classList.toggle("folio-error", !!error);
  };

  /** A message that stays in the toolbar until it is dismissed or acted on. */
  E.notice = function (text, buttons) {
    const close = el("button", { type: "button", title: "Dismiss", text: "✕", onclick: () => notice.replaceChildren() });
    notice.replaceChildren(el("span", { text }), ...(buttons || []), close);
  };

  /** Show `node` in the side panel instead of a form; `onClose` runs when it is closed. */
  E.showInPanel = function (node, onClose) {
    const shut = () => {
      panel.hidden = true;
      if (onClose) onClose();
    };
    const close = el("button", { type: "button", text: "✕", title: "Close", onclick: shut });
    panel.replaceChildren(el("div", { class: "folio-row" }, [el("strong", { text: "folio" }), close]), node);
    panel.hidden = false;
  };

  function pushUndo(entry) {
    session.undo.push(entry);
    session.undo = session.undo.slice(-50);
    E.saveSession(session);
  }

  function fileOf(node) {
    const owner = node.closest("[data-sb-object-id]");
    return owner && owner.getAttribute("data-sb-object-id");
  }

  function outline(box, node) {
    if (!node) {
      box.style.display = "none";
      return;
    }
    const r = node.getBoundingClientRect();
    Object.assign(box.style, { display: "block", top: r.top + "px", left: r.left + "px", width: r.width + "px", height: r.height + "px" });
  }

  function inEditor(node) {
    return node.closest && node.closest("#folio-editor-bar,#folio-editor-panel");
  }

  /** Save one edit of the current file. */
  E.apply = async function (edit, options) {
    const current = E.current;
    if (!current) return false;
    try {
      E.status("Saving…");
      const before = current.hash;
      const answer = await E.call("POST", "edit", { file: current.file, hash: current.hash, edit });
      current.hash = answer.hash;
      E.savedOwn();
      if (answer.inverse && !(options && options.undoing)) {
        // Undone only while the file still has the hash this edit left it with.
        pushUndo({ file: current.file, edit: answer.inverse, hash: answer.hash, before });
      }
      E.saveSession(session);
      E.status("Saved");
      return true;
    } catch (error) {
      if (error.code === "edit/conflict") {
        E.status("Conflict: the file changed elsewhere; nothing was overwritten.", true);
        const review = el("button", { type: "button", class: "folio-review", text: "Review", onclick: () => E.review(current.file) });
        const reload = el("button", { type: "button", text: "Reload", onclick: () => E.select(current.file, current.path) });
        E.notice("Your text is kept: review it against the file, or reload the form.", E.holdsReload() ? [review] : [reload]);
      } else if (error.code === "edit/invalid" && error.problems && error.problems.length) {
        // What `folio check` would say of the value; the typed text stays, as a draft.
        const first = error.problems[0];
        E.fieldError(edit.path, first.message + (first.help ? " (" + first.help + ")" : ""));
        E.status("Not saved: " + first.message, true);
      } else {
        E.status(error.message, true);
      }
      return false;
    }
  };

  /** Select the object at `path` of `file` (or the file) and show its form. */
  E.select = async function (file, path) {
    try {
      const object = await E.call("GET", "object?file=" + encodeURIComponent(file));
      E.current = { file, hash: object.hash, values: object.values, types: object.types || {}, path: path || "" };
    } catch (error) {
      E.status(error.message, true);
      return;
    }
    session.selected = { file, path: path || "" };
    session.source = null;
    E.saveSession(session);
    renderPanel();
  };

  /** The path of the object that holds the field `path` (the file: ""). */
  function objectPath(values, path) {
    const parts = path.split(".");
    for (let n = parts.length; n > 0; n--) {
      const prefix = parts.slice(0, n).join(".");
      const v = E.at(values, prefix);
      if (v && typeof v === "object" && !Array.isArray(v) && E.typeOf(v, prefix)) return prefix;
    }
    return "";
  }

  function renderPanel() {
    const c = E.current;
    panel.replaceChildren(
      el("div", { class: "folio-row" }, [
        el("strong", { text: c.file }),
        el("button", { type: "button", text: "✕", title: "Close", onclick: () => { panel.hidden = true; session.selected = null; E.saveSession(session); } }),
      ]),
      c.path ? el("button", { type: "button", class: "folio-link", text: "↑ whole page", onclick: () => E.select(c.file, "") }) : "",
      E.form(c.values, objectPath(c.values, c.path))
    );
    panel.hidden = false;
    const field = panel.querySelector('[data-folio-field="' + c.path + '"]');
    if (field) field.scrollIntoView({ block: "nearest" });
  }

  /** Edit a short text field in place: Enter or leaving it saves, Escape cancels. */
  function editInline(node, file, path) {
    const before = node.textContent;
    node.contentEditable = "true";
    node.classList.add("folio-editing");
    node.focus();
    const typed = () => E.draft(file, path, node.textContent.trim(), before.trim());
    node.addEventListener("input", typed);
    let done = false;
    const finish = async (keep) => {
      if (done) return;
      done = true;
      node.contentEditable = "false";
      node.classList.remove("folio-editing");
      node.removeEventListener("input", typed);
      const text = node.textContent.trim();
      if (!keep || text === before.trim()) {
        node.textContent = before;
        E.dropDraft(file, path);
        return;
      }
      if (text === "") {
        // Emptied in place: refused rather than written as an empty value (the form removes a
        // field that may be absent).
        node.textContent = before;
        E.dropDraft(file, path);
        E.status("Not saved: the text cannot be emptied in place; use the form to remove it.", true);
        return;
      }
      if (!E.current || E.current.file !== file) await E.select(file, path);
      // Refused (a conflict, an invalid value): the text stays a draft, in the form's field.
      if (await E.apply({ op: "set", path, value: text })) E.dropDraft(file, path);
      else node.textContent = before;
    };
    node.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        finish(true);
      } else if (event.key === "Escape") {
        finish(false);
      }
    });
    node.addEventListener("blur", () => finish(true), { once: true });
  }

  document.addEventListener("mouseover", (event) => {
    const node = !inEditor(event.target) && event.target.closest(ANNOTATED);
    outline(hover, node || null);
  });

  /** Browse mode (the toolbar's toggle, or Alt held down): clicks follow links as on the site. */
  const browsing = () => session.browse === true;

  document.addEventListener(
    "click",
    async (event) => {
      if (inEditor(event.target) || event.target.isContentEditable) return;
      if (browsing() || event.altKey) return;
      const node = event.target.closest(ANNOTATED);
      if (!node) return;
      event.preventDefault();
      event.stopPropagation();
      const file = fileOf(node);
      if (!file) return;
      const path = node.getAttribute("data-sb-field-path") || "";
      outline(chosen, node);
      const inline = path && node.tagName === "SPAN" && node.children.length === 0;
      if (inline) editInline(node, file, path);
      await E.select(file, path);
    },
    true
  );

  async function undo() {
    const last = session.undo.pop();
    E.saveSession(session);
    if (!last) {
      E.status("Nothing to undo");
      return;
    }
    try {
      if (last.restore) {
        const answer = await E.call("POST", "restore", { id: last.restore });
        E.status("Restored " + answer.file);
        if (answer.url) setTimeout(() => (location.href = answer.url), 300);
        return;
      }
      if (!last.hash) throw Object.assign(new Error("this undo step predates the check"), { code: "edit/conflict" });
      const answer = await E.call("POST", "edit", { file: last.file, hash: last.hash, edit: last.edit, undo: true });
      E.savedOwn();
      // The bytes are back as they were: the step below, made on them, can be undone next.
      for (const step of session.undo) {
        if (step.file === last.file && step.hash === last.before) step.hash = answer.hash;
      }
      E.saveSession(session);
      if (E.current && E.current.file === last.file) await E.select(last.file, E.current.path);
      E.status("Undone");
    } catch (error) {
      // Kept on the stack: undoing it later (after a reload) may still be right.
      pushUndo(last);
      if (error.code === "edit/conflict") {
        E.status("Not undone: " + last.file + " changed since that edit (in another tab or on disk); nothing was overwritten.", true);
      } else {
        E.status(error.message, true);
      }
    }
  }

  async function createPage() {
    const type = bar.querySelector(".folio-new-type").value;
    const title = prompt("Title of the new " + type.replace("Layout", "").toLowerCase() + ":");
    if (!title) return;
    const date = new Date().toISOString().slice(0, 10);
    try {
      const answer = await E.call("POST", "create", { type, title, date });
      E.status("Created " + answer.file);
      session.selected = { file: answer.file, path: "" };
      E.saveSession(session);
      setTimeout(() => (location.href = answer.url), 400);
    } catch (error) {
      E.status(error.message, true);
    }
  }

  async function deletePage() {
    const page = (E.pages || []).find((p) => p.url === location.pathname);
    if (!page) return E.status("This page has no content file", true);
    if (!confirm("Move " + page.file + " to the trash? Undo or the trash list restores it.")) return;
    try {
      const object = await E.call("GET", "object?file=" + encodeURIComponent(page.file));
      const answer = await E.call("POST", "delete", { file: page.file, hash: object.hash });
      pushUndo({ file: page.file, restore: answer.trashed.id });
      session.selected = null;
      E.saveSession(session);
      location.href = "/";
    } catch (error) {
      E.status(error.message, true);
    }
  }

  /** The trash: each deleted page with a button that restores it. */
  async function showTrash() {
    try {
      const answer = await E.call("GET", "trash");
      const when = (ms) => new Date(ms).toLocaleString();
      const rows = answer.trash.map((entry) =>
        el("li", {}, [
          el("span", { text: entry.file + " — " + when(entry.deleted) }),
          el("button", {
            type: "button",
            class: "folio-restore",
            text: "Restore",
            onclick: async () => {
              try {
                const restored = await E.call("POST", "restore", { id: entry.id });
                E.status("Restored " + restored.file);
                if (restored.url) setTimeout(() => (location.href = restored.url), 300);
                else showTrash();
              } catch (error) {
                E.status(error.message, true);
              }
            },
          }),
        ])
      );
      E.showInPanel(
        el("div", { class: "folio-trash" }, [
          el("h3", { text: "Trash" }),
          rows.length ? el("ul", {}, rows) : el("p", { class: "folio-help", text: "Nothing deleted." }),
        ])
      );
    } catch (error) {
      E.status(error.message, true);
    }
  }

  const browse = el("button", {
    type: "button",
    class: "folio-browse",
    title: "Browse: clicks follow links (Alt-click does it once)",
    onclick: () => {
      session.browse = !browsing();
      E.saveSession(session);
      browse.setAttribute("aria-pressed", String(browsing()));
    },
    text: "Browse",
  });
  browse.setAttribute("aria-pressed", String(browsing()));

  /** Every page and data file, as a list to search and filter by model; one opens its form
      (a page: its page). */
  function showContent() {
    const search = el("input", { type: "search", placeholder: "Search titles and files", "aria-label": "Search content" });
    const models = [...new Set((E.objects || []).map((o) => o.type || "(no type)"))].sort();
    const filter = el("select", { "aria-label": "Model" }, [el("option", { value: "", text: "All models" }), ...models.map((m) => el("option", { value: m, text: E.labelOf(E.models[m], m) }))]);
    const list = el("ul", { class: "folio-list folio-content-list" });
    const pageOf = (file) => (E.pages || []).find((p) => p.file === file);
    const fill = () => {
      const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      const rows = (E.objects || []).filter((o) => {
        const text = (o.label + " " + o.file).toLowerCase();
        return (!filter.value || (o.type || "(no type)") === filter.value) && words.every((w) => text.includes(w));
      });
      list.replaceChildren(
        ...rows.map((o) => {
          const page = pageOf(o.file);
          return el("li", {}, [
            el("button", {
              type: "button",
              class: "folio-link",
              text: (page ? page.url + " — " : "") + o.label,
              title: o.file,
              onclick: () => {
                if (page && page.url !== location.pathname) {
                  session.selected = { file: o.file, path: "" };
                  E.saveSession(session);
                  location.href = page.url;
                } else {
                  E.select(o.file, "");
                }
              },
            }),
            el("small", { text: o.type || "" }),
          ]);
        })
      );
    };
    search.addEventListener("input", fill);
    filter.addEventListener("change", fill);
    fill();
    E.showInPanel(el("div", { class: "folio-content" }, [el("h3", { text: "Content" }), search, filter, list]));
    search.focus();
  }

  async function start() {
    const [models, pages, objects, images, presets] = await Promise.all([
      E.call("GET", "models"),
      E.call("GET", "pages"),
      E.call("GET", "objects"),
      E.call("GET", "images"),
      E.call("GET", "presets"),
    ]);
    E.models = Object.fromEntries(models.models.map((m) => [m.name, m]));
    E.pages = pages.pages;
    E.objects = objects.objects;
    E.images = images.images;
    E.presets = presets.presets;
    const list = el(
      "select",
      { class: "folio-pages", title: "Pages", onchange: () => (location.href = list.value) },
      E.pages.map((p) => el("option", { value: p.url, text: p.url + " — " + p.title }))
    );
    list.value = location.pathname;
    bar.append(
      el("strong", { text: "folio editor" }),
      list,
      el("select", { class: "folio-new-type" }, ["PostLayout", "PageLayout", "ProjectLayout"].map((t) => el("option", { value: t, text: t.replace("Layout", "") }))),
      el("button", { type: "button", text: "New", onclick: createPage }),
      el("button", { type: "button", text: "Delete page", onclick: deletePage }),
      el("button", { type: "button", text: "Trash", class: "folio-trash-button", onclick: showTrash }),
      el("button", { type: "button", text: "Undo", class: "folio-undo", onclick: undo }),
      el("button", { type: "button", text: "Content", class: "folio-content-button", onclick: showContent }),
      browse,
      E.publishButton,
      E.problemsButton,
      message,
      notice
    );
    document.body.append(bar, panel, hover, chosen);
    // The panel and the page start below the toolbar, however many rows its buttons take.
    const below = () => document.documentElement.style.setProperty("--folio-bar", bar.offsetHeight + "px");
    new ResizeObserver(below).observe(bar);
    below();
    // The page makes room for the panel while it is open.
    const room = () => document.documentElement.classList.toggle("folio-panel-open", !panel.hidden);
    new MutationObserver(room).observe(panel, { attributes: true, attributeFilter: ["hidden"] });
    room();
    document.body.classList.add("folio-editing-page");
    if (session.selected) {
      await E.select(session.selected.file, session.selected.path);
      const node = document.querySelector('[data-sb-field-path="' + session.selected.path + '"]');
      if (node) outline(chosen, node);
    }
    await E.startProblems(!session.selected);
    document.documentElement.setAttribute("data-folio-editor", "ready");
  }

  start().catch((error) => {
    document.body.append(bar);
    E.status("The editor could not start: " + error.message, true);
  });
})();
