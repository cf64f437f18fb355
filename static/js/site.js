/* TalentVisa site behaviour. Loaded with `defer`; no inline handlers anywhere (CSP-friendly).
   Everything here is an enhancement: pages work without it. */
(function () {
  "use strict";

  function browserTimezone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return "";
    }
  }

  /* Signup: fill hidden timezone inputs with the browser's zone. */
  function fillTimezones(root) {
    var tz = browserTimezone();
    if (!tz) return;
    root.querySelectorAll("input[data-detect-timezone]").forEach(function (input) {
      if (!input.value) input.value = tz;
    });
  }

  /* Anonymous visitors: remember the browser's zone in the tz cookie (validated by the server
     against the zone list). A page that showed times in another zone because it did not know
     ([data-viewer-tz-auto]) is loaded again once, in the browser's zone. */
  function rememberTimezone() {
    var tz = browserTimezone();
    /* Zone names are cookie-safe as they are (the server does not URL-decode cookies). */
    if (!/^[A-Za-z0-9_+\/-]+$/.test(tz) || /(?:^|; )tz=/.test(document.cookie)) return;
    document.cookie = "tz=" + tz + "; path=/; max-age=31536000; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
    var shown = document.querySelector("[data-viewer-tz-auto]");
    if (shown && shown.getAttribute("data-viewer-tz-auto") !== tz) location.reload();
  }

  /* Directory: the filter card is a <details>, closed on a phone; open it on wider screens. */
  function openFiltersOnWideScreens() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 640px)").matches) return;
    document.querySelectorAll("details[data-filters]").forEach(function (d) { d.open = true; });
  }

  /* Profile: offer "Use my browser's timezone (X)" when it differs from the selected one. */
  function offerTimezone(root) {
    var tz = browserTimezone();
    root.querySelectorAll("[data-timezone-suggest]").forEach(function (button) {
      var select = document.getElementById(button.getAttribute("data-timezone-suggest"));
      if (!tz || !select || select.value === tz) return;
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === tz; });
      if (!known) return;
      var label = button.querySelector("[data-timezone-name]");
      if (label) label.textContent = tz.replace(/_/g, " ");
      button.hidden = false;
      button.addEventListener("click", function () {
        select.value = tz;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        button.hidden = true;
        select.focus();
      });
    });
  }

  /* Flash messages: reveal and wire the dismiss buttons. */
  function wireDismiss(root) {
    root.querySelectorAll("[data-message] [data-dismiss]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var message = button.closest("[data-message]");
        if (message) message.remove();
      });
    });
  }

  /* Phone menu (<details data-menu>): close on Escape, outside click, or choosing a link. */
  function wireMenus() {
    var menus = document.querySelectorAll("details[data-menu]");
    if (!menus.length) return;
    function sync(menu) {
      var summary = menu.querySelector("summary");
      if (summary) summary.setAttribute("aria-expanded", menu.open ? "true" : "false");
    }
    menus.forEach(function (menu) {
      sync(menu);
      menu.addEventListener("toggle", function () { sync(menu); });
      menu.querySelectorAll("a").forEach(function (a) {
        a.addEventListener("click", function () { menu.open = false; });
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      menus.forEach(function (menu) {
        if (menu.open) {
          menu.open = false;
          var summary = menu.querySelector("summary");
          if (summary) summary.focus();
        }
      });
    });
    document.addEventListener("click", function (event) {
      menus.forEach(function (menu) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
  }

  /* Buttons with data-confirm="Question?" ask before submitting (e.g. removing an email). */
  function wireConfirm(root) {
    root.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }

  /* Review deadline countdowns: <span data-countdown="ISO UTC instant">server text</span>, refreshed each minute. */
  function wireCountdowns(root) {
    var els = root.querySelectorAll("[data-countdown]");
    if (!els.length) return;
    function tick() {
      els.forEach(function (el) {
        var left = Date.parse(el.getAttribute("data-countdown")) - Date.now();
        if (isNaN(left)) return;
        if (left <= 0) { el.textContent = "the review window has closed"; return; }
        var minutes = Math.floor(left / 60000), days = Math.floor(minutes / 1440);
        var hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60;
        el.textContent = days > 0
          ? days + (days === 1 ? " day " : " days ") + hours + (hours === 1 ? " hour" : " hours") + " left"
          : hours + " h " + mins + " min left";
      });
    }
    tick();
    window.setInterval(tick, 60000);
  }

  function init(root) {
    wireCountdowns(root);
    fillTimezones(root);
    offerTimezone(root);
    wireDismiss(root);
    wireConfirm(root);
  }

  function ready() {
    rememberTimezone();
    openFiltersOnWideScreens();
    init(document);
    wireMenus();
    /* A booking message was sent (HX-Trigger: thread:sent): clear the form; the focus stays where it was. */
    document.body.addEventListener("thread:sent", function () {
      document.querySelectorAll("form[data-thread-form]").forEach(function (form) { form.reset(); });
    });
    /* Content swapped in by htmx gets the same treatment. */
    document.body.addEventListener("htmx:load", function (event) {
      if (event.target && event.target !== document.body) init(event.target);
    });
    /* After a swap the control that triggered it is usually gone: rather than letting focus fall
       to <body>, move it to the swapped block's [data-focus-on-swap] element (e.g. the times
       heading after a date is chosen), unless htmx kept focus on an element with the same id. */
    document.body.addEventListener("htmx:afterSettle", function (event) {
      var active = document.activeElement;
      if (active && active !== document.body && document.body.contains(active)) return;
      var root = event.detail && event.detail.elt;
      if (!root || !document.body.contains(root)) root = document;
      var target = root.querySelector("[data-focus-on-swap]") || document.querySelector("[data-focus-on-swap]");
      if (target) target.focus({ preventScroll: false });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
