// sipdisco loader: loads wasm_exec.js's Go runtime and main.wasm, then wires
// the analyzer form to the Go functions on the global `sipdisco` object.
// All analysis, validation and rendering happen in Go; this file only moves
// values between the page and those functions.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var form = $('check-form');
  if (!form) { return; }

  var api = null;
  var last = null;
  var seq = 0; // only the latest check may show its result
  var pending = null;
  var result = $('result');

  var page = window.sipdiscoPage;

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
  // data-other names. It returns false when such a value had to go there
  // (the page does not offer it).
  function fillForm(entries, more) {
    var offered = true;
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
            el.value = 'custom';
            $(el.dataset.other).value = v;
            offered = false;
          }
        } else {
          el.value = v;
        }
      });
    });
    if (more || !offered) { $('more').open = true; }
    return offered;
  }

  function show(html, res) {
    last = res;
    result.innerHTML = html;
    result.focus();
  }

  // run checks input: the form's controls (readForm) or a link's query
  // string.
  function run(input) {
    clearError();
    $('confirm').hidden = true;
    if (!api) { pending = input; $('loading').textContent = 'Loading the analyzer… the check starts when it is ready.'; return; }
    setBusy(true);
    var mine = ++seq;
    var arg = typeof input === 'string' ? input : JSON.stringify(input);
    api.check(arg, function (ev) { if (mine === seq) { onStep(ev); } }).then(function (res) {
      if (mine !== seq) { return; }
      history.replaceState(null, '', res.query || location.pathname);
      fillForm(res.form, res.more);
      show(res.html, res);
    }, function (err) {
      if (mine === seq) {
        // An earlier report would now describe other inputs.
        result.textContent = '';
        last = null;
        showError(err.message);
      }
    }).then(function () { if (mine === seq) { setBusy(false); } });
  }

  function confirmResolver(q, search) {
    $('confirm-text').textContent = 'This link asks the DNS resolver ' + q.resolver +
      ', which this page does not list. DNS questions about ' + q.uri + ' would be sent to it. Check with it?';
    $('confirm').hidden = false;
    $('confirm-run').onclick = function () { run(search); };
    $('confirm-cancel').onclick = function () { $('confirm').hidden = true; $('uri').focus(); };
    $('confirm-run').focus();
  }

  function openSnapshot(hash) {
    clearError();
    api.decodeShare(hash).then(function (res) {
      fillForm(res.form, res.more);
      show(res.html, res);
    }, function (err) {
      result.textContent = '';
      showError(err.message);
    });
  }

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

  function start() {
    if (takeHandoff()) { return; }
    if (location.hash.indexOf('#s=') === 0) { openSnapshot(location.hash); return; }
    if (!location.search) { return; }
    var search = location.search;
    api.parseQuery(search).then(function (q) {
      if (!q.found) { return; }
      var offered = fillForm(q.form, q.more);
      var r = q.resolver;
      if (r && r !== 'local' && r !== 'zone' && !offered) { confirmResolver(q, search); return; }
      run(search);
    }, function (err) {
      showError('This link cannot be used: ' + err.message);
    });
  }

  var download = page.download;

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    run(readForm());
  });

  $('zone').addEventListener('change', function () {
    var status = $('zone-status');
    if (!api || !this.value) { status.textContent = ''; return; }
    api.parseZone(this.value, $('uri').value).then(function (r) {
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
      download('sipdisco-report.json', 'application/json', JSON.stringify(last.report, null, 2) + '\n');
    } else if (b.dataset.export === 'md' && last) {
      api.markdown(JSON.stringify(last.report)).then(function (md) {
        download('sipdisco-report.md', 'text/markdown', md);
      }, function (err) { showError(err.message); });
    }
  });

  window.addEventListener('hashchange', function () {
    if (api && location.hash.indexOf('#s=') === 0) { openSnapshot(location.hash); }
  });

  page.start({
    loading: 'loading',
    what: 'analyzer',
    ready: function (a) {
      api = a;
      if (pending) { var p = pending; pending = null; run(p); return; }
      start();
    },
    failed: showError
  });
}());
