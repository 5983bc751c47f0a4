/* NQ57's few behaviours on every page, without inline script (the Content-Security-Policy allows
   none). Each one works from markup conventions, so a template opts in with an attribute:

   form[data-guard]        typed work is tracked: leaving the page with it unsaved asks first;
                           form[data-unsaved] (a form sent back with errors) counts as unsaved
   form[data-autosave]     an HTMX form saved a few seconds after typing stops ("autosave" event)
   form[data-confirm]      asks before submitting (and refuses to leave unsaved work behind)
   fieldset[data-items]    a formset: [data-add-item] adds an item from its <template> at once
   table.table-stack       cells get their column's name (data-label) for the phone layout
   details.phone-collapse  open on a wide screen, folded behind its summary on a phone
   input[type=file]        .file-picker shows the chosen file's name in Vietnamese
   every input             the browser's own validation messages, in the page's language

   Texts in Vietnamese or English come from <body data-msg-*> attributes set by base.html. */
(function () {
  "use strict";
  var body = document.body;
  var AUTOSAVE_MS = 3000;
  var submitting = null; // the form whose plain (navigating) submission is under way

  function text(name) {
    return body.getAttribute("data-msg-" + name) || "";
  }

  /* --- unsaved work -------------------------------------------------------------------- */

  function count(form, key) {
    return parseInt(form.dataset[key] || "0", 10);
  }

  function isDirty(form) {
    return form.hasAttribute("data-unsaved") || count(form, "edits") > count(form, "saved");
  }

  function dirtyForms(except) {
    return Array.prototype.filter.call(
      document.querySelectorAll("form[data-guard]"),
      function (form) { return form !== except && isDirty(form); }
    );
  }

  function touched(event) {
    var form = event.target.form || (event.target.closest && event.target.closest("form"));
    if (!form || !form.hasAttribute("data-guard")) return;
    form.dataset.edits = String(count(form, "edits") + 1);
    if (form.hasAttribute("data-autosave")) scheduleAutosave(form);
  }
  document.addEventListener("input", touched);
  document.addEventListener("change", touched);

  window.addEventListener("beforeunload", function (event) {
    if (dirtyForms(submitting).length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.dataset) form.dataset.sending = String(count(form, "edits"));
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.dataset) return;
    if (event.detail.successful) {
      // Only what was sent is saved: typing during the request keeps the form unsaved.
      form.dataset.saved = form.dataset.sending || "0";
      form.removeAttribute("data-unsaved");
    } else if (!event.detail.xhr || !event.detail.xhr.status) {
      announce(text("offline"));
    } else if (event.detail.xhr.status >= 500) {
      announce(text("failed"));
    }
  });
  document.addEventListener("htmx:sendError", function () { announce(text("offline")); });

  function announce(message) {
    var region = document.getElementById("site-alert");
    if (!region || !message) return;
    region.textContent = message;
    region.hidden = false;
  }

  /* --- autosave ------------------------------------------------------------------------ */

  function scheduleAutosave(form) {
    clearTimeout(form._autosave);
    form._autosave = setTimeout(function () { autosave(form); }, AUTOSAVE_MS);
  }

  function autosave(form) {
    // After a conflict the user decides: only the button saves over someone else's text.
    if (!document.body.contains(form) || form.querySelector("[data-conflict]")) return;
    if (isDirty(form) && window.htmx) window.htmx.trigger(form, "autosave");
  }

  /* --- confirmations ------------------------------------------------------------------- */

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var htmxForm = form.hasAttribute("hx-post");
    if (form.hasAttribute("data-confirm")) {
      var pending = htmxForm ? [] : dirtyForms(form);
      if (pending.length) {
        stop(event);
        pending.forEach(function (f) { if (f.hasAttribute("data-autosave")) autosave(f); });
        window.alert(text("unsaved-first"));
        pending[0].scrollIntoView({ block: "center" });
        return;
      }
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        stop(event);
        return;
      }
    }
    clearTimeout(form._autosave);
    if (!htmxForm) submitting = form;
  }, true);

  function stop(event) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  /* --- formset items added in the page ------------------------------------------------- */

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-add-item]");
    if (!button) return;
    var set = button.closest("[data-items]");
    var total = set.querySelector('input[name$="-TOTAL_FORMS"]');
    var index = parseInt(total.value, 10);
    var item = set.querySelector("template[data-item-template]").innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    var list = set.querySelector("[data-item-list]");
    list.insertAdjacentHTML("beforeend", item);
    total.value = String(index + 1);
    var field = list.lastElementChild.querySelector("textarea, input, select");
    if (field) field.focus();
  });

  /* --- tables on a phone --------------------------------------------------------------- */

  function labelTables(root) {
    root.querySelectorAll("table.table-stack").forEach(function (table) {
      var heads = Array.prototype.map.call(
        table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); }
      );
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (!cell.hasAttribute("data-label") && heads[i] && !cell.classList.contains("stack-title")) {
            cell.setAttribute("data-label", heads[i]);
          }
        });
      });
    });
  }

  /* --- file inputs --------------------------------------------------------------------- */

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "file") return;
    var picker = input.closest(".file-picker");
    var name = picker && picker.querySelector("[data-file-name]");
    if (!name) return;
    var files = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    name.textContent = files.length ? files.join(", ") : text("no-file");
  });

  /* --- validation messages in the page's language ------------------------------------- */

  function validationMessage(input) {
    var v = input.validity;
    if (v.valueMissing) return text(input.type === "file" ? "choose-file" : "required");
    if (v.badInput || (v.typeMismatch && input.type === "number")) return text("number");
    if (v.rangeUnderflow) return text("min").replace("%s", input.min);
    if (v.rangeOverflow) return text("max").replace("%s", input.max);
    if (v.stepMismatch) return text("step");
    if (v.tooLong) return text("too-long").replace("%s", input.maxLength);
    if (v.tooShort) return text("too-short").replace("%s", input.minLength);
    if (v.typeMismatch && input.type === "email") return text("email");
    if (v.typeMismatch || v.patternMismatch) return text("pattern");
    return "";
  }

  document.addEventListener("invalid", function (event) {
    var input = event.target;
    input.setCustomValidity("");
    if (!input.validity.valid) input.setCustomValidity(validationMessage(input));
  }, true);
  document.addEventListener("input", function (event) {
    if (event.target.setCustomValidity) event.target.setCustomValidity("");
  }, true);

  /* --- start, and again on what HTMX brings in ------------------------------------------ */

  /* --- long tables folded behind their count on a phone ---------------------------------- */

  function foldOnPhone(root) {
    if (!window.matchMedia("(max-width: 575.98px)").matches) return;
    root.querySelectorAll("details.phone-collapse[open]").forEach(function (details) {
      details.removeAttribute("open");
    });
  }

  function ready(root) {
    labelTables(root);
    foldOnPhone(root);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { ready(document); });
  } else {
    ready(document);
  }
  document.addEventListener("htmx:load", function (event) { ready(event.target); });
})();
