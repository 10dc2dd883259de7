/* 生物医学新技术公示库: apply the reader's large-text choice before the page is drawn (no flash).
   Loaded in <head>; registry.js wires the 大字 button that changes it. */
(function () {
  "use strict";
  try {
    if (window.localStorage.getItem("reg-large") === "1") {
      document.documentElement.classList.add("reg-large");
    }
  } catch (e) { /* storage disabled: normal text size */ }
})();
