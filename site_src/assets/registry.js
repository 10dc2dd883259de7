/* 生物医学新技术公示库: sortable tables, list filters, print button, large text, search on demand.
   No dependencies. */
(function () {
  "use strict";

  function cellKey(row, index) {
    var cell = row.cells[index];
    return cell ? (cell.getAttribute("data-key") || cell.textContent || "") : "";
  }

  function sortTable(table, th) {
    var headers = Array.prototype.slice.call(th.parentNode.children);
    var index = headers.indexOf(th);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var collator = new Intl.Collator("zh-Hans-CN", { numeric: true });
    rows.sort(function (a, b) {
      var r = collator.compare(cellKey(a, index), cellKey(b, index));
      return ascending ? r : -r;
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    body.appendChild(frag);
  }

  // the one fold of names (generator/domain/names.py): the pattern arrives as data on the form
  var foldPattern = null;
  function normalise(text) {
    var folded = (text || "").normalize("NFKC").toLowerCase();
    return foldPattern ? folded.replace(foldPattern, "") : folded.replace(/\s+/g, "");
  }

  function setupFilter(form) {
    if (form.getAttribute("data-fold")) foldPattern = new RegExp(form.getAttribute("data-fold"), "g");
    var table = document.querySelector("[data-reg-table]");
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var output = form.querySelector(".reg-count");
    function apply() {
      var q = normalise(form.elements.q.value);
      var status = form.elements.status ? form.elements.status.value : "";
      // every other select (category, grade, entry …) matches the row's data-<name> exactly
      var selects = Array.prototype.filter.call(form.querySelectorAll("select[name]"), function (s) {
        return s.name !== "status" && s.value;
      });
      var shown = 0;
      rows.forEach(function (row) {
        var ok = (!q || normalise(row.getAttribute("data-text")).indexOf(q) !== -1) &&
          (!status || (" " + row.getAttribute("data-status") + " ").indexOf(" " + status + " ") !== -1) &&
          selects.every(function (s) { return row.getAttribute("data-" + s.name) === s.value; });
        row.hidden = !ok;
        if (ok) shown++;
      });
      if (output) output.textContent = "显示 " + shown + " / " + rows.length + " 条";
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    apply();
  }

  // 适老化: large text, remembered across pages and visits (prefs.js applies it early)
  function setupLargeText(button) {
    var root = document.documentElement;
    function show() {
      var on = root.classList.contains("reg-large");
      button.setAttribute("aria-pressed", on ? "true" : "false");
    }
    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      var on = root.classList.toggle("reg-large");
      try { window.localStorage.setItem("reg-large", on ? "1" : "0"); } catch (e) { /* not kept */ }
      show();
    });
  }

  // Search loads on demand: Pagefind's component UI (JS and CSS) and assets/search.js are about a
  // quarter of a page's bytes, and most visits never search. The first focus or pointer on the
  // header button starts the download; a click or Ctrl/⌘ K opens the modal once it has started.
  function setupSearch(button) {
    var state = null; // null, "loading", "ready"
    var wantOpen = false;

    function add(tag, attrs) {
      var node = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { node[k] = attrs[k]; });
      (tag === "link" ? document.head : document.body).appendChild(node);
      return node;
    }

    function searchShown() {
      var input = document.querySelector("pagefind-modal pagefind-input input");
      return !!input && input.getClientRects().length > 0;
    }

    // Pagefind's trigger replaces ours when the component starts. Its button calls openModal(),
    // which does nothing until the modal has registered with the component, so a click before
    // that is lost (seen once on a loaded machine): clicked again every 200 ms until the search
    // box shows (opening an open modal changes nothing)
    function openWhenReady(tries, clickedAt) {
      if (searchShown()) return;
      var real = document.querySelector("header pagefind-modal-trigger .pf-trigger-btn");
      if (real && (clickedAt === undefined || clickedAt - tries >= 10)) {
        real.click();
        clickedAt = tries;
      }
      if (tries > 0) window.setTimeout(function () { openWhenReady(tries - 1, clickedAt); }, 20);
    }

    // a stand-in focused while search loads is replaced by Pagefind's button: focus moves with it
    function keepFocus(trigger, tries) {
      var real = trigger.querySelector(".pf-trigger-btn");
      if (real) { real.focus(); return; }
      if (tries > 0) window.setTimeout(function () { keepFocus(trigger, tries - 1); }, 20);
    }

    function load() {
      if (state) return;
      state = "loading";
      var focused = document.activeElement;
      var trigger = focused && focused.classList.contains("reg-search-button") ? focused.parentNode : null;
      add("link", { rel: "stylesheet", href: button.getAttribute("data-reg-search-css") });
      // async=false: the component runs before search.js, which wraps it
      var ext = button.getAttribute("data-reg-search-ext"); // assets/search.js
      add("script", { src: button.getAttribute("data-reg-search"), async: false });
      // the traditional → simplified table and /check/'s matcher, which search.js uses
      add("script", { src: ext.replace(/search\.js$/, "t2s.js"), async: false });
      add("script", { src: ext.replace(/search\.js$/, "names.js"), async: false });
      add("script", { src: ext, async: false }).onload = function () {
        state = "ready";
        document.removeEventListener("keydown", shortcut);
        if (wantOpen) openWhenReady(500);
        else if (trigger && (document.activeElement === focused || !focused.isConnected)) keepFocus(trigger, 100);
      };
    }

    function open() {
      wantOpen = true;
      button.setAttribute("aria-busy", "true");
      if (state === "ready") openWhenReady(500);
      else load();
    }

    // Pagefind's own shortcut (mod+k) works once it runs; until then this one loads and opens
    function shortcut(event) {
      if (event.key.toLowerCase() !== "k" || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      var t = document.activeElement;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
      event.preventDefault();
      open();
    }

    // other triggers (the home page's and 404's search box) get a stand-in like the header's
    document.querySelectorAll("pagefind-modal-trigger:not(:has([data-reg-search]))").forEach(function (trigger) {
      if (trigger.firstChild) return;
      var wide = button.cloneNode(true);
      wide.removeAttribute("data-reg-search");
      wide.className = "reg-search-button reg-search-wide";
      wide.appendChild(document.createTextNode(trigger.getAttribute("placeholder") || "搜索"));
      trigger.appendChild(wide);
      listen(wide);
    });

    // Pagefind swaps our stand-in for its own button inside the same trigger element, so the
    // trigger listens for the click. A press that began on the stand-in and ended on Pagefind's
    // button makes no click at all (the pressed node left the page): its release opens the search.
    function listen(b) {
      var trigger = b.parentNode;
      var pressed = false;
      // trusted only: openWhenReady's own click on Pagefind's button must not start another round
      trigger.addEventListener("click", function (event) { if (event.isTrusted) open(); });
      b.addEventListener("pointerdown", function () { pressed = true; });
      trigger.addEventListener("pointerup", function () {
        if (pressed && !b.isConnected) open();
        pressed = false;
      });
      b.addEventListener("focus", load);
      b.addEventListener("pointerenter", load);
    }
    listen(button);
    document.addEventListener("keydown", shortcut);
  }

  function init() {
    document.querySelectorAll("[data-reg-search]").forEach(setupSearch);
    document.querySelectorAll("[data-reg-large]").forEach(setupLargeText);
    document.querySelectorAll("table.reg-sortable").forEach(function (table) {
      table.querySelectorAll("th button[data-sort]").forEach(function (button) {
        button.addEventListener("click", function () { sortTable(table, button.closest("th")); });
      });
    });
    document.querySelectorAll("form[data-reg-filter]").forEach(setupFilter);
    document.querySelectorAll("[data-reg-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
