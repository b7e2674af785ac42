// Applies the remembered theme before the first paint, so the page never flashes the wrong colours.
// A file of its own, not an inline script: the platform's Content-Security-Policy allows no inline
// script (template.yaml, SecurityHeaders).
(function () {
  try {
    var stored = localStorage.getItem("pk.theme");
    var dark = stored === "dark" || ((!stored || stored === "system") && window.matchMedia("(prefers-color-scheme: dark)").matches);
    if (dark) document.documentElement.classList.add("dark");
  } catch {
    // storage unavailable: the light theme until the app starts
  }
})();
