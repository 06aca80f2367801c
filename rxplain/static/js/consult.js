/* The consultation page: countdown clock, HTMX niceties, print button. The page works without this file. */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The clock counts down from the seconds the server rendered (not the device's clock, which may be wrong).
  // It updates an aria-live="off" element every second and announces politely only at 5 and 1 minutes left.
  function startClock() {
    var clock = document.getElementById("clock");
    if (!clock || clock.dataset.running) { return; }
    clock.dataset.running = "1";
    var left = parseInt(clock.dataset.secondsLeft, 10) || 0;
    var endAt = Date.now() + left * 1000;
    var announce = document.getElementById("clock-announce");
    var box = clock.closest(".clock");
    var said5 = left <= 300, said1 = left <= 60;
    var end = document.querySelector(".clock-end time");
    if (end) {
      end.textContent = new Date(endAt).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
    }
    if (box && left <= 300) { box.classList.add("clock-low"); }
    var timer;
    function tick() {
      if (!document.body.contains(clock)) { clearInterval(timer); return; }
      var s = Math.max(0, Math.ceil((endAt - Date.now()) / 1000));
      clock.textContent = Math.floor(s / 60) + ":" + pad(s % 60);
      if (!said5 && s <= 300) {
        said5 = true;
        if (box) { box.classList.add("clock-low"); }
        if (announce) { announce.textContent = "5 minutes left in your consultation."; }
      }
      if (!said1 && s <= 60) {
        said1 = true;
        if (announce) { announce.textContent = "1 minute left. Your consultation will close soon and you will get a summary."; }
      }
      if (s === 0) {
        clearInterval(timer);
        // A moment's grace for clock drift; the server then closes the visit and shows the summary.
        setTimeout(function () { window.location.assign(clock.dataset.visitUrl); }, 1500);
      }
    }
    tick();
    timer = setInterval(tick, 1000);
  }

  function showError(text) {
    var region = document.getElementById("consult-error");
    if (!region) { return; }
    region.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    region.appendChild(p);
  }

  function clearError() {
    var region = document.getElementById("consult-error");
    if (region) { region.textContent = ""; }
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.id !== "ask") { return; }
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 200 && !xhr.getResponseHeader("HX-Retarget")) {
      form.reset();
      clearError();
    }
  });

  // New messages are appended to the log; bring the first of them (the patient's question) into view.
  var before = 0;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    before = target && target.id === "transcript" ? target.children.length : 0;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "transcript") {
      var first = target.children[before];
      if (first && first.scrollIntoView) { first.scrollIntoView({ block: "start" }); }
    }
    var emergency = document.getElementById("emergency");
    if (emergency && emergency.getAttribute("role") === "alert") { emergency.focus(); }
  });

  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.elt && event.detail.elt.id === "ask") {
      showError("Something went wrong sending your message. It may have been saved; please reload the page before trying again.");
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    if (event.detail.elt && event.detail.elt.id === "ask") {
      showError("Your message could not be sent: the connection seems to be down. Please try again.");
    }
  });

  // Ctrl+Enter (or Cmd+Enter) sends; Enter alone makes a new line, as in any text box.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.id === "ask-text") {
      var form = event.target.form;
      if (form && form.requestSubmit) { event.preventDefault(); form.requestSubmit(); }
    }
  });

  function init() {
    startClock();
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
