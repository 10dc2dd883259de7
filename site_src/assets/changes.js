/* 变更记录 (/changes/): filter the changes by what changed and by record kind; 订阅 (/subscribe/):
   copy a feed's address. The page carries the data: each change is a .reg-item with data-change
   and data-kind, and each <select name="x"> offers the values the page holds; the script only
   compares them. Without it the form stays hidden and every change is shown. No dependencies. */
(function () {
  "use strict";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function setupFilter(form) {
    var selects = form.querySelectorAll("select[name]");
    var total = form.querySelector("[data-total]");
    var sections = document.querySelectorAll("[data-month]");
    function apply() {
      var want = [];
      each(selects, function (s) { if (s.value) want.push(s); });
      var shown = 0;
      each(sections, function (section) {
        var count = 0;
        each(section.querySelectorAll(".reg-change"), function (entry) {
          var items = entry.querySelectorAll(".reg-item");
          var visible = 0;
          each(items, function (item) {
            var ok = want.every(function (s) { return item.getAttribute("data-" + s.name) === s.value; });
            item.hidden = !ok;
            if (ok) visible++;
          });
          entry.hidden = want.length > 0 && visible === 0;
          count += visible;
        });
        section.querySelector("[data-count]").textContent = count;
        section.hidden = count === 0;  // a month with nothing of the kind chosen is left out
        shown += count;
      });
      if (total) total.textContent = shown;
      var query = want.map(function (s) { return s.name + "=" + encodeURIComponent(s.value); }).join("&");
      if (window.history.replaceState) {
        window.history.replaceState(null, "", (query ? "?" + query : location.pathname) + location.hash);
      }
    }
    // a filtered address can be shared: ?change=suspend&kind=approved
    new URLSearchParams(location.search).forEach(function (value, name) {
      var s = form.elements[name];
      if (s && s.tagName === "SELECT" && s.querySelector('option[value="' + CSS.escape(value) + '"]')) s.value = value;
    });
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function setupCopy(field) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "reg-copy";
    button.textContent = "复制";
    button.setAttribute("aria-label", "复制地址：" + field.value);
    button.addEventListener("click", function () {
      field.select();
      var done = function () { button.textContent = "已复制"; };
      if (navigator.clipboard) navigator.clipboard.writeText(field.value).then(done, function () {});
      else if (document.execCommand("copy")) done();
    });
    field.insertAdjacentElement("afterend", button);
  }

  var form = document.getElementById("reg-change-filter");
  if (form) setupFilter(form);
  each(document.querySelectorAll("input[data-copy]"), setupCopy);
})();
