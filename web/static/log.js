// sipdisco log reader loader: loads the Go runtime and the tools module
// (tools.wasm) in its worker, then hands it the dropped, chosen or pasted
// log as a Blob, which the module reads as a stream. Reading, redacting,
// predicting and rendering all happen in Go; this file only moves
// values. Nothing of the log is sent anywhere. A log link (#l=…, the
// redacted ladder in the fragment, which a browser never sends) is
// opened by the module too (openLogLink), which checks all of it first.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var form = $('log-form');
  if (!form) { return; }

  var page = window.sipdiscoPage;
  var call = function () { return page.call.apply(null, ['tools'].concat(Array.prototype.slice.call(arguments))); };
  var result = $('log-result');
  var bar = $('log-bar');
  var seq = 0;
  var dropped = null; // a file dropped on the form
  var api = false; // the tools module is ready

  function showError(msg) { page.showError('log-error', msg); }

  function source() {
    if (dropped) { return dropped; }
    var f = $('log-file').files;
    if (f && f.length > 0) { return f[0]; }
    var text = $('log-text').value;
    if (text) { return new Blob([text], { type: 'text/plain' }); }
    return null;
  }

  function resolver() {
    var doh = $('log-doh').value;
    if (doh === 'custom') { doh = $('log-custom').value; }
    return doh;
  }

  function run() {
    page.clearError('log-error');
    var blob = source();
    if (!blob) { showError('choose a log file, drop one on the form or paste a log'); return; }
    var mine = ++seq;
    // A log link's ladder gives way to the log read now: the address
    // no longer names it.
    if (location.hash.indexOf('#l=') === 0 && window.history && history.replaceState) {
      history.replaceState(null, '', location.pathname + location.search);
    }
    $('log-run').disabled = true;
    form.setAttribute('aria-busy', 'true');
    bar.hidden = false;
    bar.max = Math.max(blob.size, 1);
    bar.value = 0;
    $('log-progress').textContent = 'Reading the log…';
    call('readLog', blob, JSON.stringify({ doh: resolver() }), function (n) {
      if (mine !== seq) { return; }
      bar.value = n;
      $('log-progress').textContent = 'Read ' + Math.round(100 * n / bar.max) + ' %';
    }).then(function (res) {
      if (mine !== seq) { return; }
      bar.value = bar.max;
      result.innerHTML = res.html;
      page.land(result);
    }, function (err) {
      if (mine !== seq) { return; }
      result.textContent = '';
      showError(err.message);
    }).then(function () {
      if (mine === seq) {
        $('log-progress').textContent = '';
        $('log-run').disabled = false;
        form.setAttribute('aria-busy', 'false');
      }
    });
  }

  // openLink shows the ladder a log link carries, or why it cannot.
  function openLink() {
    var hash = location.hash;
    if (hash.indexOf('#l=') !== 0) { return; }
    var mine = ++seq;
    page.clearError('log-error');
    call('openLogLink', hash).then(function (res) {
      if (mine !== seq || !res.found) { return; }
      result.innerHTML = res.html;
      page.land(result);
    }, function (err) {
      if (mine !== seq) { return; }
      result.textContent = '';
      showError('This log link cannot be opened: ' + err.message);
    });
  }

  // Copy link: the link's full address, as the report's button does.
  result.addEventListener('click', function (e) {
    var b = e.target.closest('button[data-copy]');
    if (!b) { return; }
    var a = result.querySelector('[data-testid="' + b.dataset.copy + '"]');
    if (!a || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(new URL(a.getAttribute('href'), location.href).href).then(function () {
      b.textContent = 'Copied';
    }, function () {
      b.textContent = 'Copy failed: select the link instead';
    });
  });
  window.addEventListener('hashchange', function () {
    if (api) { openLink(); }
  });

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    run();
  });
  $('log-file').addEventListener('change', function () { dropped = null; });
  $('log-text').addEventListener('input', function () { dropped = null; });
  form.addEventListener('dragover', function (e) { e.preventDefault(); form.classList.add('dropping'); });
  form.addEventListener('dragleave', function () { form.classList.remove('dropping'); });
  form.addEventListener('drop', function (e) {
    e.preventDefault();
    form.classList.remove('dropping');
    var files = e.dataTransfer && e.dataTransfer.files;
    if (!files || files.length === 0) { return; }
    dropped = files[0];
    $('log-progress').textContent = 'Dropped ' + dropped.name;
    run();
  });

  page.start({
    module: 'tools',
    loading: 'log-loading',
    what: 'log reader',
    ready: function () { api = true; openLink(); },
    failed: showError
  });
}());
