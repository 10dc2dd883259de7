/* 生物医学新技术公示库: search on top of Pagefind's component UI. No dependencies.
 *
 * Why (generator/render/search.py has the details): Pagefind splits a Chinese query into words, returns
 * pages that match any one of them and falls back to shorter index words, so it finds unrelated
 * pages. Each page carries its search tokens encoded (`encode`, the same function as in search.py)
 * in metadata that Pagefind searches but never shows. Here we
 *   1. cut the query into words (runs of Chinese characters, at most CHUNK long, and Latin words),
 *   2. ask Pagefind for each encoded word and keep the pages that have every word as a token
 *      (names and aliases weigh most: those records rank first, the technologies before the
 *      research projects institutions filed, then announcements),
 *   3. add pages whose own text contains every word (Pagefind's ranking, checked on the text),
 *      unless step 2 already matched ENOUGH pages (those would only come after them),
 *   4. when no technology has every word as a token, ask /check/'s matcher (assets/names.js, over the
 *      same index /check/ loads): the technologies /check/ would answer or suggest for the query
 *      (CAR T, CAR-T疗法, 干细抱, 干细胞美容) come first, as cards of their pages,
 *   5. count the filter values of exactly these results, and
 *   6. show each result as a card: title, kind, status, and a sentence with the match marked.
 * Queries are written in simplified characters first (幹細胞 → 干细胞; assets/t2s.js).
 * Only finding and ranking happen here; every legal statement is on the pages themselves.
 */
