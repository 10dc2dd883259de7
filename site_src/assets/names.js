/* 生物医学新技术公示库: the one matcher of technology names, shared by /check/ (assets/check.js) and
 * the header search (assets/search.js). No dependencies.
 *
 * Names are folded as generator/domain/names.py `fold` does (NFKC, lower case, then the pattern it
 * sends as data: whitespace, punctuation, invisible characters); a query is first written in
 * simplified characters (assets/t2s.js, OpenCC's table) because the data is. Matching follows
 * generator/publish/lookup.py `match_score`; suggestions are what a person most likely meant when
 * nothing matched: a typo, or extra words around a name.
 */
(function () {
  "use strict";

  var t2s = null;

  // traditional → simplified, one character at a time (assets/t2s.js is a string of pairs)
  function simplify(text) {
    if (!window.RegT2S) return text || "";
    if (!t2s) {
      t2s = new Map();
      var chars = Array.from(window.RegT2S);
      for (var i = 0; i + 1 < chars.length; i += 2) t2s.set(chars[i], chars[i + 1]);
    }
    return Array.from(text || "").map(function (ch) { return t2s.get(ch) || ch; }).join("");
  }

  // generator/domain/names.py `fold`, with its pattern (FOLD_PATTERN) from the data
  function folder(pattern) {
    var re = new RegExp(pattern, "g");
    return function (text) { return (text || "").normalize("NFKC").toLowerCase().replace(re, ""); };
  }

  // Same four rules as generator/publish/lookup.py `match_score` (tests/browser/test_browser_check.py
  // compares the first answer of each sample lookup with Python's): exact name, exact other key,
  // a key's start, anywhere in a key (queries of minPartial or more).
  function score(keys, q, minPartial) {
    if (!q) return -1;
    if (keys.length && q === keys[0]) return 0;
    if (keys.indexOf(q, 1) !== -1) return 1;
    var i;
    for (i = 0; i < keys.length; i++) if (keys[i].indexOf(q) === 0) return 2;
    if (Array.from(q).length >= minPartial) { // characters, as Python counts them (𠀀 is one)
      for (i = 0; i < keys.length; i++) if (keys[i].indexOf(q) !== -1) return 3;
    }
    return -1;
  }

  // fewest edits that turn q into some part of key (Sellers): a typo inside a partial name.
  // Counted in characters (code points), as Python counts them, not UTF-16 units.
  function typos(q, key) {
    q = Array.from(q);
    key = Array.from(key);
    var prev = new Array(key.length + 1).fill(0);
    for (var i = 1; i <= q.length; i++) {
      var cur = [i];
      for (var j = 1; j <= key.length; j++) {
        cur[j] = Math.min(prev[j - 1] + (q[i - 1] === key[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1);
      }
      prev = cur;
    }
    return Math.min.apply(null, prev);
  }

  // longest run of a that appears unbroken in b, in characters (code points)
  function longestRun(a, b) {
    var best = 0;
    a = Array.from(a);
    for (var i = 0; i < a.length; i++) {
      for (var n = best + 1; i + n <= a.length && b.indexOf(a.slice(i, i + n).join("")) !== -1; n++) best = n;
    }
    return best;
  }

  // Positions in `records` (each with `keys`, folded) of the technologies a folded query `q` that
  // matched nothing most likely meant, best first, at most `limit`:
  //   1. a typo: one wrong, missing or extra character per four typed, two characters at least
  //      right (干细抱 → 干细胞);
  //   2. else extra words: the longest part of the query found unbroken in a name, at least
  //      minPartial characters and half the query (干细胞美容 → 干细胞…, cart疗法 → cart…).
  function suggest(records, q, minPartial, limit) {
    var length = Array.from(q).length; // characters, as Python counts them
    if (length < 2) return [];
    var allowed = Math.max(1, Math.floor(length / 4));
    var found = [];
    records.forEach(function (rec, i) {
      if (length - allowed < 2) return; // 量子 is not a typo of every name with 量 in it
      var best = Infinity;
      rec.keys.forEach(function (k) { best = Math.min(best, typos(q, k)); });
      if (best <= allowed) found.push({ s: best, i: i });
    });
    if (!found.length) {
      var least = Math.max(minPartial, Math.ceil(length / 2));
      records.forEach(function (rec, i) {
        var run = 0;
        rec.keys.forEach(function (k) { run = Math.max(run, longestRun(q, k)); });
        if (run >= least) found.push({ s: -run, i: i });
      });
    }
    found.sort(function (x, y) { return x.s - y.s || x.i - y.i; });
    return found.slice(0, limit || 5).map(function (f) { return f.i; });
  }

  // characters of a found in order in b (longest common subsequence), in code points
  function commonSubsequence(a, b) {
    a = Array.from(a);
    b = Array.from(b);
    var prev = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      var cur = [0];
      for (var j = 1; j <= b.length; j++) {
        cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      prev = cur;
    }
    return prev[b.length];
  }

  // Listed institutions (`list`, sorted) that a folded name `a`, typed unlike all of them, most
  // likely means, best first: generator/publish/lookup.py `suggest_institutions`. A short name
  // (人民医院), one without 示例省/大学 (示例第一医院): most of what was typed appears, in order.
  function suggestInstitutions(list, a, fold) {
    var length = Array.from(a).length;
    if (length < 2) return [];
    var found = [];
    for (var k = 0; k < list.length; k++) {
      var b = fold(list[k]);
      if (b === a) return [];
      var common = commonSubsequence(a, b);
      if (common >= Math.min(3, length) && common / length >= 0.75) {
        var s = common / Math.max(length, Array.from(b).length) + (common + longestRun(a, b)) / length;
        found.push({ name: list[k], s: s });
      }
    }
    found.sort(function (x, y) { return y.s - x.s || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0); });
    return found.slice(0, 5).map(function (f) { return f.name; });
  }

  // Positions in `records` matching the folded query `q`, ordered as generator/publish/lookup.py
  // `find` orders them: by kind (`kindOf(record)`: approved, banned, guidance), score, position.
  function find(records, q, minPartial, kindOf) {
    var hits = [];
    records.forEach(function (rec, i) {
      var s = score(rec.keys, q, minPartial);
      if (s >= 0) hits.push({ s: s, i: i, kind: kindOf(rec) });
    });
    hits.sort(function (a, b) { return a.kind - b.kind || a.s - b.s || a.i - b.i; });
    return hits.map(function (h) { return h.i; });
  }

  window.RegNames = {
    find: find,
    simplify: simplify,
    folder: folder,
    score: score,
    typos: typos,
    suggestInstitutions: suggestInstitutions,
    commonSubsequence: commonSubsequence,
    longestRun: longestRun,
    suggest: suggest,
  };
})();
