/* 生物医学新技术公示库: /check/ (lookup) and /check/delineation/ (questionnaire). No dependencies.
 *
 * The lookup loads the same-origin index written by generator/publish/lookup.py (`check_index`). Every
 * verdict text in it was computed in Python from the legal status; this script only matches the
 * query against the index keys and the institution against the participating institutions, then
 * shows the precomputed verdict. It builds the DOM with textContent: nothing is parsed as HTML.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // ------------------------------------------------------------------------------ lookup (/check/)

  function initCheck(box) {
    var form = document.getElementById("reg-check-form");
    var qInput = document.getElementById("reg-check-q");
    var instInput = document.getElementById("reg-check-inst");
    var dayInput = document.getElementById("reg-check-day");
    var status = document.getElementById("reg-check-status");
    var results = document.getElementById("reg-check-results");
    var root = box.getAttribute("data-root") || "./";
    var index = null;
    var foldRe = null;
    var pending = false;
    var MAX_CARDS = 10;

    function fold(text) {
      return (text || "").normalize("NFKC").toLowerCase().replace(foldRe, "");
    }

    function href(url) {
      return url.charAt(0) === "/" ? root + url.slice(1) : url;
    }

    // the matcher (the rules of generator/publish/lookup.py `match_score` and `find`) is
    // assets/names.js, shared with the header search: both find and suggest the same technologies
    var names = window.RegNames;

    // ---- suggestions: only names are ranked here; a suggestion is never taken as a match ----

    // Technologies meant by a query that matched nothing: a typo or extra words (assets/names.js)
    function suggestRecords(q) {
      return names.suggest(index.records, q, index.min_partial, 5).map(function (i) {
        return expand(index.records[i].verdict.record);
      });
    }

    function suggestions(label, items, pick) {
      var box = el("div", "reg-check-suggest");
      box.appendChild(el("p", null, label));
      var ul = el("ul", "reg-check-suggest-list");
      items.forEach(function (item) {
        var li = el("li");
        var b = el("button", "reg-check-suggest-button", item.text);
        b.type = "button";
        b.addEventListener("click", function () { pick(item.value); });
        li.appendChild(b);
        ul.appendChild(li);
      });
      box.appendChild(ul);
      return box;
    }

    // Strings in verdicts are stored once in `texts` and given by position (publish/lookup.py `check_index`).
    function expand(value) {
      if (typeof value === "number") return index.texts[value];
      if (Array.isArray(value)) return value.map(expand);
      if (value && typeof value === "object") {
        var out = {};
        Object.keys(value).forEach(function (k) { out[k] = expand(value[k]); });
        return out;
      }
      return value;
    }

    function verdictFor(rec, instKey) {
      if (!instKey || !rec.institution_keys) return { v: expand(rec.verdict), listed: null };
      var listed = rec.institution_keys.indexOf(instKey) !== -1;
      var v = Object.assign(expand(rec.verdict), expand(listed ? rec.participant : rec.other));
      return { v: v, listed: listed };
    }

    function asOfLine() {
      var p = el("p", "reg-asof");
      p.appendChild(document.createTextNode("结论适用日期："));
      p.appendChild(el("strong", null, index.as_of_label));
      p.appendChild(document.createTextNode("（数据版本 " + index.data_version + "）。" + index.note));
      return p;
    }

    function card(v, listed, instName, query) {
      var art = el("article", "reg-verdict reg-tone-" + v.tone);
      var rec = v.record;
      var head = el("p", "reg-verdict-kicker");
      var title = el("h2", "reg-verdict-title");
      if (rec) {
        art.setAttribute("data-record", rec.id);
        head.appendChild(document.createTextNode(rec.kind_label + " · " + rec.id + " "));
        head.appendChild(el("span", "reg-badge reg-status-" + rec.status, rec.status_label));
        if (rec.emergency_use) {
          head.appendChild(document.createTextNode(" "));
          head.appendChild(el("span", "reg-badge reg-status-emergency_use", "紧急应用"));
        }
        if (rec.sample) {
          head.appendChild(document.createTextNode(" "));
          var s = el("span", "reg-sample", "示例数据");
          s.title = "示例数据：用于演示格式，不是真实的批准或公告";
          head.appendChild(s);
        }
        var a = el("a", null, rec.name);
        a.href = href(rec.url);
        title.appendChild(a);
      } else {
        title.textContent = "“" + query + "”：未找到";
      }
      art.appendChild(head);
      art.appendChild(title);
      var answer = el("p", "reg-verdict-answer");
      answer.appendChild(el("span", "reg-answer-chip", v.answer));
      answer.appendChild(document.createTextNode(" "));
      answer.appendChild(el("strong", "reg-verdict-headline", v.headline));
      art.appendChild(answer);
      if (v.research) {
        // the research stage of the same technology (its guidance entry): one card, two facets
        var research = el("p", "reg-research", v.research.sentence + " ");
        var more = el("a", null, "查看清单条目");
        more.href = href(v.research.url);
        research.appendChild(more);
        art.appendChild(research);
      }
      if (listed !== null) {
        var mine = el("p", "reg-verdict-inst");
        mine.appendChild(document.createTextNode("所填机构："));
        mine.appendChild(el("strong", null, instName));
        mine.appendChild(document.createTextNode(listed ? " —— 在参与研究机构名单内" : " —— 不在参与研究机构名单内"));
        art.appendChild(mine);
      }
      v.explanation.forEach(function (text) { art.appendChild(el("p", null, text)); });
      // the same sentences as the record page and `registry check` (generator/publish/verdict.py)
      if (v.next_change) art.appendChild(el("p", "reg-next-change", v.next_change));
      if (v.duties && v.duties.length) {
        art.appendChild(el("h3", null, "开展时须履行的义务"));
        var duties = el("ul", "reg-duties");
        v.duties.forEach(function (text) { duties.appendChild(el("li", null, text)); });
        art.appendChild(duties);
      }
      if (v.institutions && v.institutions.length) {
        var h = el("h3", null, "参与研究机构（" + v.institutions.length + " 家）");
        art.appendChild(h);
        var ul = el("ul", "reg-inst");
        var instKey = fold(instName);
        v.institutions.forEach(function (name) {
          var li = el("li", null, name);
          if (instKey && fold(name) === instKey) {
            li.className = "reg-inst-mine";
            li.appendChild(el("span", "reg-inst-mark", "（所填机构）"));
          }
          ul.appendChild(li);
        });
        art.appendChild(ul);
      }
      var basis = el("p", "reg-verdict-basis");
      basis.appendChild(el("strong", null, "依据："));
      basis.appendChild(document.createTextNode(v.basis));
      art.appendChild(basis);
      var links = el("ul", "reg-verdict-links");
      v.links.forEach(function (link) {
        var li = el("li");
        var a = el("a", null, link.label);
        a.href = href(link.url);
        li.appendChild(a);
        links.appendChild(li);
      });
      art.appendChild(links);
      art.appendChild(asOfLine());
      return art;
    }

    // The status on the chosen day, right under the title, then the verdict as of the data's
    // date. The intervals and their sentences are Python's, in the records' own API files
    // (`status_intervals`); assets/dated.js only picks the one that holds the day. An approved
    // technology grown from a guidance entry is also asked about its research stage: the entry's
    // status that day, since filing a study depends on it (界定指导原则 二).
    function addDated(art, rec, day, research) {
      if (!window.RegDated || !index.dated) return;
      var texts = index.dated;
      var box = el("div", "reg-check-dated");
      box.appendChild(datedPart(rec.id, day, null, true));
      if (research) box.appendChild(datedPart(research.id, day, texts.research + research.id, false));
      box.appendChild(el("p", "reg-help", texts.current));
      art.insertBefore(box, art.children[2] || null);
    }

    function datedPart(id, day, label, withNote) {
      var texts = index.dated;
      var part = el("div", "reg-dated-result", texts.loading);
      if (label) part.className += " reg-dated-research";
      fetch(root + texts.records + encodeURIComponent(id) + ".json", { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (record) {
          var data = { intervals: record.status_intervals, before: texts.before, none_label: texts.none_label };
          window.RegDated.render(part, data, day, withNote ? texts.after_as_of : null, index.as_of, label);
        })
        .catch(function () { part.textContent = texts.failed; });
      return part;
    }

    // bring the answer into view (on a phone it is below the form) without moving the focus
    function reveal(scroll) {
      if (scroll) status.scrollIntoView({ block: "start" });
    }

    function run(scroll) {
      var query = qInput.value.trim();
      var instName = instInput.value.trim();
      var day = dayInput && window.RegDated && window.RegDated.ISO.test(dayInput.value) ? dayInput.value : "";
      if (!index) {
        pending = true;
        status.textContent = "正在加载查询索引……";
        return;
      }
      results.textContent = "";
      var q = fold(names.simplify(query));
      if (!q) {
        status.textContent = "请输入技术名称、别名或编号。";
        return;
      }
      var params = new URLSearchParams();
      params.set("q", query);
      if (instName) params.set("institution", instName);
      if (day) params.set("day", day);
      if (window.history && history.replaceState) {
        history.replaceState(null, "", "?" + params.toString());
      }
      var hits = names.find(index.records, q, index.min_partial, function (rec) {
        return index.kind_order[expand(rec.verdict.record.kind)];
      }).map(function (i) { return { rec: index.records[i] }; });
      var instKey = fold(instName);
      if (!hits.length) {
        status.textContent = "没有找到与“" + query + "”匹配的技术。";
        var close = suggestRecords(q);
        if (close.length) {
          results.appendChild(suggestions("您是否指：", close.map(function (r) {
            return { text: r.name + "（" + r.id + "，" + r.status_label + "）", value: r.name };
          }), function (name) { qInput.value = name; run(true); }));
        }
        results.appendChild(card(expand(index.not_found), null, instName, query));
        reveal(scroll);
        return;
      }
      if (instKey && index.institutions.every(function (n) { return fold(n) !== instKey; })) {
        var near = names.suggestInstitutions(index.institutions, instKey, fold);
        if (near.length) {
          results.appendChild(suggestions(
            index.institution_mismatch, // generator/publish/sentences.py INSTITUTION_MISMATCH
            near.map(function (n) { return { text: n, value: n }; }),
            function (name) { instInput.value = name; run(true); }));
        }
      }
      status.textContent = "找到 " + hits.length + " 项与“" + query + "”匹配的技术" +
        (hits.length > MAX_CARDS ? "，显示前 " + MAX_CARDS + " 项" : "") + "。";
      hits.slice(0, MAX_CARDS).forEach(function (h) {
        var picked = verdictFor(h.rec, instKey);
        var art = card(picked.v, picked.listed, instName, query);
        if (day) addDated(art, h.rec, day, picked.v.research);
        results.appendChild(art);
      });
      if (hits.length > MAX_CARDS) {
        var more = el("div", "reg-check-more");
        more.appendChild(el("h2", null, "其他匹配（" + (hits.length - MAX_CARDS) + " 项）"));
        more.appendChild(el("p", "reg-help", "请输入更完整的名称以缩小范围，或打开记录查看。"));
        var ul = el("ul");
        hits.slice(MAX_CARDS).forEach(function (h) {
          var r = expand(h.rec.verdict.record);
          var li = el("li");
          var a = el("a", null, r.name);
          a.href = href(r.url);
          li.appendChild(a);
          li.appendChild(document.createTextNode("（" + r.id + "，" + r.status_label + "）"));
          ul.appendChild(li);
        });
        more.appendChild(ul);
        results.appendChild(more);
      }
      reveal(scroll);
    }

    var params = new URLSearchParams(window.location.search);
    if (params.get("q")) qInput.value = params.get("q");
    if (params.get("institution")) instInput.value = params.get("institution");
    if (params.get("day") && dayInput) dayInput.value = params.get("day");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(true);
    });
    fetch(box.getAttribute("data-index"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        index = data;
        foldRe = new RegExp(data.fold, "g");
        box.setAttribute("data-ready", "true");
        if (pending || qInput.value.trim()) run();
      })
      .catch(function () {
        status.textContent = "查询索引加载失败，请刷新页面重试，或在各列表页查看技术状态。";
      });
  }

  // ------------------------------------------------------------- questionnaire (/check/delineation/)

  function initDelineation(box) {
    var sections = Array.prototype.slice.call(box.querySelectorAll("[data-step], [data-outcome]"));
    if (!sections.length) return;
    var first = sections[0].id;
    var status = document.getElementById("reg-step-status");
    var trail = document.getElementById("reg-trail");
    var trailList = document.getElementById("reg-trail-list");
    var outcomesTitle = document.getElementById("reg-outcomes-title");
    var path = []; // [{from: step id, label: answer text}]

    function find(id) {
      for (var i = 0; i < sections.length; i++) if (sections[i].id === id) return sections[i];
      return null;
    }

    function questionText(section) {
      var h = section.querySelector("h2");
      var clone = h.cloneNode(true);
      var no = clone.querySelector(".reg-step-no");
      if (no) no.parentNode.removeChild(no);
      return { no: no ? no.textContent : "", text: clone.textContent.trim() };
    }

    function render(id, focus) {
      var current = find(id) || find(first);
      sections.forEach(function (s) { s.hidden = s !== current; });
      outcomesTitle.hidden = true;
      var isOutcome = current.hasAttribute("data-outcome");
      // the answers so far, each with its question and clause
      trailList.textContent = "";
      path.forEach(function (p) {
        var step = find(p.from);
        var q = questionText(step);
        var li = el("li");
        li.appendChild(el("span", "reg-trail-q", q.no + "：" + q.text));
        li.appendChild(el("span", "reg-trail-a", "回答：" + p.label));
        var clause = step.querySelector(".reg-clause");
        if (clause) li.appendChild(el("span", "reg-trail-c", clause.textContent));
        trailList.appendChild(li);
      });
      trail.hidden = path.length === 0;
      trail.open = isOutcome; // the answers so far: folded while answering, open at the end
      document.getElementById("reg-trail-count").textContent = String(path.length);
      current.querySelectorAll(".reg-back").forEach(function (b) { b.hidden = path.length === 0; });
      current.querySelectorAll(".reg-step-back").forEach(function (p) { p.hidden = path.length === 0; });
      if (isOutcome) {
        status.textContent = "自查结论：" + current.querySelector("h2").textContent;
      } else {
        var q = questionText(current);
        status.textContent = q.no + "：" + q.text;
      }
      if (focus) current.querySelector("h2").focus();
    }

    function go(id) {
      render(id, true);
      if (window.history && history.pushState) {
        history.pushState({ regPath: path.slice() }, "", "#" + id);
      }
    }

    box.addEventListener("click", function (event) {
      var target = event.target;
      var answer = target.closest("a.reg-answer");
      if (answer) {
        event.preventDefault();
        var step = answer.closest("[data-step]");
        path.push({ from: step.id, label: answer.textContent });
        go(answer.getAttribute("data-next"));
        return;
      }
      if (target.closest(".reg-back")) {
        var last = path.pop();
        go(last ? last.from : first);
        return;
      }
      if (target.closest("a.reg-restart")) {
        event.preventDefault();
        path = [];
        go(first);
      }
    });

    window.addEventListener("popstate", function (event) {
      path = (event.state && event.state.regPath) ? event.state.regPath.slice() : [];
      render(window.location.hash.slice(1), true);
    });

    box.classList.add("reg-js");
    render(window.location.hash.slice(1), false);
  }

  function init() {
    var check = document.getElementById("reg-check");
    if (check) initCheck(check);
    var delineation = document.getElementById("reg-delineation");
    if (delineation) initDelineation(delineation);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
