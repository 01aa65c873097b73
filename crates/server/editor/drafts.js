/* folio editor, part 3 of 6: nothing typed is lost. Text typed into a field and not saved yet
   is a draft, kept in sessionStorage with the value it was typed over (its base), so that it
   outlives a reload and is put back into its field when the form shows that field again.
   While a draft exists, live reload waits: after one's own save it refreshes once the drafts
   are saved or dropped; for a change made elsewhere (another tab, the disk) it says so and
   offers a review. The review, like a save refused as a conflict, shows each draft against
   the file's value now: keep mine or take theirs, field by field. */
(function () {
  "use strict";
  const E = window.FolioEditor;
  const el = E.el;
  const session = E.session;
  session.drafts = session.drafts || {};
  /** When this tab last saved (its own save rebuilds the page too). */
  let ownSaveAt = 0;
  /** A reload that waits for the drafts: "own" after one's own save, "elsewhere" otherwise. */
  let waiting = null;

  const key = (file, path) => file + "#" + path;

  /** Note `value` typed into `path` of `file` over `base` (the value the field showed). */
  E.draft = function (file, path, value, base) {
    const held = session.drafts[key(file, path)];
    session.drafts[key(file, path)] = { file, path, value, base: held ? held.base : base };
    E.saveSession(session);
  };

  /** The draft of `path` of `file`, if there is one. */
  E.draftOf = (file, path) => session.drafts[key(file, path)];

  /** Forget a draft (it was saved, or given up); a reload that waited for it goes ahead. */
  E.dropDraft = function (file, path) {
    delete session.drafts[key(file, path)];
    E.saveSession(session);
    if (waiting === "own" && !Object.keys(session.drafts).length) reloadNow();
  };

  E.savedOwn = () => (ownSaveAt = Date.now());

  /** Asked by live reload (`live.js`) before it reloads: true while a draft exists. */
  E.holdsReload = () => Object.keys(session.drafts).length > 0;

  function reloadNow() {
    waiting = null;
    location.reload();
  }

  /** Live reload waited: say why, and how to go on. */
  E.reloadWaiting = function () {
    if (Date.now() - ownSaveAt < 5000 && waiting !== "elsewhere") {
      waiting = "own";
      E.status("Saved. The page refreshes when the field you are typing in is saved.");
      return;
    }
    waiting = "elsewhere";
    const review = el("button", { type: "button", class: "folio-review", text: "Review", onclick: () => E.review() });
    E.notice("Changed elsewhere while you were typing; your text is kept.", [review]);
  };

  function shown(value) {
    if (value == null) return "(empty)";
    return typeof value === "string" ? value : JSON.stringify(value);
  }

  /** Each draft (of `only`, a file, when given) against the file's value now, to keep or give
      up field by field; then the page reloads with the drafts kept back in their fields. */
  E.review = async function (only) {
    const drafts = Object.values(session.drafts).filter((d) => !only || d.file === only);
    const files = [...new Set(drafts.map((d) => d.file))];
    const now = {};
    const text = {};
    for (const file of files) {
      const whole = drafts.some((d) => d.file === file && d.path === E.SOURCE);
      const asked = whole ? "source?file=" : "object?file=";
      try {
        const answer = await E.call("GET", asked + encodeURIComponent(file));
        now[file] = answer.values ? answer : { values: {} };
        text[file] = answer.text;
      } catch (error) {
        now[file] = { values: {}, missing: error.message };
      }
    }
    const rows = drafts.map((draft) => {
      // A source-view draft is the file's whole text.
      const theirs = draft.path === E.SOURCE ? text[draft.file] : E.at(now[draft.file].values, draft.path);
      const changed = shown(theirs) !== shown(draft.base);
      const row = el("div", { class: "folio-conflict", "data-folio-draft": key(draft.file, draft.path) }, [
        el("strong", { text: draft.file + " · " + draft.path }),
        changed
          ? el("div", {}, [
              el("div", { class: "folio-theirs" }, [el("small", { text: "Theirs (now in the file)" }), el("pre", { text: shown(theirs) })]),
              el("div", { class: "folio-mine" }, [el("small", { text: "Mine (not saved)" }), el("pre", { text: shown(draft.value) })]),
            ])
          : el("p", { class: "folio-help", text: "Not changed elsewhere: your text applies as it is." }),
        el("div", { class: "folio-row" }, [
          el("button", {
            type: "button",
            class: "folio-keep-mine",
            text: "Keep mine",
            onclick: () => {
              // Kept over their value: the next save of it is checked against the file as it is now.
              session.drafts[key(draft.file, draft.path)] = Object.assign({}, draft, { base: theirs });
              E.saveSession(session);
              row.replaceWith(el("p", { class: "folio-help", text: draft.path + ": yours is kept, to save." }));
            },
          }),
          el("button", {
            type: "button",
            class: "folio-take-theirs",
            text: "Take theirs",
            onclick: () => {
              delete session.drafts[key(draft.file, draft.path)];
              E.saveSession(session);
              row.replaceWith(el("p", { class: "folio-help", text: draft.path + ": the file's value is taken." }));
            },
          }),
        ]),
      ]);
      return row;
    });
    const done = el("button", { type: "button", class: "folio-review-done", text: "Show the page now", onclick: reloadNow });
    E.showInPanel(
      el("div", { class: "folio-review-list" }, [
        el("h3", { text: "Review your unsaved text" }),
        el("p", { class: "folio-help", text: "Nothing is lost: what you keep stays in its field, ready to save." }),
        ...rows,
        done,
      ])
    );
  };
})();
