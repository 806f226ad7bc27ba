/* certprep: the little JavaScript the pages use. Everything works without it, except the theme toggle. */
(function () {
  "use strict";
  var KEY = "certprep-theme";

  function currentChoice() {
    try {
      var theme = window.localStorage.getItem(KEY);
      return theme === "light" || theme === "dark" ? theme : "system";
    } catch (e) {
      return "system";
    }
  }

  function applyTheme(choice) {
    var root = document.documentElement;
    if (choice === "light" || choice === "dark") {
      root.setAttribute("data-theme", choice);
    } else {
      root.removeAttribute("data-theme");
    }
    try {
      if (choice === "system") {
        window.localStorage.removeItem(KEY);
      } else {
        window.localStorage.setItem(KEY, choice);
      }
    } catch (e) {
      /* storage blocked: the choice lasts for this page only */
    }
    document.querySelectorAll("[data-theme-choice]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-theme-choice") === choice));
    });
  }

  /* Phone width: the header's navigation and tools fold behind the Menu button (CSS shows it). */
  function initMenu() {
    var button = document.getElementById("menu-button");
    var header = button && button.closest(".site-header");
    if (!header) {
      return;
    }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      header.classList.toggle("menu-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        button.setAttribute("aria-expanded", "false");
        header.classList.remove("menu-open");
        button.focus();
      }
    });
  }

  /* Times: the server writes <time datetime="...Z" data-local>YYYY-MM-DD HH:MM UTC</time>; show them
     in the browser's own time zone, in the same shape ("2026-11-25 21:00 GMT+9"), the UTC text kept
     as the title. Without script (or Intl) the UTC text stays. */
  var localFormat = null;
  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function localTimes(root) {
    if (!window.Intl || !Intl.DateTimeFormat || !root || !root.querySelectorAll) {
      return;
    }
    if (localFormat === null) {
      localFormat = new Intl.DateTimeFormat(undefined, { timeZoneName: "short" });
    }
    root.querySelectorAll("time[datetime][data-local]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) {
        return;
      }
      var zone = "";
      localFormat.formatToParts(when).forEach(function (part) {
        if (part.type === "timeZoneName") {
          zone = part.value;
        }
      });
      var text = when.getFullYear() + "-" + two(when.getMonth() + 1) + "-" + two(when.getDate()) + " " +
        two(when.getHours()) + ":" + two(when.getMinutes()) + (zone ? " " + zone : "");
      if (!el.hasAttribute("title")) {
        el.setAttribute("title", el.textContent);
      }
      el.textContent = text;
      el.removeAttribute("data-local");
      el.setAttribute("data-localized", "");
    });
  }
  window.certprepLocalTimes = localTimes;

  document.addEventListener("DOMContentLoaded", function () {
    initMenu();
    localTimes(document);
    var choice = currentChoice();
    document.querySelectorAll("[data-theme-choice]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-theme-choice") === choice));
      button.addEventListener("click", function () {
        applyTheme(button.getAttribute("data-theme-choice"));
      });
    });
  });

  /* After htmx swaps in a message (a filed report, form errors), move focus to it for screen readers. */
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    localTimes(target);
    var focusable = target && target.querySelector ? target.querySelector("[data-focus-after-swap]") : null;
    if (!focusable && target && target.hasAttribute && target.hasAttribute("data-focus-after-swap")) {
      focusable = target;
    }
    if (focusable) {
      focusable.focus();
    }
  });
})();
