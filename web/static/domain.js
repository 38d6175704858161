// sipdisco domain report loader: loads the Go runtime and the tools module
// (tools.wasm), then wires the form to its domain report. Reading the
// domains, asking DNS, judging and rendering all happen in Go; this file
// only moves values. A link "?domains=A+B&doh=…" fills the form and runs
// the report.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var form = $('dom-form');
  if (!form) { return; }

  var api = false; // the tools module is ready
  var call = function () { return window.sipdiscoPage.call.apply(null, ['tools'].concat(Array.prototype.slice.call(arguments))); };
  var seq = 0;
  var last = null;
  var result = $('dom-result');
  var page = window.sipdiscoPage;

  function showError(msg) { page.showError('dom-error', msg); }

  function readForm() {
    var doh = $('dom-doh').value;
    if (doh === 'custom') { doh = $('dom-custom').value; }
    return { domains: $('dom-list').value.split('\n'), doh: doh };
  }

  function listed(doh) {
    var opts = $('dom-doh').options;
    for (var i = 0; i < opts.length; i++) {
      if (opts[i].value === doh && doh !== 'custom') { return true; }
    }
    return false;
  }

  function fillForm(v) {
    $('dom-list').value = (v.domains || []).join('\n');
    if (!v.doh) { return; }
    if (listed(v.doh)) {
      $('dom-doh').value = v.doh;
    } else {
      $('dom-doh').value = 'custom';
      $('dom-custom').value = v.doh;
    }
  }

  function run(opts) {
    $('dom-error').hidden = true;
    $('dom-confirm').hidden = true;
    if (!api) { $('dom-loading').textContent = 'Loading the analyzer… try again in a moment.'; return; }
    var mine = ++seq;
    var progress = $('dom-progress');
    progress.textContent = 'Asking DNS…';
    $('dom-run').disabled = true;
    form.setAttribute('aria-busy', 'true');
    call('domain', JSON.stringify(opts)).then(function (res) {
      if (mine !== seq) { return; }
      history.replaceState(null, '', res.query);
      last = res;
      result.innerHTML = res.html;
      page.land(result);
    }, function (err) {
      if (mine !== seq) { return; }
      last = null;
      result.textContent = '';
      showError(err.message);
    }).then(function () {
      if (mine === seq) { progress.textContent = ''; $('dom-run').disabled = false; form.setAttribute('aria-busy', 'false'); }
    });
  }

  function start() {
    if (!location.search) { return; }
    call('parseDomains', location.search).then(function (q) {
      if (!q.found) { return; }
      var v = q.form;
      fillForm(v);
      if (!v.doh) { v.doh = readForm().doh; } // the page's default resolver
      if (v.doh && v.doh !== 'local' && v.doh !== 'upstream' && !listed(v.doh)) {
        $('dom-confirm-text').textContent = 'This link asks the DNS resolver ' + v.doh +
          ', which this page does not list. DNS questions about ' + v.domains.join(', ') + ' would be sent to it. Report through it?';
        $('dom-confirm').hidden = false;
        $('dom-confirm-run').onclick = function () { run(v); };
        $('dom-confirm-run').focus();
        return;
      }
      run(v);
    }, function (err) {
      showError('This link cannot be used: ' + err.message);
    });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    run(readForm());
  });

  result.addEventListener('click', function (e) {
    var b = e.target.closest('button');
    if (b && last && b.dataset.export === 'json') {
      page.download('sipdisco-domain.json', 'application/json', last.json);
    }
  });

  page.start({
    module: 'tools',
    loading: 'dom-loading',
    what: 'analyzer',
    ready: function () { api = true; start(); },
    failed: showError
  });
}());