(function () {
  "use strict";
  var components = window.PagefindComponents;
  var names = window.RegNames;
  if (!components || !names) return;
  var instance = components.getInstanceManager().getInstance("default");

  var CHUNK = 6; // longest token written by search.py (SUFFIX)
  var VERIFY = 24; // pages whose text is checked for step 3: bounds the fragments loaded
  var ENOUGH = 50; // names matched on so many pages: step 3 is skipped (see there)
  // every CJK block, Extensions B–H above the BMP included (render/search.py CJK_CLASS)
  var CJK = /[\u2e80-\u2fdf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{323af}\u{2f800}-\u{2fa1f}]+/gu;
  var LATIN = /[a-z0-9][a-z0-9\-+.]*/g;
  var LETTERS = "abcdefghijklmnop";
  // names and aliases (kn) far above the other tokens (kw); Pagefind's own title weight stays
  instance.pagefindOptions.ranking = { metaWeights: { kn: 10, kw: 2 } };

  function norm(text) {
    return (text || "").normalize("NFKC").toLowerCase();
  }

  function words(query) {
    var q = norm(names.simplify(query));
    var out = [];
    // a long run in pieces of CHUNK, the last one overlapping the one before: every piece of two
    // characters or more is the start of a token (a token never starts at a run's last character)
    (q.match(CJK) || []).forEach(function (text) {
      var run = Array.from(text); // code points: an Extension B character is one, not two halves
      for (var i = 0; i + CHUNK < run.length; i += CHUNK) out.push(run.slice(i, i + CHUNK).join(""));
      out.push(run.slice(Math.max(0, run.length - CHUNK)).join(""));
    });
    (q.match(LATIN) || []).forEach(function (w) {
      w = w.replace(/[.\-]+$/, "");
      if (w) out.push(w);
    });
    return out.filter(function (w, i) { return out.indexOf(w) === i; });
  }

  // render/search.py encode: four letters a–p per BMP character, "z" and six above it
  function encode(token) {
    var out = "zq";
    Array.from(token).forEach(function (ch) {
      var cp = ch.codePointAt(0);
      var width = cp > 0xffff ? 6 : 4;
      var hex = cp.toString(16);
      hex = "000000".slice(0, width - hex.length) + hex;
      if (cp > 0xffff) out += "z";
      for (var j = 0; j < width; j++) out += LETTERS[parseInt(hex[j], 16)];
    });
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

  // ------------------------------------------------------------------ Pagefind's files
  // Pagefind 1.x writes its metadata and filter files as gzip("pagefind_dcd" + CBOR). The same
  // layout is read in Python by generator/outputs/pagefind.py (canonicalize_filters); the browser
  // test of the filter counts fails if a Pagefind upgrade changes it.
  var SIGNATURE = 12; // bytes of "pagefind_dcd"

  function bundle() {
    var script = document.querySelector('script[src*="pagefind/pagefind-component-ui.js"]');
    return script ? script.src.replace(/pagefind-component-ui\.js.*$/, "") : "/pagefind/";
  }

  async function pagefindFile(path) {
    var response = await fetch(bundle() + path);
    if (!response.ok) throw new Error("pagefind " + path + ": " + response.status);
    var plain = response.body.pipeThrough(new DecompressionStream("gzip"));
    var bytes = new Uint8Array(await new Response(plain).arrayBuffer());
    return cbor(bytes, SIGNATURE);
  }

  // the subset of CBOR Pagefind writes: unsigned and negative integers, byte and text strings,
  // arrays and maps, all of definite length
  function cbor(bytes, start) {
    var at = start;
    var text = new TextDecoder();
    function length(info) {
      if (info < 24) return info;
      var n = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 8;
      var value = 0;
      for (var i = 0; i < n; i++) value = value * 256 + bytes[at++];
      return value;
    }
    function item() {
      var head = bytes[at++];
      var major = head >> 5;
      var n = length(head & 31);
      if (major === 0) return n;
      if (major === 1) return -1 - n;
      if (major === 2 || major === 3) {
        var chunk = bytes.subarray(at, at + n);
        at += n;
        return major === 3 ? text.decode(chunk) : chunk;
      }
      if (major === 4) {
        var list = [];
        for (var i = 0; i < n; i++) list.push(item());
        return list;
      }
      if (major === 5) {
        var map = {};
        for (var j = 0; j < n; j++) { var key = item(); map[key] = item(); }
        return map;
      }
      throw new Error("unexpected CBOR item " + head);
    }
    return item();
  }

  // ------------------------------------------------------------------ /check/'s matcher

  var checkIndex = null;

  // the index /check/ loads (generator/publish/lookup.py `check_index`), fetched the first time a
  // query finds no page by its tokens
  function loadCheckIndex() {
    if (!checkIndex) {
      checkIndex = fetch(bundle().replace(/pagefind\/$/, "") + "api/check-index.json", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return checkIndex;
  }

  // The technologies /check/ answers for `term`, or else suggests: [{id, url, how}], best first.
  async function closest(term) {
    var index = await loadCheckIndex();
    if (!index) return [];
    var expand = function (v) { return typeof v === "number" ? index.texts[v] : v; };
    var q = names.folder(index.fold)(names.simplify(term));
    var how = "name";
    var found = names.find(index.records, q, index.min_partial, function (rec) {
      return index.kind_order[expand(rec.verdict.record.kind)];
    });
    if (!found.length) {
      how = "suggest";
      found = names.suggest(index.records, q, index.min_partial, 5);
    }
    return found.map(function (i) {
      var rec = index.records[i];
      return { id: rec.id, url: expand(rec.verdict.record.url), how: how };
    });
  }

  async function readFilterSets() {
    var entry = await (await fetch(bundle() + "pagefind-entry.json")).json();
    var languages = entry.languages || {};
    var lang = languages[document.documentElement.lang] ? document.documentElement.lang : Object.keys(languages)[0];
    var meta = await pagefindFile("pagefind." + languages[lang].hash + ".pf_meta");
    var pages = meta[1].map(function (page) { return page[0]; });
    var out = {};
    for (var pair of meta[3]) {
      var filter = await pagefindFile("filter/" + pair[1] + ".pf_filter");
      out[pair[0]] = {};
      filter[1].forEach(function (value) {
        out[pair[0]][value[0]] = new Set(value[1].map(function (n) { return pages[n]; }));
      });
    }
    return out;
  }

  function wrap(pf) {
    if (pf.__registry) return;
    pf.__registry = true;
    var raw = pf.search.bind(pf);
    var sets = null;

    // page ids of every filter value, once: the counts of step 4 are intersections with these.
    // Read from Pagefind's own filter files (the dropdowns have loaded them already) and its
    // metadata file, which lists the pages in the order the filter files number them. A
    // filter-only search would give the same sets but loads every index chunk of the site
    // (8.4 MB at 10,000 records, measured); this costs no index chunk at all.
    function filterSets() {
      if (!sets) sets = readFilterSets();
      return sets;
    }

    // The order of results by what a page is: a technology (what the authority listed, approved
    // or banned) 0, a kind filed by institutions (the labels the page gives in data-reg-later:
    // research projects, publish/views.py `chrome_values`) 1, an announcement 2.
    function tiers(all) {
      var kinds = all["类型"] || {};
      var modal = document.querySelector("pagefind-modal[data-reg-later]");
      var later = JSON.parse((modal && modal.getAttribute("data-reg-later")) || "[]");
      return function (id) {
        if (kinds["公告"] && kinds["公告"].has(id)) return 2;
        return later.some(function (label) { return kinds[label] && kinds[label].has(id); }) ? 1 : 0;
      };
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

    // Pagefind's result for each technology /check/ finds for `term` (by its id, a token of its page)
    async function technologies(term, opts) {
      var meant = await closest(term);
      var out = [];
      for (var m of meant) {
        var found = await raw(encode(m.id.toLowerCase()), opts);
        for (var r of found.results.slice(0, 3)) {
          var d = await r.data();
          if (d.url.replace(/\/$/, "").endsWith(m.url.replace(/\/$/, ""))) {
            out.push(tagged(r, m.how));
            break;
          }
        }
      }
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
      var tierOf = tiers(all);
      var named = Array.from(score.keys()).sort(function (a, b) {
        return tierOf(a) - tierOf(b) || score.get(b) - score.get(a);
      }).map(function (id) { return tagged(byId.get(id), "name"); });

      // no technology has every word (CAR T: no token starts with "t"): the ones /check/ finds lead
      if (named.every(function (r) { return tierOf(r.id) === 2; })) {
        var techs = await technologies(term, opts);
        var ids = new Set(techs.map(function (r) { return r.id; }));
        named = techs.concat(named.filter(function (r) { return !ids.has(r.id); }));
      }

      if (named.length >= ENOUGH) {
        // step 3 only ever appends after these: with this many names matched, its pages would
        // come after ENOUGH others, and it would cost the index chunks of the raw words and
        // VERIFY fragments (about 110 KB of a first query at 10,000 records)
        return Object.assign({}, perWord[0], {
          results: named,
          unfilteredResultCount: named.length,
          filters: counts(named, all),
        });
      }
      var text = await raw(names.simplify(term), opts); // the pages are in simplified characters
      var shown = new Set(named.map(function (r) { return r.id; }));
      var candidates = text.results.filter(function (r) { return !shown.has(r.id); });
      var checked = await Promise.all(candidates.slice(0, VERIFY).map(function (r) {
        return r.data().then(function (d) {
          var hay = haystack(d);
          return ws.every(function (w) { return hay.indexOf(w) !== -1; }) ? tagged(r, "text") : null;
        });
      }));
      // by tier (technologies, filed projects, announcements), each in the order found: a page
      // that only mentions the words in its text still answers a name query before an
      // announcement does
      var all_ = named.concat(checked.filter(Boolean));
      var results = [0, 1, 2].reduce(function (out, tier) {
        return out.concat(all_.filter(function (r) { return tierOf(r.id) === tier; }));
      }, []);
      return Object.assign({}, text, {
        results: results,
        unfilteredResultCount: results.length,
        filters: counts(results, all),
      });
    };
  }

  // Wrap Pagefind the moment the component UI stores it. Its loader stores the instance and then
  // awaits the filter files; a search typed in that window used to run unwrapped (Pagefind's own
  // ranking and any-word matches), so a first query could put an announcement above the record.
  var current = instance.__pagefind__;
  if (current) wrap(current);
  Object.defineProperty(instance, "__pagefind__", {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (pf) {
      if (pf) wrap(pf);
      current = pf;
    },
  });

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
    // one technology, one card: the research stage (its guidance entry) inside the approval's card
    if (m.research) body.appendChild(el("p", "reg-research", m.research));
    if (data.regPath === "suggest") body.appendChild(el("p", "reg-result-suggest", "没有完全一致的名称，这是最接近的技术。"));
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
