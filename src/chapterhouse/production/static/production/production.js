// Progressive enhancement of the production pages; each works without it (buttons, reloading).
(function () {
  "use strict";

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // Drag a chapter within its part; the new order is saved at once (the Move buttons do the same without JS).
  function setUpOrdering(list) {
    var dragged = null;
    var status = document.getElementById("order-status");
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest(".chapter-row");
      if (!dragged) return;
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.chapter);
    });
    list.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      var over = event.target.closest(".chapter-row");
      if (!over || over === dragged || over.parentNode !== list) return;
      var box = over.getBoundingClientRect();
      list.insertBefore(dragged, event.clientY > box.top + box.height / 2 ? over.nextSibling : over);
    });
    list.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("dragging");
      dragged = null;
      var ids = Array.prototype.map.call(list.querySelectorAll(".chapter-row"), function (row) { return row.dataset.chapter; });
      var body = new URLSearchParams({ order: ids.join(","), csrfmiddlewaretoken: csrfToken() });
      fetch(list.dataset.orderUrl, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (status) status.textContent = response.ok ? "Chapter order saved." : "The order could not be saved; reload the page.";
          if (response.ok) window.location.reload();
        });
    });
  }

  // Follow a running build: its state, stage and count (so "Queued" never sits beside a count), then reload
  // when it is done.
  function followBuild(panel) {
    if (panel.dataset.done === "1") return;
    var state = document.getElementById("build-state");
    var step = document.getElementById("build-step");
    var bar = document.getElementById("build-progress");
    function poll() {
      fetch(panel.dataset.progressUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        if (data.done) { window.location.reload(); return; }
        if (state && data.label) { state.textContent = data.label; state.className = "status status-" + data.status; }
        var p = data.progress || {};
        if (p.stage && step) step.textContent = p.stage + ": " + p.done + " of " + p.total;
        if (bar && p.total) { bar.max = p.total; bar.value = p.done; }
        window.setTimeout(poll, 1500);
      }).catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  }

  document.querySelectorAll(".chapter-order").forEach(function (list) {
    if (list.querySelector("[draggable=true]")) setUpOrdering(list);
  });
  var panel = document.getElementById("build-status");
  if (panel) followBuild(panel);
})();
