// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function countWords(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  // Live word counts under textareas that carry data-min-words / data-max-words.
  function setUpWordCounts(root) {
    root.querySelectorAll("textarea[data-max-words]").forEach(function (area) {
      if (area.dataset.counted) return;
      area.dataset.counted = "1";
      var min = parseInt(area.dataset.minWords || "0", 10);
      var max = parseInt(area.dataset.maxWords, 10);
      var out = document.createElement("div");
      out.className = "word-count";
      out.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", out);
      function update() {
        var n = countWords(area.value);
        out.textContent = n + " word" + (n === 1 ? "" : "s") + (min ? " (" + min + "–" + max + ")" : " (at most " + max + ")");
        out.classList.toggle("over", n > max || (n > 0 && n < min));
      }
      area.addEventListener("input", update);
      update();
    });
  }

  // Sections that matter only after a "Yes" (funding, access to officials, existing work).
  function setUpConditionals() {
    document.querySelectorAll("[data-shown-when]").forEach(function (section) {
      var name = section.dataset.shownWhen;
      var radios = document.querySelectorAll('input[type=radio][name="' + name + '"]');
      function update() {
        var yes = document.querySelector('input[type=radio][name="' + name + '"][value="yes"]');
        section.hidden = !(yes && yes.checked);
      }
      radios.forEach(function (r) { r.addEventListener("change", update); });
      update();
    });
  }

  // "Add another author": clones the empty author form Django renders inside a <template>.
  function setUpAuthors() {
    var button = document.getElementById("add-author");
    var template = document.getElementById("author-template");
    var list = document.getElementById("author-list");
    if (!button || !template || !list) return;
    var total = document.getElementById("id_authors-TOTAL_FORMS");
    var max = parseInt(document.getElementById("id_authors-MAX_NUM_FORMS").value, 10);
    button.hidden = false;
    function refresh() {
      button.disabled = parseInt(total.value, 10) >= max;
    }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (index >= max) return;
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
      list.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = list.lastElementChild;
      setUpWordCounts(added);
      var first = added.querySelector("input");
      if (first) first.focus();
      refresh();
    });
    refresh();
  }

  // After a failed submit, start at the summary of what to correct (screen readers announce it, too).
  function focusErrorSummary() {
    var summary = document.querySelector(".form-errors-summary");
    if (summary) summary.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    setUpWordCounts(document);
    setUpConditionals();
    setUpAuthors();
  });
})();
