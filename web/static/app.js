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

  function readForm() {
    var doh = $('doh').value;
    if (doh === 'custom') { doh = $('customDoH').value; }
    return {
      uri: $('uri').value,
      profile: $('profile').value,
      strict: $('strict').checked,
      allowTCP: $('tcp').checked,
      manualInternal: $('manualInternal').value,
      manualExternal: $('manualExternal').value,
      doh: doh,
      zone: $('zone').value,
      account: $('account').value,
      credentials: $('cred').value,
      desktopAccount: $('desktop').value,
      wrongPassword: $('badpw').checked,
      owner: $('owner').value,
      notEnabled: $('notenabled').checked,
      offers: offerBoxes().filter(function (b) { return b.checked; }).map(function (b) { return b.value; }),
      compression: $('compression').checked,
      homePool: $('homepool').value,
      certificateNames: $('certnames').value,
      certificatePEM: $('certpem').value
    };
  }

  function offerBoxes() {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="offers"]'));
  }

  function listed(doh) {
    var opts = $('doh').options;
    for (var i = 0; i < opts.length; i++) {
      if (opts[i].value === doh && doh !== 'custom') { return true; }
    }
    return false;
  }

  function fillForm(o) {
    $('uri').value = o.uri || '';
    $('profile').value = o.profile;
    $('strict').checked = !!o.strict;
    $('tcp').checked = !!o.allowTCP;
    $('manualInternal').value = o.manualInternal || '';
    $('manualExternal').value = o.manualExternal || '';
    $('account').value = o.account || '';
    $('cred').value = o.credentials || 'current';
    $('desktop').value = o.desktopAccount || '';
    $('badpw').checked = !!o.wrongPassword;
    $('owner').value = o.owner || '';
    $('notenabled').checked = !!o.notEnabled;
    offerBoxes().forEach(function (b) { b.checked = !o.offers || o.offers.indexOf(b.value) >= 0; });
    $('compression').checked = !!o.compression;
    $('homepool').value = o.homePool || '';
    $('certnames').value = o.certificateNames || '';
    if (o.account || o.desktopAccount || o.manualInternal || o.manualExternal || o.owner || o.notEnabled ||
        o.offers || o.compression || o.homePool || o.certificateNames || o.wrongPassword ||
        (o.credentials && o.credentials !== 'current')) { $('more').open = true; }
    if (!o.doh) { return; }
    if (listed(o.doh)) {
      $('doh').value = o.doh;
    } else {
      $('doh').value = 'custom';
      $('customDoH').value = o.doh;
      $('more').open = true;
    }
  }

  function show(html, res) {
    last = res;
    result.innerHTML = html;
    result.focus();
  }

  function run(opts) {
    clearError();
    $('confirm').hidden = true;
    if (!api) { pending = opts; $('loading').textContent = 'Loading the analyzer… the check starts when it is ready.'; return; }
    setBusy(true);
    var mine = ++seq;
    api.check(JSON.stringify(opts), function (ev) { if (mine === seq) { onStep(ev); } }).then(function (res) {
      if (mine !== seq) { return; }
      history.replaceState(null, '', res.query || location.pathname);
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

  function confirmResolver(opts) {
    $('confirm-text').textContent = 'This link asks the DNS resolver ' + opts.doh +
      ', which this page does not list. DNS questions about ' + opts.uri + ' would be sent to it. Check with it?';
    $('confirm').hidden = false;
    $('confirm-run').onclick = function () { run(opts); };
    $('confirm-cancel').onclick = function () { $('confirm').hidden = true; $('uri').focus(); };
    $('confirm-run').focus();
  }

  function openSnapshot(hash) {
    clearError();
    api.decodeShare(hash).then(function (res) {
      var r = res.report;
      fillForm({
        uri: r.uri, profile: r.profile, strict: r.policy.strictNaming, allowTCP: r.policy.allowTCP,
        manualInternal: r.policy.manualInternal, manualExternal: r.policy.manualExternal, doh: res.doh
      });
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
    var o;
    try { o = JSON.parse(s); } catch (e) { return false; }
    fillForm(o);
    $('zone').value = o.zone || '';
    $('more').open = true;
    run(readForm());
    return true;
  }

  function start() {
    if (takeHandoff()) { return; }
    if (location.hash.indexOf('#s=') === 0) { openSnapshot(location.hash); return; }
    if (!location.search) { return; }
    api.parseQuery(location.search).then(function (q) {
      if (!q.found) { return; }
      fillForm(q.options);
      var doh = q.options.doh;
      if (doh && doh !== 'local' && doh !== 'zone' && !listed(doh)) { confirmResolver(q.options); return; }
      run(q.options);
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
    } else if (b.dataset.export === 'md' && last && last.markdown) {
      download('sipdisco-report.md', 'text/markdown', last.markdown);
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
