/* folio editor, part 2 of 6: the side panel's form, generated from the model registry for the
   selected object (the site's own `.stackbit` models merged over folio's): text, Markdown
   (with a live preview), enum (colour schemes as swatches, button groups, labelled options),
   boolean, number, date, image (pick or upload), reference, lists (add from a model or one of
   the site's presets, remove, reorder) and styles; fields under their labels, arranged in the
   model's field groups. Each change is one edit sent through `FolioEditor.apply`. */
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

  /** What the editor shows for a model or field: its label, else its name. */
  function labelOf(def, fallback) {
    return (def && def.label) || fallback;
  }
  E.labelOf = labelOf;

  /** An enum's options as [value, label]: the model's labels, and a value the file holds that
      the model does not list kept as it is (so that it is shown, not silently replaced). */
  function choicesOf(field, value) {
    const label = (o) => {
      const choice = (field.choices || []).find((c) => c.value === o);
      return (choice && choice.label) || o;
    };
    const list = (field.options || []).map((o) => [o, label(o)]);
    if (value != null && value !== "" && !(field.options || []).includes(value)) {
      list.push([String(value), value + " (not in the model)"]);
    }
    return list;
  }

  /** The model of the object `value` at `path` of the current file: its `type`, else the one
      folio gave it (an object written without `type`, as the build rendered it). */
  E.typeOf = function (value, path) {
    return (value && value.type) || ((E.current && E.current.types) || {})[path];
  };

  /** A new object of `model` with the registry's defaults. */
  function fresh(model) {
    const def = E.models[model];
    const object = { type: model };
    for (const field of (def && def.fields) || []) {
      if (field.default !== undefined && field.name !== "type") object[field.name] = field.default;
    }
    return object;
  }

  /** Keep what is typed into `control` (showing `value` of `path`) as a draft until it is
      saved, and put a draft kept from before (a reload, a conflict) back into it. */
  function drafted(control, value, path) {
    const file = E.current.file;
    const held = E.draftOf(file, path);
    if (held) {
      control.value = held.value;
      control.classList.add("folio-dirty");
    }
    control.addEventListener("input", () => {
      E.draft(file, path, control.value, value);
      control.classList.add("folio-dirty");
    });
    return control;
  }

  /** Show `message` under the field at `path` (none: clear it). */
  E.fieldError = function (path, message) {
    const field = document.querySelector('#folio-editor-panel [data-folio-field="' + path + '"]');
    if (!field) return;
    let line = field.querySelector(":scope > .folio-field-error");
    if (!message) {
      if (line) line.remove();
      return;
    }
    if (!line) {
      line = el("p", { class: "folio-field-error", role: "alert" });
      field.append(line);
    }
    line.textContent = message;
  };

  /** What the model says against `value` for `field` before it is sent (the server checks
      again, as `folio check` does): a required field left empty, a number out of its range,
      a text breaking the model's own `validations` (length, pattern). */
  function refusal(field, value) {
    const name = "`" + field.name + "`";
    if (value === "" || value == null) return field.required ? name + " is required: it cannot be empty" : null;
    const rules = field.validations || {};
    const own = (rule, text) => (rules.errors && rules.errors[rule] ? name + ": " + rules.errors[rule] : text);
    if (typeof value === "string") {
      const length = [...value].length;
      if (rules.min != null && length < rules.min) return own("min", name + " needs at least " + rules.min + " characters");
      if (rules.max != null && length > rules.max) return own("max", name + " allows at most " + rules.max + " characters");
      let pattern = null;
      try {
        pattern = rules.regexp ? new RegExp(rules.regexp, "u") : null;
      } catch (_) {
        pattern = null; // the server says what it can read of it
      }
      if (pattern && !pattern.test(value)) return own("regexp", name + " does not match the model's pattern " + rules.regexp);
    }
    if (field.type !== "number") return null;
    if (typeof value !== "number" || Number.isNaN(value)) return name + " must be a number";
    if (field.min != null && value < field.min) return name + " must be at least " + field.min;
    if (field.max != null && value > field.max) return name + " must be at most " + field.max;
    if (field.step != null && field.step > 0) {
      const steps = (value - (field.min || 0)) / field.step;
      if (Math.abs(steps - Math.round(steps)) > 1e-9) return name + " must be a multiple of " + field.step;
    }
    return null;
  }

  /** How the site draws the colour scheme `option` (a class such as `colors-a`): its
      background and text colour, read from a hidden element of that class in the page, so
      the swatch shows the site's own colours whatever its theme or style file says. */
  function schemeLook(option) {
    const probe = document.createElement("div");
    probe.className = option;
    probe.setAttribute("aria-hidden", "true");
    probe.style.cssText = "position:absolute;visibility:hidden;pointer-events:none;width:1px;height:1px";
    (document.querySelector(".sb-page") || document.body).append(probe);
    const style = getComputedStyle(probe);
    const look = { background: style.backgroundColor, color: style.color };
    probe.remove();
    return look;
  }

  function input(field, value, path) {
    const file = E.current.file;
    // A saved value is no longer a draft; a refused one stays one, with the reason shown.
    const saved = (ok) => {
      if (ok) {
        E.dropDraft(file, path);
        E.fieldError(path, null);
      }
      return ok;
    };
    const checked = (v) => {
      const reason = refusal(field, v);
      if (reason) {
        E.fieldError(path, reason);
        E.status("Not saved: " + reason, true);
      }
      return !reason;
    };
    const set = async (v) => checked(v) && saved(await E.apply({ op: "set", path, value: v }));
    const unsetOr = async (v) => (v === "" ? checked(v) && saved(await E.apply({ op: "unset", path })) : set(v));
    switch (field.type) {
      case "markdown": {
        const area = el("textarea", { rows: "10", "data-folio-path": path });
        area.value = value || "";
        drafted(area, value, path);
        const pane = el("div", { class: "folio-preview", "aria-live": "polite" });
        livePreview(area, pane);
        const save = el("button", { type: "button", text: "Save text", onclick: () => set(area.value) });
        return el("div", {}, [area, el("div", { class: "folio-row" }, [save]), pane]);
      }
      case "enum": {
        const choices = choicesOf(field, value);
        if (field.palette) {
          return el(
            "div",
            { class: "folio-swatches" },
            choices.map(([option, text]) => {
              const swatch = el("button", {
                type: "button",
                title: text,
                "aria-label": text,
                "aria-pressed": String(option === value),
                text: "Aa",
                class: "folio-swatch" + (option === value ? " folio-current" : ""),
                onclick: () => set(option),
              });
              const look = schemeLook(option);
              swatch.style.background = look.background;
              swatch.style.color = look.color;
              return swatch;
            })
          );
        }
        if (field.controlType === "button-group" && choices.length <= 6) {
          return el(
            "div",
            { class: "folio-buttons", role: "group" },
            choices.map(([option, text]) =>
              el("button", {
                type: "button",
                text,
                "aria-pressed": String(option === value),
                onclick: () => set(option),
              })
            )
          );
        }
        const select = el("select", { onchange: () => unsetOr(select.value) }, [
          el("option", { value: "", text: "—" }),
          ...choices.map(([option, text]) => el("option", { value: option, text })),
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
        return drafted(box, value, path);
      }
      case "date": {
        const box = el("input", { type: "date", onchange: () => unsetOr(box.value) });
        box.value = (value || "").slice(0, 10);
        return drafted(box, value, path);
      }
      case "image":
        return imageInput(value, set, path);
      case "reference": {
        const list = "folio-refs-" + path.replace(/\W/g, "-");
        const box = el("input", { type: "text", list, onchange: () => unsetOr(box.value) });
        box.value = value || "";
        drafted(box, value, path);
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
          text: value ? "Edit " + labelOf(E.models[E.typeOf(value, path)], E.typeOf(value, path) || "object") : "Add",
          onclick: () => (value ? E.select(E.current.file, path) : set(fresh(field.models[0]))),
        });
      case "list":
        return listInput(field, value || [], path);
      case "style":
        return styleInput(field, value || {}, path);
      default: {
        const box = el("input", { type: "text", "data-folio-path": path, onchange: () => unsetOr(box.value) });
        box.value = value == null ? "" : String(value);
        return drafted(box, value, path);
      }
    }
  }

  /** Keep `pane` showing the text of `area` as folio renders it: now, then 200 ms after typing
      stops. An answer that arrives after a newer request was sent is ignored. */
  /** What the preview may show of rendered Markdown: these elements and attributes, and
      links and images by http(s), mailto, a path or an anchor. The HTML typed may carry
      anything (a body may hold raw HTML); it is parsed in an inert document, where nothing
      runs, and rebuilt from this list, so no script or handler reaches the editor's page. */
  const SHOWN_TAGS = new Set("a abbr b blockquote br caption code dd del details div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img input ins kbd li mark ol p pre q s small span strong sub summary sup table tbody td tfoot th thead tr u ul".split(" "));
  const SHOWN_ATTRIBUTES = new Set("alt title href src colspan rowspan align width height type checked disabled start".split(" "));
  const SAFE_URL = /^(https?:|mailto:|\/|#|\.|[^:]*$)/i;

  function sanitised(html) {
    const inert = new DOMParser().parseFromString(html, "text/html");
    const copy = (from, to) => {
      for (const node of from.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) {
          to.append(node.textContent);
          continue;
        }
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        const tag = node.tagName.toLowerCase();
        if (!SHOWN_TAGS.has(tag)) {
          // Unknown wrappers keep their text; scripts, styles and frames are dropped whole.
          if (!["script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"].includes(tag)) copy(node, to);
          continue;
        }
        if (tag === "input" && node.getAttribute("type") !== "checkbox") continue;
        const made = document.createElement(tag);
        for (const { name, value } of node.attributes) {
          if (!SHOWN_ATTRIBUTES.has(name)) continue;
          if ((name === "href" || name === "src") && !SAFE_URL.test(value.trim())) continue;
          made.setAttribute(name, value);
        }
        if (tag === "input") made.disabled = true;
        if (tag === "a") made.setAttribute("rel", "noopener noreferrer");
        copy(node, made);
        to.append(made);
      }
    };
    const out = document.createDocumentFragment();
    copy(inert.body, out);
    return out;
  }
  E.sanitised = sanitised;

  function livePreview(area, pane) {
    let timer = null;
    let latest = 0;
    async function render() {
      const request = ++latest;
      try {
        const answer = await E.call("POST", "preview", { markdown: area.value });
        if (request === latest) pane.replaceChildren(sanitised(answer.html));
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

  function imageInput(value, set, path) {
    const box = el("input", { type: "text", onchange: () => set(box.value) });
    box.value = value || "";
    drafted(box, value, path);
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
      const label = typeof item === "object" && item ? itemLabel(item, E.typeOf(item, path + "." + i)) : String(item);
      return el("li", {}, [
        el("button", { type: "button", class: "folio-link", text: i + ". " + label, onclick: () => typeof item === "object" && E.select(E.current.file, path + "." + i) }),
        el("button", { type: "button", title: "Move up", text: "↑", onclick: () => i > 0 && E.apply({ op: "move", path, from: i, to: i - 1 }) }),
        el("button", { type: "button", title: "Move down", text: "↓", onclick: () => i < items.length - 1 && E.apply({ op: "move", path, from: i, to: i + 1 }) }),
        el("button", { type: "button", title: "Remove", text: "✕", onclick: () => E.apply({ op: "remove", path: path + "." + i }) }),
      ]);
    });
    // A new item is an empty object of an allowed model or one of the site's presets for it.
    const presets = (E.presets || []).filter((p) => models.includes(p.model));
    const add = el("select", {}, [
      ...models.map((m) => el("option", { value: "model:" + m, text: labelOf(E.models[m], m) })),
      ...(presets.length
        ? [el("optgroup", { label: "Presets" }, presets.map((p) => el("option", { value: "preset:" + E.presets.indexOf(p), text: p.label })))]
        : []),
    ]);
    const newItem = () => {
      const [kind, key] = add.value.split(/:(.*)/);
      if (kind === "preset") {
        const preset = E.presets[Number(key)];
        return Object.assign({ type: preset.model }, preset.data);
      }
      return fresh(key);
    };
    const controls = models.length
      ? [add, el("button", { type: "button", text: "Add", onclick: () => E.apply({ op: "insert", path, index: items.length, value: newItem() }) })]
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
          control = el("input", {
            type: "text",
            onchange: () => {
              let parsed;
              try {
                parsed = JSON.parse(control.value || "null");
              } catch (_) {
                E.status("Not saved: " + part + " " + prop + " is not a JSON value (a number, \"text\" or [a, list])", true);
                control.classList.add("folio-dirty");
                return;
              }
              E.apply(parsed === null ? { op: "unset", path: p } : { op: "set", path: p, value: parsed });
            },
          });
          control.value = current === undefined ? "" : JSON.stringify(current);
        }
        parts.push(el("label", { class: "folio-style" }, [part + " " + prop, control]));
      }
    }
    return el("div", {}, parts);
  }

  /** A list item's label: its model's `labelField`, else its model's label. */
  function itemLabel(item, type) {
    const def = E.models[type];
    const own = def && def.labelField && item[def.labelField];
    const kind = labelOf(def, type || "item");
    return typeof own === "string" && own ? kind + ": " + own : kind;
  }

  function fieldRow(field, object, prefix) {
    const path = (prefix ? prefix + "." : "") + field.name;
    const control = input(field, object[field.name], path);
    if (field.readOnly) {
      for (const node of [control, ...control.querySelectorAll("input,select,textarea,button")]) node.disabled = true;
    }
    return el("div", { class: "folio-field", "data-folio-field": path }, [
      el("label", { text: labelOf(field, field.name) + (field.required ? " *" : ""), title: field.name }),
      control,
      field.description ? el("small", { class: "folio-help", text: field.description }) : "",
    ]);
  }

  /** The rows, fields without a group first, then one fieldset per group of the model's
      `fieldGroups` (in their order; a group the model does not declare comes last). */
  function grouped(model, fields, row) {
    const declared = (model.fieldGroups || []).map((g) => g.name);
    const names = [...declared, ...fields.map((f) => f.group).filter((g) => g && !declared.includes(g))];
    const loose = fields.filter((f) => !f.group).map(row);
    const sets = [...new Set(names)]
      .map((name) => {
        const members = fields.filter((f) => f.group === name);
        if (!members.length) return null;
        const group = (model.fieldGroups || []).find((g) => g.name === name);
        return el("fieldset", { class: "folio-group", "data-folio-group": name }, [
          el("legend", { text: labelOf(group, name) }),
          ...members.map(row),
        ]);
      })
      .filter(Boolean);
    return [...loose, ...sets];
  }

  /** The form for the object at `prefix` ("" for the file) of `values`. */
  E.form = function (values, prefix) {
    const object = prefix ? at(values, prefix) : values;
    const type = E.typeOf(object, prefix);
    const model = object && E.models[type];
    if (!model) return el("p", { text: "No model for this object." });
    const fields = model.fields.filter((f) => !f.hidden && f.name !== "type");
    const rows = grouped(model, fields, (field) => fieldRow(field, object, prefix));
    if (!prefix && "markdown_content" in values) {
      rows.push(
        el("div", { class: "folio-field", "data-folio-field": "markdown_content" }, [
          el("label", { text: "body (Markdown)" }),
          input({ type: "markdown" }, values.markdown_content, "markdown_content"),
        ])
      );
    }
    const heading = el("h3", { text: labelOf(model, type) + (prefix ? " · " + prefix : ""), title: type });
    return el("div", {}, [heading, model.description ? el("p", { class: "folio-help", text: model.description }) : "", ...rows]);
  };
})();
