/* Loaded synchronously in <head>: apply the remembered theme before the first paint (no flash). */
(function () {
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var theme = window.localStorage.getItem("certprep-theme");
    if (theme === "light" || theme === "dark") {
      root.setAttribute("data-theme", theme);
    }
  } catch (e) {
    /* storage blocked: follow the system */
  }
})();
