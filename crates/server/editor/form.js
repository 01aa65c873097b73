/* folio editor, part 2 of 3: the side panel's form, generated from the model registry for the
   selected object: text, Markdown (with a live preview), enum (colour schemes as swatches),
   boolean, number, date, image (pick or upload), reference, lists (add, remove, reorder) and
   styles. Each change is one edit sent through `FolioEditor.apply`. */
(function () {
  "use strict";
  const E = window.FolioEditor;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const child of children || []) node.append(child);
    return node;
  }
  E.el = el;

  function at(values, path) {
    return path.split(".").reduce((v, k) => (v == null ? undefined : v[k]), values);
  }
  E.at = at;

  /** A new object of `model` with the registry's defaults. */
  function fresh(model) {
    const def = E.models[model];
    const object = { type: model };
    for (const field of (def && def.fields) || []) {
      if (field.default !== undefined && field.name !== "type") object[field.name] = field.default;
    }
    return object;
  }

  function input(field, value, path) {
    const set = (v) => E.apply({ op: "set", path, value: v });
    const unsetOr = (v) => (v === "" ? E.apply({ op: "unset", path }) : set(v));
    switch (field.type) {
      case "markdown": {
        const area = el("textarea", { rows: "10", "data-folio-path": path });
        area.value = value || "";
        const pane = el("div", { class: "folio-preview", "aria-live": "polite" });
        livePreview(area, pane);
        const save = el("button", { type: "button", text: "Save text", onclick: () => set(area.value) });
        return el("div", {}, [area, el("div", { class: "folio-row" }, [save]), pane]);
      }
      case "enum": {
        if (field.palette) {
          return el(
            "div",
            { class: "folio-swatches" },
            field.options.map((option) =>
              el("button", {
                type: "button",
                title: option,
                text: "Aa",
                class: option + (option === value ? " folio-current" : ""),
                onclick: () => set(option),
              })
            )
          );
        }
        const select = el("select", { onchange: () => unsetOr(select.value) }, [
          el("option", { value: "", text: "—" }),
          ...field.options.map((o) => el("option", { value: o, text: o })),
        ]);
        select.value = value || "";
        return select;
      }
      case "boolean": {
        const box = el("input", { type: "checkbox", onchange: () => set(box.checked) });
        box.checked = !!value;
        return box;
      }
      case "number": {
        const box = el("input", { type: "number", onchange: () => (box.value === "" ? unsetOr("") : set(Number(box.value))) });
        if (field.min != null) box.min = field.min;
        if (field.max != null) box.max = field.max;
        if (field.step != null) box.step = field.step;
        box.value = value == null ? "" : value;
        return box;
      }
      case "date": {
        const box = el("input", { type: "date", onchange: () => unsetOr(box.value) });
        box.value = (value || "").slice(0, 10);
        return box;
      }
      case "image":
        return imageInput(value, set);
      case "reference": {
        const list = "folio-refs-" + path.replace(/\W/g, "-");
        const box = el("input", { type: "text", list, onchange: () => unsetOr(box.value) });
        box.value = value || "";
        // Any content file of an allowed model: pages, and data files such as people.
        const options = (E.objects || []).filter((o) => !field.models.length || field.models.includes(o.type));
        return el("div", {}, [
          box,
          el("datalist", { id: list }, options.map((o) => el("option", { value: o.file, text: o.label }))),
        ]);
      }
      case "model":
        return el("button", {
          type: "button",
          text: value ? "Edit " + (value.type || "object") : "Add",
          onclick: () => (value ? E.select(E.current.file, path) : set(fresh(field.models[0]))),
        });
      case "list":
        return listInput(field, value || [], path);
      case "style":
        return styleInput(field, value || {}, path);
      default: {
        const box = el("input", { type: "text", onchange: () => unsetOr(box.value) });
        box.value = value == null ? "" : String(value);
        return box;
      }
    }
  }

  /** Keep `pane` showing the text of `area` as folio renders it: now, then 200 ms after typing
      stops. An answer that arrives after a newer request was sent is ignored. */
  function livePreview(area, pane) {
    let timer = null;
    let latest = 0;
    async function render() {
      const request = ++latest;
      try {
        const answer = await E.call("POST", "preview", { markdown: area.value });
        // innerHTML is acceptable here: the HTML is our own server's rendering, by folio's own
        // Markdown renderer, of the text typed in this panel (the page will show the same).
        if (request === latest) pane.innerHTML = answer.html;
      } catch (error) {
        if (request === latest) pane.textContent = "No preview: " + error.message;
      }
    }
    area.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(render, 200);
    });
    render();
  }

  function imageInput(value, set) {
    const box = el("input", { type: "text", onchange: () => set(box.value) });
    box.value = value || "";
    const pick = el("select", { onchange: () => pick.value && set(pick.value) }, [
      el("option", { value: "", text: "Choose an image…" }),
      ...(E.images || []).map((url) => el("option", { value: url, text: url })),
    ]);
    const file = el("input", {
      type: "file",
      accept: "image/*",
      onchange: async () => {
        const chosen = file.files[0];
        if (!chosen) return;
        const name = chosen.name.replace(/[^A-Za-z0-9._-]/g, "-");
        try {
          const answer = await E.call("POST", "upload?name=" + encodeURIComponent(name), undefined, chosen);
          set(answer.url);
        } catch (error) {
          E.status(error.message, true);
        }
      },
    });
    return el("div", {}, [box, pick, file]);
  }

  function listInput(field, items, path) {
    const models = (field.items && field.items.models) || [];
    const rows = items.map((item, i) => {
      const label = typeof item === "object" && item ? item.type || "item" : String(item);
      return el("li", {}, [
        el("button", { type: "button", class: "folio-link", text: i + ". " + label, onclick: () => typeof item === "object" && E.select(E.current.file, path + "." + i) }),
        el("button", { type: "button", title: "Move up", text: "↑", onclick: () => i > 0 && E.apply({ op: "move", path, from: i, to: i - 1 }) }),
        el("button", { type: "button", title: "Move down", text: "↓", onclick: () => i < items.length - 1 && E.apply({ op: "move", path, from: i, to: i + 1 }) }),
        el("button", { type: "button", title: "Remove", text: "✕", onclick: () => E.apply({ op: "remove", path: path + "." + i }) }),
      ]);
    });
    const add = el("select", {}, models.map((m) => el("option", { value: m, text: m })));
    const controls = models.length
      ? [add, el("button", { type: "button", text: "Add", onclick: () => E.apply({ op: "insert", path, index: items.length, value: fresh(add.value) }) })]
      : [el("button", { type: "button", text: "Add", onclick: () => E.apply({ op: "insert", path, index: items.length, value: "" }) })];
    return el("div", {}, [el("ol", { class: "folio-list" }, rows), el("div", { class: "folio-row" }, controls)]);
  }

  function styleInput(field, value, path) {
    const parts = [];
    for (const [part, props] of Object.entries(field.styles || {})) {
      for (const [prop, allowed] of Object.entries(props)) {
        const current = value[part] && value[part][prop];
        const p = path + "." + part + "." + prop;
        let control;
        if (Array.isArray(allowed)) {
          control = el("select", { onchange: () => E.apply(control.value ? { op: "set", path: p, value: control.value } : { op: "unset", path: p }) }, [
            el("option", { value: "", text: "—" }),
            ...allowed.map((o) => el("option", { value: o, text: o })),
          ]);
          control.value = typeof current === "string" ? current : "";
        } else {
          control = el("input", { type: "text", onchange: () => E.apply({ op: "set", path: p, value: JSON.parse(control.value || "null") }) });
          control.value = current === undefined ? "" : JSON.stringify(current);
        }
        parts.push(el("label", { class: "folio-style" }, [part + " " + prop, control]));
      }
    }
    return el("div", {}, parts);
  }

  /** The form for the object at `prefix` ("" for the file) of `values`. */
  E.form = function (values, prefix) {
    const object = prefix ? at(values, prefix) : values;
    const model = object && E.models[object.type];
    if (!model) return el("p", { text: "No model for this object." });
    const fields = model.fields.filter((f) => !f.hidden && f.name !== "type");
    const rows = fields.map((field) => {
      const path = (prefix ? prefix + "." : "") + field.name;
      return el("div", { class: "folio-field", "data-folio-field": path }, [
        el("label", { text: field.name + (field.required ? " *" : "") }),
        input(field, object[field.name], path),
      ]);
    });
    if (!prefix && "markdown_content" in values) {
      rows.push(
        el("div", { class: "folio-field", "data-folio-field": "markdown_content" }, [
          el("label", { text: "body (Markdown)" }),
          input({ type: "markdown" }, values.markdown_content, "markdown_content"),
        ])
      );
    }
    return el("div", {}, [el("h3", { text: object.type + (prefix ? " · " + prefix : "") }), ...rows]);
  };
})();
