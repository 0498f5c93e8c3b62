// The 1:1 page: warn before leaving it with note text that is not saved yet.
//
// The notes autosave through htmx (forms marked data-autosave). A textarea is
// "dirty" from the moment it is typed in until a save of exactly that text
// succeeds: the server answers X-Autosave: saved, or conflict/invalid when it
// kept nothing (then the text is still only in this page, so leaving warns).
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var dirty = new Set();

  function autosaveForm(element) {
    return element && element.closest ? element.closest("form[data-autosave]") : null;
  }

  document.addEventListener("input", function (event) {
    var form = autosaveForm(event.target);
    if (form && event.target instanceof HTMLTextAreaElement) {
      dirty.add(event.target);
    }
  });

  // What each autosave request sent, to compare with the textarea when it answers.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (form && form === event.detail.elt) {
      form.querySelectorAll("textarea").forEach(function (area) {
        area.dataset.sentValue = area.value;
      });
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form || form !== event.detail.elt || !event.detail.successful) {
      return;
    }
    if (event.detail.xhr.getResponseHeader("X-Autosave") !== "saved") {
      return;
    }
    form.querySelectorAll("textarea").forEach(function (area) {
      // Typing that went on while the request was out is still unsaved.
      if (area.value === area.dataset.sentValue) {
        dirty.delete(area);
      }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    var unsaved = Array.from(dirty).some(function (area) {
      return document.body.contains(area);
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
