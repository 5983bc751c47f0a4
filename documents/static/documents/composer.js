// The composer's small helpers: insert a figure, a block or a mark at the cursor of the
// section's textarea, and warn before leaving a page with prose typed but not saved.
(function () {
  "use strict";
  var dirty = new Set();

  function target(button) {
    return document.getElementById(button.dataset.target);
  }

  function replaceSelection(area, before, after) {
    var start = area.selectionStart, end = area.selectionEnd, text = area.value;
    var chosen = text.slice(start, end);
    area.value = text.slice(0, start) + before + chosen + after + text.slice(end);
    var cursor = start + before.length + chosen.length;
    area.focus();
    area.setSelectionRange(cursor, cursor);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".compose-insert, .compose-wrap");
    if (!button) return;
    var area = target(button);
    if (!area || area.readOnly) return;
    if (button.classList.contains("compose-insert")) {
      replaceSelection(area, button.dataset.insert, "");
    } else {
      replaceSelection(area, button.dataset.before, button.dataset.after);
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.matches(".compose-form textarea")) dirty.add(event.target.id);
  });
  document.addEventListener("submit", function (event) {
    var area = event.target.querySelector("textarea");
    if (area) dirty.delete(area.id);
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
