/* certprep exam runner: sends the runner's forms one at a time and swaps in what the server stored.
 *
 * Without this file every button is a plain form POST and the page reloads; with it the same POST
 * goes out with the X-Certprep-Runner header and the server answers with the runner's fragment
 * (or X-Certprep-Location for another page). Nothing is kept in the browser: a choice shows as
 * saved only when the server's answer says so. Writes go out in order, each with the attempt
 * version of the latest answer, so a quick "answer then next" never trips the two-tab check.
 *
 * Also: the countdown from the server's seconds_left (on 0 the page reloads and the server
 * submits), keyboard shortcuts (1-9 / A-E choose, K check in practice, F flag, N next, P previous), drag and drop for
 * ordering questions (the Up / Down / Add / Not used buttons do the same from the keyboard).
 */
(function () {
  "use strict";

  var RUNNER_HEADER = "X-Certprep-Runner";
  var LOCATION_HEADER = "X-Certprep-Location";
  var queue = Promise.resolve();
  var pending = 0;
  var leaving = false; /* the server sent this page elsewhere: nothing of it is left to save */
  var timerHandle = null;

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  function announce(text) {
    var region = byId("runner-status");
    if (!region || !text) {
      return;
    }
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  /* --- the countdown ------------------------------------------------------------------------ */

  function formatSeconds(total) {
    var h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    var mm = (h && m < 10 ? "0" : "") + m;
    return (h ? h + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
  }

  function startTimer() {
    if (timerHandle) {
      window.clearInterval(timerHandle);
      timerHandle = null;
    }
    var el = document.querySelector("[data-seconds-left]");
    if (!el || el.hasAttribute("data-paused")) {
      return;
    }
    var end = Date.now() + Number(el.getAttribute("data-seconds-left")) * 1000;
    var last = null;
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      el.textContent = formatSeconds(left);
      var box = el.closest(".timer");
      if (box && left < 300) {
        box.classList.add("timer-low");
      }
      if (last !== null) {
        if (last > 300 && left <= 300) {
          announce("5 minutes left.");
        } else if (last > 60 && left <= 60) {
          announce("1 minute left.");
        }
      }
      last = left;
      if (left <= 0) {
        window.clearInterval(timerHandle);
        timerHandle = null;
        /* The deadline is the server's: reloading lets it submit the attempt and show the report. */
        window.setTimeout(function () {
          window.location.reload();
        }, 1000);
      }
    }
    tick();
    timerHandle = window.setInterval(tick, 1000);
  }

  /* --- sending the runner's forms in order ----------------------------------------------------- */

  function setBusy(busy) {
    var runner = byId("runner");
    if (runner) {
      runner.setAttribute("aria-busy", busy ? "true" : "false");
      runner.classList.toggle("saving", busy);
    }
  }

  function focusAfterSwap(runner, hint, previous) {
    var candidates = [];
    if (hint) {
      candidates.push(hint);
      var step = /^step-(\d+)-/.exec(hint);
      if (step) {
        ["up", "down", "remove", "add"].forEach(function (op) {
          candidates.push("step-" + step[1] + "-" + op);
        });
      }
    }
    if (previous) {
      candidates.push(previous);
    }
    for (var i = 0; i < candidates.length; i++) {
      var el = byId(candidates[i]);
      if (el && !el.disabled && runner.contains(el)) {
        el.focus();
        return;
      }
    }
  }

  function swap(html, previousFocus) {
    var old = byId("runner");
    if (!old) {
      window.location.reload();
      return;
    }
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var fresh = holder.content.querySelector("#runner");
    if (!fresh) {
      window.location.reload();
      return;
    }
    old.replaceWith(fresh);
    if (window.htmx) {
      window.htmx.process(fresh); /* the "report a problem" form posts through htmx */
    }
    focusAfterSwap(fresh, fresh.getAttribute("data-focus"), previousFocus);
    announce(fresh.getAttribute("data-message"));
    initDrag();
    startTimer();
  }

  function headers(data) {
    var out = { Accept: "text/html", "X-CSRF-Token": data.get("csrf_token") || "" };
    out[RUNNER_HEADER] = "1";
    return out;
  }

  function send(action, data, previousFocus) {
    /* The version to act on is the latest one the server gave this page, not the one the form had
       when the click happened: earlier writes of this page may have moved it on. */
    var current = document.querySelector("#question-form input[name=expected_version]");
    if (current) {
      data.set("expected_version", current.value);
    }
    setBusy(true);
    return window
      .fetch(action, {
        method: "POST",
        body: new URLSearchParams(data),
        credentials: "same-origin",
        headers: headers(data),
      })
      .then(function (response) {
        var next = response.headers.get(LOCATION_HEADER);
        if (next) {
          queue = new Promise(function () {}); /* nothing more from this page: another one loads */
          leaving = true;
          window.location.assign(next);
          return null;
        }
        var type = response.headers.get("content-type") || "";
        if (type.indexOf("text/html") === -1) {
          throw new Error("unexpected answer " + response.status);
        }
        return response.text().then(function (html) {
          swap(html, previousFocus);
        });
      })
      .catch(function () {
        announce("Not saved: the server did not answer. Check your connection and try again.");
        var state = byId("answer-state");
        if (state) {
          state.textContent = "Not saved: the server did not answer. Try again.";
          state.classList.add("field-error");
        }
      })
      .then(function () {
        pending -= 1;
        setBusy(pending > 0);
      });
  }

  function enqueue(form, data) {
    var action = form.getAttribute("action");
    var previousFocus = document.activeElement && document.activeElement.id;
    pending += 1;
    setBusy(true);
    queue = queue.then(function () {
      return send(action, data, previousFocus);
    });
  }

  function formData(form, submitter, doValue) {
    var data = submitter ? new FormData(form, submitter) : new FormData(form);
    if (doValue) {
      data.set("do", doValue);
    }
    return data;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-runner-form")) {
      return;
    }
    event.preventDefault();
    enqueue(form, formData(form, event.submitter, event.submitter ? null : "save"));
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    var form = input && input.form;
    if (!form || !form.hasAttribute("data-runner-form")) {
      return;
    }
    if (input.matches("input[type=radio], input[type=checkbox], select")) {
      enqueue(form, formData(form, null, "save"));
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (pending > 0 && !leaving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  /* --- keyboard shortcuts ---------------------------------------------------------------------- */

  function isTyping(el) {
    if (!el || !el.tagName) {
      return false;
    }
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") {
      return true;
    }
    if (el.tagName === "INPUT") {
      return ["radio", "checkbox", "button", "submit", "reset"].indexOf(el.type) === -1;
    }
    return false;
  }

  function clickIfEnabled(id) {
    var el = byId(id);
    if (el && !el.disabled) {
      el.click();
      return true;
    }
    return false;
  }

  function choose(index) {
    var runner = byId("runner");
    var choice = byId("choice-" + index);
    if (choice && runner.contains(choice)) {
      if (choice.type === "checkbox" || !choice.checked) {
        choice.click();
      }
      return true;
    }
    if (clickIfEnabled("step-" + index + "-add")) {
      return true;
    }
    var select = byId("match-" + index);
    if (select) {
      select.focus();
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || !byId("runner")) {
      return;
    }
    var target = event.target;
    if (isTyping(target) || (target.closest && target.closest(".report-problem"))) {
      return;
    }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    var done = false;
    if (/^[1-9]$/.test(key)) {
      done = choose(Number(key) - 1);
    } else if (/^[a-e]$/.test(key)) {
      done = choose(key.charCodeAt(0) - 97);
    } else if (key === "k") {
      done = clickIfEnabled("btn-check");
    } else if (key === "f") {
      done = clickIfEnabled("btn-flag");
    } else if (key === "n") {
      done = clickIfEnabled("btn-next");
    } else if (key === "p") {
      done = clickIfEnabled("btn-prev");
    }
    if (done) {
      event.preventDefault();
    }
  });

  /* --- drag and drop for ordering questions ----------------------------------------------------- */

  var dragged = null;

  function rebuildOrder(form) {
    form.querySelectorAll("input[name=order]").forEach(function (input) {
      input.remove();
    });
    var list = form.querySelector(".order-list");
    list.querySelectorAll("li.step").forEach(function (item) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "order";
      input.value = item.getAttribute("data-step");
      item.appendChild(input);
    });
  }

  function dropTarget(list, y) {
    var items = Array.prototype.slice.call(list.querySelectorAll("li.step")).filter(function (item) {
      return item !== dragged;
    });
    for (var i = 0; i < items.length; i++) {
      var box = items[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) {
        return items[i];
      }
    }
    return null;
  }

  function initDrag() {
    var form = byId("question-form");
    if (!form || !form.querySelector(".order-list")) {
      return;
    }
    form.querySelectorAll("li.step").forEach(function (item) {
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.getAttribute("data-step"));
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("dragging");
        dragged = null;
      });
    });
    form.querySelectorAll(".order-list, .pool-list").forEach(function (list) {
      list.addEventListener("dragover", function (event) {
        if (dragged) {
          event.preventDefault();
          event.dataTransfer.dropEffect = "move";
          list.classList.add("drop-here");
        }
      });
      list.addEventListener("dragleave", function () {
        list.classList.remove("drop-here");
      });
      list.addEventListener("drop", function (event) {
        list.classList.remove("drop-here");
        if (!dragged) {
          return;
        }
        event.preventDefault();
        var before = dropTarget(list, event.clientY);
        var empty = list.querySelector(".empty-zone");
        if (empty) {
          empty.remove();
        }
        list.insertBefore(dragged, before);
        rebuildOrder(form);
        dragged.classList.remove("dragging");
        dragged = null;
        enqueue(form, formData(form, null, "save"));
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    startTimer();
    initDrag();
  });
})();
