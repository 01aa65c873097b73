/* folio editor, part 3 of 3: the toolbar (pages, new, delete, undo), hover outlines, selection
   by click (the innermost annotated element), inline editing of short text, and saving: each
   edit is sent with the file's hash; a 409 shows the conflict and writes nothing. The server's
   watcher rebuilds and live reload refreshes the page; the selection and the undo stack live
   in sessionStorage across that reload. */
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
  const message = el("span", { class: "folio-status" });

  E.status = function (text, error) {
    message.textContent = text;
    message.classList.toggle("folio-error", !!error);
  };

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
      const answer = await E.call("POST", "edit", { file: current.file, hash: current.hash, edit });
      current.hash = answer.hash;
      if (answer.inverse && !(options && options.undoing)) {
        session.undo.push({ file: current.file, edit: answer.inverse });
        session.undo = session.undo.slice(-50);
      }
      E.saveSession(session);
      E.status("Saved");
      return true;
    } catch (error) {
      if (error.code === "edit/conflict") {
        E.status("Conflict: the file changed on disk; nothing was overwritten. Reload to see it.", true);
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
    let done = false;
    const finish = async (keep) => {
      if (done) return;
      done = true;
      node.contentEditable = "false";
      node.classList.remove("folio-editing");
      const text = node.textContent.trim();
      if (!keep || text === before) {
        node.textContent = before;
        return;
      }
      if (!E.current || E.current.file !== file) await E.select(file, path);
      if (!(await E.apply({ op: "set", path, value: text }))) node.textContent = before;
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

  document.addEventListener(
    "click",
    async (event) => {
      if (inEditor(event.target) || event.target.isContentEditable) return;
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
    await E.select(last.file, E.current && E.current.file === last.file ? E.current.path : "");
    await E.apply(last.edit, { undoing: true });
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
    if (!confirm("Delete " + page.file + "? This cannot be undone here.")) return;
    try {
      const object = await E.call("GET", "object?file=" + encodeURIComponent(page.file));
      await E.call("POST", "delete", { file: page.file, hash: object.hash });
      session.selected = null;
      E.saveSession(session);
      location.href = "/";
    } catch (error) {
      E.status(error.message, true);
    }
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
      el("button", { type: "button", text: "Undo", class: "folio-undo", onclick: undo }),
      message
    );
    document.body.append(bar, panel, hover, chosen);
    document.body.classList.add("folio-editing-page");
    if (session.selected) {
      await E.select(session.selected.file, session.selected.path);
      const node = document.querySelector('[data-sb-field-path="' + session.selected.path + '"]');
      if (node) outline(chosen, node);
    }
    document.documentElement.setAttribute("data-folio-editor", "ready");
  }

  start().catch((error) => {
    document.body.append(bar);
    E.status("The editor could not start: " + error.message, true);
  });
})();
