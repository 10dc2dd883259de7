/* 生物医学新技术公示库: search on top of Pagefind's component UI. No dependencies.
 *
 * Why (generator/search.py has the details): Pagefind splits a Chinese query into words, returns
 * pages that match any one of them and falls back to shorter index words, so it finds unrelated
 * pages. Each page carries its search tokens encoded (`encode`, the same function as in search.py)
 * in metadata that Pagefind searches but never shows. Here we
 *   1. cut the query into words (runs of Chinese characters, at most CHUNK long, and Latin words),
 *   2. ask Pagefind for each encoded word and keep the pages that have every word as a token
 *      (names and aliases weigh most: those records rank first, then announcements),
 *   3. add pages whose own text contains every word (Pagefind's ranking, checked on the text),
 *   4. count the filter values of exactly these results, and
 *   5. show each result as a card: title, kind, status, and a sentence with the match marked.
 * Only finding and ranking happen here; every legal statement is on the pages themselves.
 */
(function () {
  "use strict";
  var components = window.PagefindComponents;
  if (!components) return;
  var instance = components.getInstanceManager().getInstance("default");

  var CHUNK = 6; // longest token written by search.py (SUFFIX)
  var VERIFY = 24; // pages whose text is checked for step 3: bounds the fragments loaded
  var CJK = /[\u3400-\u9fff\uf900-\ufaff]+/g;
  var LATIN = /[a-z0-9][a-z0-9\-+.]*/g;
  var LETTERS = "abcdefghijklmnop";
  // names and aliases (kn) far above the other tokens (kw); Pagefind's own title weight stays
  instance.pagefindOptions.ranking = { metaWeights: { kn: 10, kw: 2 } };

  function norm(text) {
    return (text || "").normalize("NFKC").toLowerCase();
  }

  function words(query) {
    var q = norm(query);
    var out = [];
    // a long run in pieces of CHUNK, the last one overlapping the one before: every piece of two
    // characters or more is the start of a token (a token never starts at a run's last character)
    (q.match(CJK) || []).forEach(function (run) {
      for (var i = 0; i + CHUNK < run.length; i += CHUNK) out.push(run.slice(i, i + CHUNK));
      out.push(run.slice(Math.max(0, run.length - CHUNK)));
    });
    (q.match(LATIN) || []).forEach(function (w) {
      w = w.replace(/[.\-]+$/, "");
      if (w) out.push(w);
    });
    return out.filter(function (w, i) { return out.indexOf(w) === i; });
  }

  function encode(token) {
    var out = "zq";
    for (var i = 0; i < token.length; i++) {
      var hex = token.charCodeAt(i).toString(16);
      hex = "0000".slice(hex.length) + hex;
      for (var j = 0; j < 4; j++) out += LETTERS[parseInt(hex[j], 16)];
    }
    return out;
  }

  function haystack(data) {
    var m = data.meta || {};
    return norm([m.title, m.aliases, m.rid, data.content].join(" "));
  }

  function tagged(result, path) {
    var load = result.data.bind(result);
    var copy = Object.assign({}, result);
    copy.data = function () {
      return load().then(function (d) { return Object.assign({}, d, { regPath: path }); });
    };
    return copy;
  }

  function wrap(pf) {
    if (pf.__registry) return;
    pf.__registry = true;
    var raw = pf.search.bind(pf);
    var sets = null;

    // page ids of every filter value, once: the counts of step 4 are intersections with these.
    // Searches run one after another: concurrent first searches can miss index chunks that
    // another one is still loading (seen as a result count that changed on the next search).
    function filterSets() {
      if (sets) return sets;
      sets = pf.filters().then(async function (available) {
        var out = {};
        for (var name of Object.keys(available || {})) {
          out[name] = {};
          for (var value of Object.keys(available[name])) {
            var f = {};
            f[name] = value;
            var r = await raw(null, { filters: f });
            out[name][value] = new Set(r.results.map(function (x) { return x.id; }));
          }
        }
        return out;
      });
      return sets;
    }

    function counts(results, all) {
      var out = {};
      Object.keys(all).forEach(function (name) {
        out[name] = {};
        Object.keys(all[name]).forEach(function (value) {
          var set = all[name][value];
          out[name][value] = results.filter(function (r) { return set.has(r.id); }).length;
        });
      });
      return out;
    }

    pf.search = async function (term, options) {
      var ws = term == null ? [] : words(term);
      if (!ws.length) return raw(term, options);
      var opts = options || {};
      var all = await filterSets();
      var perWord = [];
      for (var w of ws) perWord.push(await raw(encode(w), opts));
      var score = new Map();
      var byId = new Map();
      perWord[0].results.forEach(function (r) { score.set(r.id, r.score); byId.set(r.id, r); });
      perWord.slice(1).forEach(function (found) {
        var next = new Map();
        found.results.forEach(function (r) {
          if (score.has(r.id)) next.set(r.id, score.get(r.id) + r.score);
        });
        score = next;
      });
      var announcements = (all["类型"] && all["类型"]["公告"]) || new Set();
      var named = Array.from(score.keys()).sort(function (a, b) {
        var tier = announcements.has(a) - announcements.has(b);
        return tier || score.get(b) - score.get(a);
      }).map(function (id) { return tagged(byId.get(id), "name"); });

      var text = await raw(term, opts);
      var candidates = text.results.filter(function (r) { return !score.has(r.id); });
      var checked = await Promise.all(candidates.slice(0, VERIFY).map(function (r) {
        return r.data().then(function (d) {
          var hay = haystack(d);
          return ws.every(function (w) { return hay.indexOf(w) !== -1; }) ? tagged(r, "text") : null;
        });
      }));
      var results = named.concat(checked.filter(Boolean));
      return Object.assign({}, text, {
        results: results,
        unfilteredResultCount: results.length,
        filters: counts(results, all),
      });
    };
  }

  var load = instance.__doLoad__;
  instance.__doLoad__ = function () {
    return load.call(instance).then(function () {
      if (instance.__pagefind__) wrap(instance.__pagefind__);
    });
  };
  if (instance.__pagefind__) wrap(instance.__pagefind__);

  // ------------------------------------------------------------------ result cards

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  // `text` with every query word wrapped in <mark>; built from text nodes, never from HTML
  function marked(parent, text, ws) {
    var low = norm(text);
    var i = 0;
    while (i < text.length) {
      var best = -1;
      var len = 0;
      ws.forEach(function (w) {
        var at = low.indexOf(w, i);
        if (at !== -1 && (best === -1 || at < best)) { best = at; len = w.length; }
      });
      if (best === -1 || low.length !== text.length) {
        parent.appendChild(document.createTextNode(text.slice(i)));
        break;
      }
      if (best > i) parent.appendChild(document.createTextNode(text.slice(i, best)));
      parent.appendChild(el("mark", null, text.slice(best, best + len)));
      i = best + len;
    }
    return parent;
  }

  var SENTENCE = /[^。！？；]+[。！？；]?|[。！？；]/g;
  var WINDOW = 90;

  // the sentence to show: the summary if it has a query word or the name matched (the title shows
  // the match then), else the first sentence of the page text (not the title) that has one
  function excerpt(data, ws) {
    var m = data.meta || {};
    var summary = m.summary || "";
    var has = function (s) { var l = norm(s); return ws.some(function (w) { return l.indexOf(w) !== -1; }); };
    if (summary && (has(summary) || data.regPath === "name")) return summary;
    var title = norm(m.title);
    var parts = (data.content || "").split(/\.\s+/).join("。").match(SENTENCE) || [];
    for (var i = 0; i < parts.length; i++) {
      var s = parts[i].trim();
      if (s.length < 2 || norm(s).replace(/[。！？；]$/, "") === title || !has(s)) continue;
      if (s.length <= WINDOW) return s;
      var l = norm(s);
      var at = Math.min.apply(null, ws.map(function (w) { var k = l.indexOf(w); return k === -1 ? 1e9 : k; }));
      var start = Math.max(0, Math.min(at - 20, s.length - WINDOW));
      return (start ? "…" : "") + s.slice(start, start + WINDOW) + (start + WINDOW < s.length ? "…" : "");
    }
    return summary;
  }

  function card(data) {
    var m = data.meta || {};
    var ws = words(instance.searchTerm || "");
    var li = el("li", "pf-result reg-result");
    var box = li.appendChild(el("div", "pf-result-card"));
    var body = box.appendChild(el("div", "pf-result-content"));
    var title = body.appendChild(el("p", "pf-result-title"));
    var link = marked(title.appendChild(el("a", "pf-result-link")), m.title || data.url, ws);
    link.href = data.url;
    var badges = body.appendChild(el("p", "reg-result-badges"));
    badges.appendChild(el("span", "reg-result-kind", [m.kind, m.rid].filter(Boolean).join(" · ")));
    if (m.status) {
      badges.appendChild(el("span", "reg-badge reg-status-" + (m.status_code || "").replace(/[^a-z_]/g, ""), m.status));
    }
    if (m.emergency) badges.appendChild(el("span", "reg-badge reg-status-emergency_use", m.emergency));
    if (m.date) badges.appendChild(el("span", "reg-result-date", m.date));
    if (m.sample) badges.appendChild(el("span", "reg-sample", m.sample));
    var text = excerpt(data, ws);
    if (text) marked(body.appendChild(el("p", "pf-result-excerpt")), text, ws);
    return li;
  }

  document.querySelectorAll("pagefind-results").forEach(function (results) {
    results.resultTemplate = card;
  });

  // The filter dropdowns' triggers are role=combobox buttons, whose name cannot come from their
  // text (axe: button-name): name them after their label, again whenever the component redraws.
  document.querySelectorAll("pagefind-filter-dropdown").forEach(function (dropdown) {
    function name() {
      var trigger = dropdown.querySelector(".pf-dropdown-trigger");
      var label = "筛选：" + (dropdown.getAttribute("label") || dropdown.getAttribute("filter"));
      if (trigger && trigger.getAttribute("aria-label") !== label) trigger.setAttribute("aria-label", label);
    }
    new MutationObserver(name).observe(dropdown, { childList: true, subtree: true });
    name();
  });
})();
