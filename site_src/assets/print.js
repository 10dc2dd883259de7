/* Record pages (issue 26): print with everything folded opened, and copy the citation.
   Printing: CSS cannot open a <details>, so every folded part of a record page (the legal
   reasoning, an upcoming conditions version) opens before printing and closes again after; the
   earlier versions stay as they are (their full texts are hidden in print).
   Citing: the citation line is text on the page (copied by hand without this script); the button
   copies it, absolute address and data version included, with the reader's access date. */
(function () {
  "use strict";

  var opened = [];

  function openForPrint() {
    opened = [];
    document.querySelectorAll(".reg-record details:not([open])").forEach(function (d) {
      if (d.closest(".reg-versions")) return;
      d.open = true;
      opened.push(d);
    });
  }

  function closeAfterPrint() {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  }

  function copyByHand(node) {
    // http:// sites have no clipboard API: select the line so that Ctrl C copies it
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  function setupCopy(button) {
    var line = button.closest(".reg-citation");
    var text = line && line.querySelector("[data-reg-cite-text]");
    var status = line && line.querySelector(".reg-copy-status");
    if (!text) return;
    function say(message) { if (status) status.textContent = message; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var value = text.textContent.replace(/\s+/g, " ").trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(value).then(
          function () { say("已复制"); },
          function () { say(copyByHand(text) ? "已复制" : "请按 Ctrl+C 复制已选中的引用"); }
        );
      } else {
        say(copyByHand(text) ? "已复制" : "请按 Ctrl+C 复制已选中的引用");
      }
    });
  }

  function init() {
    document.querySelectorAll("[data-reg-copy]").forEach(setupCopy);
  }

  window.addEventListener("beforeprint", openForPrint);
  window.addEventListener("afterprint", closeAfterPrint);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
