/* folio editor, part 4 of 6: the build's problems, and the source view that fixes them. The
   toolbar's problems button counts the latest build's errors and warnings; its list opens each
   problem's file at its line in a text box inside the panel (a file the build could not read
   has no form). Saving writes the whole text, checked against the file's hash like every
   edit; the rebuild then checks the site again, and the view says what is left in that file.
   Text typed in the source view is a draft like any other: a reload keeps it. */
(function () {
  "use strict";
  const E = window.FolioEditor;
  const el = E.el;
  const session = E.session;
  /** The draft path of a file's whole text. */
  const SOURCE = "(source)";
  E.SOURCE = SOURCE;

  let latest = { generation: 0, problems: [] };
  /** What the panel shows of the problems: "list", a source view, or nothing. */
  let showing = null;
  const button = el("button", { type: "button", class: "folio-problems-button", hidden: "", onclick: () => E.showProblems() });
  E.problemsButton = button;

  const count = (severity) => latest.problems.filter((p) => p.severity === severity).length;
  const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");
  const where = (p) => p.file + (p.line ? ":" + p.line + ":" + p.column : "");

  /** Ask for the latest build's problems and show them where they are shown. */
  E.refreshProblems = async function () {
    latest = await E.call("GET", "problems");
    const errors = count("error");
    const warnings = count("warning");
    button.hidden = !latest.problems.length;
    button.textContent = [errors && plural(errors, "error"), warnings && plural(warnings, "warning")].filter(Boolean).join(" · ");
    button.classList.toggle("folio-has-errors", errors > 0);
    // Shown again only while the panel still shows them (a form may have replaced them).
    if (showing === "list" && document.querySelector("#folio-editor-panel:not([hidden]) .folio-problems")) E.showProblems();
    else if (showing && showing.box && showing.box.isConnected) checked(showing);
    return latest;
  };

  /** Told by live reload (`live.js`) that a build ended. */
  E.built = function (build) {
    if (build.generation !== latest.generation) E.refreshProblems().catch((e) => E.status(e.message, true));
  };

  function item(problem) {
    const open = problem.file
      ? el("button", { type: "button", class: "folio-link folio-open-source", text: where(problem), onclick: () => E.openSource(problem.file, problem.line, problem.column) })
      : el("span", { class: "folio-help", text: "the whole site" });
    return el("li", { class: "folio-problem folio-" + problem.severity, "data-folio-code": problem.code }, [
      el("div", {}, [el("strong", { class: "folio-severity", text: problem.severity + "[" + problem.code + "]" }), el("span", { text: " " + problem.message })]),
      open,
      problem.label ? el("div", { class: "folio-label", text: problem.label }) : "",
      problem.help ? el("div", { class: "folio-help", text: "help: " + problem.help }) : "",
    ]);
  }

  /** The list of every problem, errors first, each opening its file at its line. */
  E.showProblems = function () {
    showing = "list";
    session.source = null;
    E.saveSession(session);
    const sorted = latest.problems.slice().sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
    E.showInPanel(
      el("div", { class: "folio-problems" }, [
        el("h3", { text: "Problems" }),
        el("p", { class: "folio-help", text: sorted.length ? "Pages with errors show their last good version; the rest are up to date. Open a problem to fix its file here." : "The latest build found no problems." }),
        el("ul", { class: "folio-problem-list" }, sorted.map(item)),
      ]),
      () => (showing = null)
    );
  };

  function offsetOf(text, line, column) {
    let offset = 0;
    for (let n = 1; n < (line || 1); n++) {
      const next = text.indexOf("\n", offset);
      if (next < 0) return text.length;
      offset = next + 1;
    }
    const end = text.indexOf("\n", offset);
    return Math.min(offset + Math.max((column || 1) - 1, 0), end < 0 ? text.length : end);
  }

  /** Put the caret at `line`:`column` of the text box and scroll it into view. */
  function jump(box, line, column) {
    const at = offsetOf(box.value, line, column);
    box.focus();
    box.setSelectionRange(at, at);
    const height = parseFloat(getComputedStyle(box).lineHeight) || 18;
    box.scrollTop = Math.max(0, ((line || 1) - 1) * height - box.clientHeight / 3);
  }

  /** The problems of the open file, and, after a save, what the check that followed found. */
  function checked(view) {
    const own = latest.problems.filter((p) => p.file === view.file);
    view.list.replaceChildren(
      ...own.map((p) =>
        el("li", { class: "folio-problem folio-" + p.severity }, [
          el("button", { type: "button", class: "folio-link", text: (p.line ? "line " + p.line + ": " : "") + p.message, onclick: () => jump(view.box, p.line, p.column) }),
        ])
      )
    );
    const saved = session.source && session.source.checkAfter;
    if (saved && latest.generation > saved) {
      session.source.checkAfter = 0;
      E.saveSession(session);
      const errors = own.filter((p) => p.severity === "error").length;
      view.result.textContent = own.length
        ? "Checked: " + plural(own.length, "problem") + " left in this file" + (errors ? "." : " (no errors).")
        : "Checked: no problems left in this file.";
      view.result.classList.toggle("folio-error", errors > 0);
    }
  }

  /** Open `file` as text in the panel, the caret at `line`:`column`. */
  E.openSource = async function (file, line, column) {
    let source;
    try {
      source = await E.call("GET", "source?file=" + encodeURIComponent(file));
    } catch (error) {
      E.status(error.message, true);
      return;
    }
    const kept = session.source && session.source.file === file ? session.source : {};
    session.source = { file, line, column, hash: source.hash, checkAfter: kept.checkAfter || 0 };
    session.selected = null;
    E.saveSession(session);
    const draft = E.draftOf(file, SOURCE);
    const box = el("textarea", { class: "folio-source", spellcheck: "false", wrap: "off", "aria-label": "Text of " + file });
    box.value = draft ? draft.value : source.text;
    box.addEventListener("input", () => {
      box.classList.add("folio-dirty");
      E.draft(file, SOURCE, box.value, source.text);
    });
    const view = { file, box, list: el("ul", { class: "folio-problem-list" }), result: el("p", { class: "folio-check-result", role: "status" }) };
    const save = async () => {
      const before = latest.generation;
      const hash = session.source.hash;
      try {
        E.status("Saving…");
        // Before the request: the rebuild it causes may reach live reload before its answer.
        E.savedOwn();
        const answer = await E.call("POST", "source", { file, hash: session.source.hash, text: box.value });
        session.source.hash = answer.hash;
        E.dropDraft(file, SOURCE);
        box.classList.remove("folio-dirty");
        source.text = box.value;
        view.result.classList.remove("folio-error");
        if (answer.hash === hash) {
          view.result.textContent = "Nothing changed.";
          return;
        }
        // The rebuild may already have ended: `checked` then says what it found at once.
        session.source.checkAfter = before;
        E.saveSession(session);
        view.result.textContent = "Saved; checking…";
        E.status("Saved");
        checked(view);
      } catch (error) {
        if (error.code === "edit/conflict") {
          E.status("Conflict: " + file + " changed elsewhere; nothing was overwritten.", true);
          const review = el("button", { type: "button", class: "folio-review", text: "Review", onclick: () => E.review(file) });
          E.notice("Your text is kept: review it against the file.", [review]);
        } else {
          E.status(error.message, true);
        }
      }
    };
    box.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === "s") {
        event.preventDefault();
        save();
      }
    });
    showing = view;
    E.showInPanel(
      el("div", { class: "folio-source-view" }, [
        el("button", { type: "button", class: "folio-link", text: "← all problems", onclick: () => E.showProblems() }),
        el("h3", { text: file }),
        view.list,
        box,
        el("div", { class: "folio-row" }, [el("button", { type: "button", class: "folio-save-source", text: "Save", onclick: save }), view.result]),
      ]),
      () => {
        showing = null;
        session.source = null;
        E.saveSession(session);
      }
    );
    if (draft) box.classList.add("folio-dirty");
    checked(view);
    jump(box, line, column);
  };

  /** At start: the problems, and the source view or the list where the last page left them. */
  E.startProblems = async function (nothingSelected) {
    await E.refreshProblems();
    const open = session.source;
    if (open) await E.openSource(open.file, open.line, open.column);
    else if (nothingSelected && count("error") > 0) E.showProblems();
  };
})();
