/* 生物医学新技术公示库: the status on a chosen date (record pages and /check/). No dependencies.
 *
 * The intervals and every sentence were computed in Python (generator/status/intervals.py,
 * generator/publish/dated.py). This script applies no legal rule: it only picks the interval whose
 * [from, to] holds the date (ISO dates compare as text) and shows that interval's sentences,
 * built with textContent. It also puts the reader's own day into the "访问于" of a citation.
 */
(function () {
  "use strict";
  if (window.RegDated) return;

  var ISO = /^\d{4}-\d{2}-\d{2}$/;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function pick(intervals, day) {
    for (var i = 0; i < intervals.length; i++) {
      var iv = intervals[i];
      if (iv.from <= day && (iv.to === null || day <= iv.to)) return iv;
    }
    return null;
  }

  // `data`: publish/dated.py `dated()`; `afterAsOf`: its sentence for a date after the as-of date
  // (null where another box on the page already says it); `label`: what the box is about, when
  // not the page's record (an approval's research stage)
  function render(box, data, day, afterAsOf, asOf, label) {
    box.textContent = "";
    if (label) box.appendChild(el("p", "reg-dated-facet", label));
    var iv = pick(data.intervals, day);
    box.setAttribute("data-status", iv ? iv.status : "");
    var head = el("p", "reg-dated-head");
    head.appendChild(el("strong", null, day + "：" + (iv ? iv.status_label : data.none_label)));
    box.appendChild(head);
    box.appendChild(el("p", "reg-dated-sentence", iv ? iv.sentence : data.before));
    if (afterAsOf && day > asOf) box.appendChild(el("p", "reg-dated-note", afterAsOf));
    return iv;
  }

  function today() {
    try {
      return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date());
    } catch (e) {
      return null;
    }
  }

  function initRecord(form) {
    var source = document.getElementById(form.getAttribute("data-reg-dated"));
    var input = form.querySelector("input[name=day]");
    var out = document.getElementById("reg-dated-result");
    var research = document.getElementById("reg-dated-research");
    if (!source || !input || !out) return;
    var data = JSON.parse(source.textContent);
    function show() {
      var day = input.value;
      var section = form.closest(".reg-dated");
      if (!ISO.test(day) || (input.validity && !input.validity.valid)) {
        out.textContent = data.invalid_date;
        if (research) research.textContent = "";
        if (section) section.classList.remove("reg-dated-asked");
        return;
      }
      render(out, data, day, data.after_as_of, data.as_of);
      if (section) section.classList.add("reg-dated-asked"); // printed with the page
      if (research && data.research) {
        // an approval's research stage that day: its guidance entry's interval (publish/dated.py)
        var r = data.research;
        render(research, { intervals: r.intervals, before: r.before, none_label: data.none_label },
          day, null, data.as_of, r.label);
      }
      if (window.history && history.replaceState) {
        history.replaceState(null, "", "?day=" + day + "#status-on-date");
      }
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); show(); });
    input.addEventListener("change", show);
    var asked = new URLSearchParams(window.location.search).get("day");
    if (asked && ISO.test(asked)) {
      input.value = asked;
      show();
    }
    form.hidden = false;
  }

  window.RegDated = { pick: pick, render: render, ISO: ISO };

  var form = document.querySelector("form[data-reg-dated]");
  if (form) initRecord(form);
  var day = today();
  if (day) {
    document.querySelectorAll("time[data-reg-accessed]").forEach(function (t) {
      t.textContent = day;
      t.setAttribute("datetime", day);
    });
  }
})();
