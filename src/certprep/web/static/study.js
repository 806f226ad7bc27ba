/* certprep study pages: keyboard for the flashcard review, ordering moves without a round trip,
 * the Print button, and lessons printed with their answers open.
 *
 * Every action stays a plain form POST that the server stores before the next page shows it;
 * without this file the pages still work (the answer opens with its <details>, Up / Down post the
 * form and the server shows the new order).
 */
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("study-status");
    if (!region) {
      return;
    }
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function typing(target) {
    if (!target || !target.closest) {
      return false;
    }
    if (target.matches && target.matches("[data-reveal] > summary")) {
      return false; /* "Show answer" keeps the focus after a click: 1-4 must still rate */
    }
    return Boolean(target.isContentEditable || target.closest("input, select, textarea, button, a, summary, [role=button]"));
  }

  /* --- flashcards: Space / Enter shows the answer, 1-4 rate ---------------------------------- */

  function reveal(details) {
    details.open = true;
    var back = document.getElementById("card-back");
    if (back) {
      back.focus();
    }
    announce("Answer shown. Rate it: 1 Again, 2 Hard, 3 Good, 4 Easy.");
  }

  function onReviewKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) {
      return;
    }
    var undo = document.getElementById("undo-button");
    if (undo && (event.key === "u" || event.key === "U")) {
      event.preventDefault();
      undo.click();
      return;
    }
    var details = document.querySelector("[data-reveal]");
    if (!details) {
      return;
    }
    if (!details.open) {
      if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        reveal(details);
      }
      return;
    }
    if (/^[1-4]$/.test(event.key)) {
      var button = details.querySelector('button[data-rating="' + event.key + '"]');
      if (button && !button.disabled) {
        event.preventDefault();
        button.click();
      }
    }
  }

  /* Only one rating goes out: a second key press while the page changes would be a stale version. */
  function onRatingSubmit(event) {
    var form = event.target;
    if (!form || form.id !== "rating-form") {
      return;
    }
    if (form.getAttribute("data-sent")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sent", "1");
  }

  /* --- ordering: Up / Down move the step here instead of posting the form --------------------- */

  function refreshOrder(list) {
    var steps = list.querySelectorAll("li.step");
    steps.forEach(function (step, index) {
      var up = step.querySelector('[data-move="up"]');
      var down = step.querySelector('[data-move="down"]');
      if (up) {
        up.disabled = index === 0;
      }
      if (down) {
        down.disabled = index === steps.length - 1;
      }
      var number = step.querySelector("[data-position]");
      if (number) {
        number.textContent = String(index + 1);
      }
    });
  }

  function onMove(event) {
    var button = event.target.closest ? event.target.closest("[data-move]") : null;
    if (!button) {
      return;
    }
    var step = button.closest("li.step");
    var list = step ? step.closest("[data-order-list]") : null;
    if (!list) {
      return;
    }
    event.preventDefault();
    var up = button.getAttribute("data-move") === "up";
    var sibling = up ? step.previousElementSibling : step.nextElementSibling;
    if (!sibling) {
      return;
    }
    if (up) {
      list.insertBefore(step, sibling);
    } else {
      list.insertBefore(sibling, step);
    }
    refreshOrder(list);
    var again = step.querySelector('[data-move="' + (up ? "up" : "down") + '"]');
    (again && !again.disabled ? again : button.parentNode.querySelector("[data-move]:not([disabled])") || button).focus();
    var position = Array.prototype.indexOf.call(list.children, step) + 1;
    var text = step.querySelector(".step-text");
    var label = text ? text.textContent.trim().replace(/^\d+\s*/, "") : "Step";
    announce(label + ": now step " + position + ".");
  }

  /* --- printing ------------------------------------------------------------------------------- */

  var closedForPrint = [];

  function beforePrint() {
    /* On paper nothing can be clicked open: print the exercises' answers. */
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll(".prose details"), function (d) {
      return !d.open;
    });
    closedForPrint.forEach(function (d) {
      d.open = true;
    });
  }

  function afterPrint() {
    closedForPrint.forEach(function (d) {
      d.open = false;
    });
    closedForPrint = [];
  }

  /* --- set-up --------------------------------------------------------------------------------- */

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
    /* Wide tables from lessons and cheat sheets scroll inside themselves at phone width. */
    document.querySelectorAll(".prose table").forEach(function (table) {
      if (!table.parentNode.classList.contains("table-wrap")) {
        var wrap = document.createElement("div");
        wrap.className = "table-wrap";
        table.parentNode.insertBefore(wrap, table);
        wrap.appendChild(table);
      }
    });
    var card = document.getElementById("review-card");
    var focus = card && card.getAttribute("data-focus");
    var target = (focus && document.getElementById(focus)) || document.querySelector("[data-autofocus]");
    if (target && target.disabled) {
      target = target.parentNode.querySelector("[data-move]:not([disabled])");
    }
    if (target) {
      target.focus();
    }
  });

  /* Back to a page kept in the browser's memory: its rating form may be sent again. */
  window.addEventListener("pageshow", function () {
    var form = document.getElementById("rating-form");
    if (form) {
      form.removeAttribute("data-sent");
    }
  });

  /* However the answer is opened (key, click, Tab + Enter), the focus moves to it. */
  document.addEventListener(
    "toggle",
    function (event) {
      var details = event.target;
      if (details && details.matches && details.matches("[data-reveal]") && details.open) {
        var back = document.getElementById("card-back");
        if (back && !back.contains(document.activeElement)) {
          back.focus();
        }
      }
    },
    true
  );
  document.addEventListener("keydown", onReviewKey);
  document.addEventListener("submit", onRatingSubmit);
  document.addEventListener("click", onMove);
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
})();
