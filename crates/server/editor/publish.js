/* folio editor, part 5 of 6: Publish. When the site is a git checkout, the panel lists what
   is not committed under the site's folder, file by file with its diff; the files the editor
   wrote are ticked. The user's message commits exactly the ticked files, and the server pushes
   when the branch has a remote, showing git's own words when that fails. Without git it says
   so. */
(function () {
  "use strict";
  const E = window.FolioEditor;
  const el = E.el;

  E.publishButton = el("button", { type: "button", class: "folio-publish-button", text: "Publish", onclick: () => E.showPublish() });

  function fileRow(change) {
    const tick = el("input", { type: "checkbox", class: "folio-publish-file", value: change.file });
    tick.checked = !!change.edited;
    return el("details", { class: "folio-publish-change" }, [
      el("summary", {}, [el("label", {}, [tick, " " + change.file + " "]), el("small", { text: "(" + change.status + (change.edited ? ", edited here" : "") + ")" })]),
      el("pre", { class: "folio-diff", text: change.diff || "(no diff to show)" }),
    ]);
  }

  /** The unpublished changes, to commit with a message. */
  E.showPublish = async function () {
    let state;
    try {
      state = await E.call("GET", "publish");
    } catch (error) {
      E.status(error.message, true);
      return;
    }
    if (!state.git) {
      E.showInPanel(el("div", { class: "folio-publish" }, [el("h3", { text: "Publish" }), el("p", { class: "folio-help", text: "This site is not a git checkout, so there is nothing to publish to. Your edits are saved in its files." })]));
      return;
    }
    if (!state.files.length) {
      E.showInPanel(el("div", { class: "folio-publish" }, [el("h3", { text: "Publish" }), el("p", { class: "folio-help", text: "Nothing to publish: every file is committed." })]));
      return;
    }
    const edited = state.files.filter((f) => f.edited).map((f) => f.file);
    const message = el("textarea", { class: "folio-publish-message", rows: "3", "aria-label": "Commit message" });
    message.value = edited.length ? "Edit " + edited.join(", ") : "Update the site";
    const result = el("p", { class: "folio-publish-result", role: "status" });
    const go = el("button", {
      type: "button",
      class: "folio-publish-go",
      text: state.remote ? "Commit and push to " + state.remote : "Commit",
      onclick: async () => {
        const files = [...document.querySelectorAll("#folio-editor-panel .folio-publish-file:checked")].map((b) => b.value);
        go.disabled = true;
        result.textContent = "Publishing…";
        try {
          const answer = await E.call("POST", "publish", { message: message.value, files });
          result.textContent = "Committed " + answer.commit + (answer.pushed ? ", pushed to " + answer.remote + "." : ".");
          if (answer.push_error) result.append(el("pre", { class: "folio-diff folio-error", text: "The push failed:\n" + answer.push_error }));
        } catch (error) {
          result.replaceChildren(el("pre", { class: "folio-diff folio-error", text: error.message }));
        }
        go.disabled = false;
      },
    });
    E.showInPanel(
      el("div", { class: "folio-publish" }, [
        el("h3", { text: "Publish" }),
        el("p", { class: "folio-help", text: "On branch " + state.branch + ". Tick the files to commit; open one to see its changes." }),
        ...state.files.map(fileRow),
        el("label", { class: "folio-field" }, ["Message", message]),
        go,
        result,
      ])
    );
  };
})();
