// sipdisco batch audit loader: loads the Go runtime and the tools module
// (tools.wasm), then wires the form to its audit. Reading the list,
// checking, rendering and the CSV and JSON all happen in Go; this file
// only moves values.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var form = $('audit-form');
  if (!form) { return; }

  var api = false; // the tools module is ready
  var call = function () { return window.sipdiscoPage.call.apply(null, ['tools'].concat(Array.prototype.slice.call(arguments))); };
  var seq = 0;
  var last = null;
  var result = $('audit-result');

  var page = window.sipdiscoPage;
  page.followStrict('audit-profile', 'audit-strict');

  function showError(msg) { page.showError('audit-error', msg); }

  function readForm() {
    var doh = $('audit-doh').value;
    if (doh === 'custom') { doh = $('audit-custom').value; }
    return {
      list: $('audit-list').value,
      profile: $('audit-profile').value,
      strict: $('audit-strict').checked,
      allowTCP: $('audit-tcp').checked,
      doh: doh,
      zone: doh === 'zone' ? $('audit-zone').value : ''
    };
  }

  var download = page.download;

  function run(opts) {
    $('audit-error').hidden = true;
    if (!api) { $('audit-loading').textContent = 'Loading the analyzer… try again in a moment.'; return; }
    var mine = ++seq;
    var progress = $('audit-progress');
    progress.textContent = 'Checking…';
    $('audit-run').disabled = true;
    form.setAttribute('aria-busy', 'true');
    call('audit', JSON.stringify(opts), function (done, total) {
      if (mine === seq) { progress.textContent = done + ' of ' + total + ' lines done'; }
    }).then(function (res) {
      if (mine !== seq) { return; }
      last = res;
      progress.textContent = res.summary.total + ' of ' + res.summary.total + ' lines done';
      result.innerHTML = res.html;
      page.land(result);
    }, function (err) {
      if (mine !== seq) { return; }
      last = null;
      result.textContent = '';
      progress.textContent = '';
      showError(err.message);
    }).then(function () {
      if (mine === seq) { $('audit-run').disabled = false; form.setAttribute('aria-busy', 'false'); }
    });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    run(readForm());
  });

  result.addEventListener('click', function (e) {
    var b = e.target.closest('button');
    if (!b || !last) { return; }
    if (b.dataset.export === 'csv') {
      download('sipdisco-audit.csv', 'text/csv', last.csv);
    } else if (b.dataset.export === 'json') {
      download('sipdisco-audit.json', 'application/json', last.json);
    }
  });

  page.start({
    module: 'tools',
    loading: 'audit-loading',
    what: 'analyzer',
    ready: function () { api = true; },
    failed: showError
  });
}());
