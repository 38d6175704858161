// sipdisco loader: wires the analyzer form to the Go functions of the
// analyzer's module (main.wasm), and hands a check to the tools module
// (tools.wasm) when Go says it needs it (a planned zone, a pasted
// certificate, an internationalized name). All analysis, validation and
// rendering happen in Go; this file only moves values between the page
// and those functions.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var form = $('check-form');
  if (!form) { return; }

  var ready = false;
  var last = null;
  var seq = 0; // only the latest check may show its result
  var pending = null;
  var result = $('result');

  var page = window.sipdiscoPage;
  // A link (?uri=…, #s=…) will bring a report: keep its place from the
  // first paint, so that nothing below it moves when it arrives.
  if (/[?&]uri=/.test(location.search) || /^#[sS]/.test(location.hash)) { result.classList.add('pending'); }
  var analyzer = function () { return page.call.apply(null, ['analyzer'].concat(Array.prototype.slice.call(arguments))); };
  var tools = function () { return page.call.apply(null, ['tools'].concat(Array.prototype.slice.call(arguments))); };

  function showError(msg) { page.showError('error', msg); }

  function clearError() { page.clearError('error'); }

  function setBusy(busy) {
    $('run').disabled = busy;
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
    $('progress').hidden = !busy;
    if (busy) {
      $('progress-text').textContent = 'Asking DNS…';
      $('progress-steps').textContent = '';
    }
  }

  function onStep(ev) {
    var id = 'step-' + ev.question + '-' + ev.type;
    var li = document.getElementById(id);
    if (!li) {
      li = document.createElement('li');
      li.id = id;
      $('progress-steps').appendChild(li);
    }
    li.dataset.state = ev.state;
    li.textContent = ev.state === 'asked'
      ? ev.question + ' ' + ev.type + ' …'
      : ev.question + ' ' + ev.type + ' — ' + (ev.error || ev.rcode) + ' (' + ev.ms + ' ms)';
  }

  // readForm reads every named control of the form as Go's
  // check.ReadForm expects it; Go knows what each control means.
  function readForm() {
    var state = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) { return; }
      state.push({ name: el.name, value: el.value, type: el.type, checked: !!el.checked });
    });
    return state;
  }

  function hasOption(sel, value) {
    for (var i = 0; i < sel.options.length; i++) {
      if (sel.options[i].value === value && value !== 'custom') { return true; }
    }
    return false;
  }

  // fillForm sets every control from Go's check.FormValues entries: a box
  // is ticked when its value is listed, a select box not offering the value
  // takes its "custom" choice and puts the value in the control its
  // data-other names. It returns the value such a select box could not
  // offer, or '' when every value was offered. With hold set, a value
  // the page does not offer is not put in the form at all: the page asks
  // about it first.
  function fillForm(entries, more, hold) {
    var unoffered = '';
    entries.forEach(function (e) {
      var els = form.querySelectorAll('[name="' + e.name + '"]');
      Array.prototype.forEach.call(els, function (el) {
        var v = e.values.length ? e.values[0] : '';
        if (el.type === 'checkbox') {
          el.checked = e.values.indexOf(el.value) >= 0;
        } else if (el.tagName === 'SELECT' && el.dataset.other) {
          if (!v || hasOption(el, v)) {
            if (v) { el.value = v; }
          } else {
            unoffered = v;
            if (!hold) {
              el.value = 'custom';
              $(el.dataset.other).value = v;
            }
          }
        } else {
          el.value = v;
        }
      });
    });
    if (more || (unoffered && !hold)) { $('more').open = true; }
    return unoffered;
  }

  // useResolver puts an unlisted resolver the user agreed to in the form.
  function useResolver(url) {
    var sel = form.querySelector('select[data-other]');
    sel.value = 'custom';
    $(sel.dataset.other).value = url;
    $('more').open = true;
  }

  function show(html, res) {
    last = res;
    result.classList.remove('pending');
    result.innerHTML = html;
    page.land(result.querySelector('[data-testid="outcome"]') || result);
  }

  // check runs arg (a query string or the form's controls as JSON) in the
  // analyzer's module, or in the tools module when Go says it needs it.
  function check(arg, step) {
    return analyzer('check', arg, step).catch(function (err) {
      if (err.needs !== 'tools') { throw err; }
      $('progress-text').textContent = 'Loading the planner module…';
      return tools('check', arg, step);
    });
  }

  // run checks input: the form's controls (readForm) or a link's query
  // string. A check from the form is a new entry in the browser's
  // history, so that Back returns to the check before it; a link's
  // (opened, or come back to with Back or Forward) stays the entry it
  // is. assumed, when set, says what the link left out and the page
  // chose; the banner says it.
  function run(input, assumed) {
    clearError();
    $('confirm').hidden = true;
    if (!ready) { pending = input; $('loading').textContent = 'Loading the analyzer… the check starts when it is ready.'; return; }
    setBusy(true);
    // The report of other inputs goes while these are checked.
    if (!result.classList.contains('pending')) { result.textContent = ''; last = null; }
    var mine = ++seq;
    var arg = typeof input === 'string' ? input : JSON.stringify(input);
    check(arg, function (ev) { if (mine === seq) { onStep(ev); } }).then(function (res) {
      if (mine !== seq) { return; }
      setAddress(res.query || location.pathname, typeof input !== 'string');
      fillForm(res.form, res.more);
      show(res.html, res);
      if (assumed) { tell(assumed); }
    }, function (err) {
      if (mine === seq) {
        // An earlier report would now describe other inputs; its link
        // goes too. The address bar holds the inputs as typed (Go
        // gives their link when it could read them), the form keeps
        // them.
        result.classList.remove('pending');
        result.textContent = '';
        last = null;
        if (typeof input !== 'string') { setAddress(err.query || location.pathname, true); }
        showError(err.message);
      }
    }).then(function () { if (mine === seq) { setBusy(false); } });
  }

  // setAddress puts a check's link in the address bar: a new history
  // entry when push is set and the link differs from the one shown. A
  // link already in the address bar (a share link's own check) is left
  // as it is: replacing the entry with itself costs the main thread a
  // same-document navigation (16 ms at 4x CPU) just as the verdict is
  // put in the page (issue 27).
  function setAddress(url, push) {
    var here = location.pathname + location.search + location.hash;
    if (push && url !== here && url !== location.search) {
      history.pushState({ check: true }, '', url);
    } else if (new URL(url, location.href).href !== location.href) {
      history.replaceState({ check: true }, '', url);
    }
  }

  // tell adds a line to the shown report's banner: what the page
  // assumed to run its link.
  function tell(text) {
    var banner = result.querySelector('[data-testid="outcome"]');
    if (!banner) { return; }
    var p = document.createElement('p');
    p.className = 'assumed';
    p.setAttribute('data-testid', 'assumed');
    p.textContent = text;
    banner.appendChild(p);
  }

  // firstResolver is the resolver this page offers first (the select's
  // first choice): what a link that names none is checked with.
  function firstResolver() {
    var sel = form.querySelector('select[data-other]');
    var o = sel && sel.options[0];
    return o ? { value: o.value, label: o.textContent } : null;
  }

  // confirm asks before an unlisted resolver is used: text says why, and
  // yes runs when the user agrees.
  function confirm(text, yes) {
    result.classList.remove('pending');
    $('confirm-text').textContent = text;
    $('confirm').hidden = false;
    $('confirm-run').onclick = yes;
    $('confirm-cancel').onclick = function () { $('confirm').hidden = true; $('uri').focus(); };
    $('confirm-run').focus();
  }

  // openSnapshot shows a snapshot link's report. Go says whether the
  // fragment is one at all (an anchor is not) and refuses a damaged one.
  // The snapshot's resolver goes into the form only when the page offers
  // it; otherwise the page asks before any check uses it.
  function openSnapshot(hash) {
    // A snapshot of what the real servers answered (check --connect) is
    // shown by the tools module.
    return analyzer('decodeShare', hash).catch(function (err) {
      if (err.needs !== 'tools') { throw err; }
      return tools('decodeShare', hash);
    }).then(function (res) {
      if (!res.found) { return false; }
      clearError();
      $('confirm').hidden = true;
      var unoffered = fillForm(res.form, res.more, true);
      show(res.html, res);
      if (unoffered) {
        confirm('This snapshot was made with the DNS resolver ' + unoffered + ', which this page does not list. The report shows the answers recorded in the link; a new check sends DNS questions about ' + res.report.uri + ' to the resolver you choose. Check again with ' + unoffered + '?',
          function () { useResolver(unoffered); run(readForm()); });
      }
      return true;
    }, function (err) {
      result.classList.remove('pending');
      result.textContent = '';
      last = null;
      showError(err.message);
      return true;
    });
  }

  // A long snapshot shows the first rows of each list; its "Show all"
  // renders the whole report again.
  result.addEventListener('click', function (e) {
    var b = e.target.closest ? e.target.closest('[data-action="show-all"]') : null;
    if (!b) { return; }
    b.disabled = true;
    analyzer('decodeShare', location.hash, true).catch(function (err) {
      if (err.needs !== 'tools') { throw err; }
      return tools('decodeShare', location.hash, true);
    }).then(function (res) {
      if (res.found) { show(res.html, res); }
    }, function (err) { b.disabled = false; showError(err.message); });
  });

  // takeHandoff checks a zone the plan page handed over ("Analyze this
  // zone"): it fills the form with it, once, and checks it.
  function takeHandoff() {
    var s = null;
    try {
      s = sessionStorage.getItem('sipdisco.handoff');
      sessionStorage.removeItem('sipdisco.handoff');
    } catch (e) { return false; }
    if (!s) { return false; }
    var entries;
    try { entries = JSON.parse(s); } catch (e) { return false; }
    fillForm(entries, true);
    run(readForm());
    return true;
  }

  // openLink checks the link's query string, or asks first about an
  // unlisted resolver; it reports whether there was a link to open.
  function openLink() {
    if (!/[?&]uri=/.test(location.search)) { result.classList.remove('pending'); return false; }
    var search = location.search;
    // A link made before links carried their resolver: it is checked
    // with the page's first, and the report says so.
    var assumed = '';
    var first = firstResolver();
    if (!/[?&]doh=/.test(search) && first) {
      search += '&doh=' + encodeURIComponent(first.value);
      assumed = 'This link names no DNS resolver, so it was checked with the first this page offers: ' + first.label +
        ' (doh=' + first.value + '). The address bar now holds the link with it.';
    }
    analyzer('parseQuery', search).then(function (q) {
      if (!q.found) { result.classList.remove('pending'); return; }
      var unoffered = fillForm(q.form, q.more, true);
      var r = q.resolver;
      if (unoffered && r !== 'local' && r !== 'zone') {
        confirm('This link asks the DNS resolver ' + r + ', which this page does not list. DNS questions about ' + q.uri + ' would be sent to it. Check with it?',
          function () { useResolver(r); run(search, assumed); });
        return;
      }
      run(search, assumed);
    }, function (err) {
      result.classList.remove('pending');
      showError('This link cannot be used: ' + err.message);
    });
    return true;
  }

  // showDemos shows a static site's demo list when sipdisco serve
  // answers /dns-query beside it (sipdisco serve --site): one DNS
  // question, for healthy.example's A record.
  function showDemos() {
    var list = document.querySelector('[data-needs-serve]');
    if (!list || !window.fetch) { return; }
    var q = '\0\0\x01\0\0\x01\0\0\0\0\0\0\x07healthy\x07example\0\0\x01\0\x01';
    var dns = btoa(q).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    fetch('dns-query?dns=' + dns, { headers: { Accept: 'application/dns-message' } }).then(function (r) {
      if (!r.ok || (r.headers.get('Content-Type') || '').indexOf('application/dns-message') !== 0) { return; }
      list.hidden = false;
      var note = document.querySelector('[data-testid="demos-elsewhere"]');
      if (note) { note.hidden = true; }
    }, function () {});
  }

  function start() {
    showDemos();
    if (takeHandoff()) { return; }
    // With nothing to check yet, the module runs a check of its own so
    // that the user's first one is as fast as the next (the browser
    // optimises what has run); a link's check is not kept waiting for it.
    var warm = function () { analyzer('warm').catch(function () {}); };
    if (location.hash) {
      openSnapshot(location.hash).then(function (was) { if (!was && !openLink()) { warm(); } });
      return;
    }
    if (!openLink()) { warm(); }
  }

  var download = page.download;

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    run(readForm());
  });

  page.followStrict('profile', 'strict');

  $('zone').addEventListener('change', function () {
    var status = $('zone-status');
    if (!ready || !this.value) { status.textContent = ''; return; }
    tools('parseZone', this.value, $('uri').value).then(function (r) {
      status.textContent = 'Zone read: ' + r.zones.join(', ') + '.';
    }, function (err) {
      status.textContent = err.message;
    });
  });

  result.addEventListener('click', function (e) {
    // An arrow of the sign-in ladder opens its message below.
    var arrow = e.target.closest('a[data-testid="ladder-arrow"]');
    if (arrow) {
      var li = document.getElementById((arrow.getAttribute('href') || '').slice(1));
      var d = li && li.querySelector('details');
      if (d) {
        e.preventDefault();
        d.open = true;
        // The entry, not its summary, takes the focus: the rest of an
        // Enter that activated the arrow must not close it again.
        li.focus();
        li.scrollIntoView({ block: 'nearest' });
      }
      return;
    }
    var b = e.target.closest('button');
    if (!b) { return; }
    if (b.dataset.copy) {
      var a = result.querySelector('[data-testid="' + b.dataset.copy + '"]');
      if (!a || !navigator.clipboard) { return; }
      navigator.clipboard.writeText(new URL(a.getAttribute('href'), location.href).href).then(function () {
        b.textContent = 'Copied';
      }, function () {
        b.textContent = 'Copy failed: select the link instead';
      });
    } else if (b.dataset.export === 'json' && last) {
      // The shape of sipdisco check --json: an array of reports (README:
      // the JSON contract), here of one.
      download('sipdisco-report.json', 'application/json', JSON.stringify([last.report], null, 2) + '\n');
    } else if (b.dataset.export === 'md' && last) {
      var report = JSON.stringify(last.report);
      analyzer('markdown', report).catch(function (err) {
        if (err.needs !== 'tools') { throw err; }
        return tools('markdown', report);
      }).then(function (md) {
        download('sipdisco-report.md', 'text/markdown', md);
      }, function (err) { showError(err.message); });
    }
  });

  // The banner's link to its first problem moves there without putting
  // the element's id in the address bar, where a snapshot link lives.
  result.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a[data-jump]') : null;
    if (!a) { return; }
    var el = document.getElementById(a.getAttribute('href').slice(1));
    if (!el) { return; }
    e.preventDefault();
    // What it links to may be in a folded section: open it.
    for (var d = el.closest('details'); d; d = d.parentElement.closest('details')) { d.open = true; }
    // And its own detail, folded under its one line: a finding's, or the
    // sign-in's under its section's heading.
    var box = el.closest('li, section');
    var own = box && box.querySelector('details[data-detail]');
    if (own) { own.open = true; }
    page.land(el);
  });

  // Back and Forward move between checks: the entry's link is opened
  // again (a snapshot by the hashchange below); an entry with no check
  // shows the empty page.
  window.addEventListener('popstate', function () {
    if (!ready || /^#[sS]/.test(location.hash)) { return; }
    $('confirm').hidden = true;
    clearError();
    if (!openLink()) {
      ++seq;
      result.textContent = '';
      last = null;
    }
  });

  window.addEventListener('hashchange', function () {
    if (ready && location.hash) { openSnapshot(location.hash); }
  });

  page.start({
    loading: 'loading',
    what: 'analyzer',
    ready: function () {
      ready = true;
      if (pending) { var p = pending; pending = null; run(p); return; }
      start();
    },
    failed: showError
  });
}());
