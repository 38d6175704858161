// sipdisco comparison page loader: loads the Go runtime and the tools
// module (tools.wasm), then wires the form to its compare (two views side
// by side) and matrix (every client × strict naming). All checking,
// validation and rendering happen in Go; this file only moves values.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var form = $('cmp-form');
  if (!form) { return; }

  var api = false; // the tools module is ready
  var call = function () { return window.sipdiscoPage.call.apply(null, ['tools'].concat(Array.prototype.slice.call(arguments))); };
  var seq = 0;
  var result = $('cmp-result');

  var page = window.sipdiscoPage;
  page.followStrict('cmp-profile', 'cmp-strict');

  function showError(msg) { page.showError('cmp-error', msg); }

  function view(id) {
    var doh = $('cmp-' + id).value;
    if (doh === 'custom') { doh = $('cmp-' + id + '-custom').value; }
    return { doh: doh, zone: doh === 'zone' ? $('cmp-' + id + '-zone').value : '' };
  }

  function readForm() {
    return {
      uri: $('cmp-uri').value,
      profile: $('cmp-profile').value,
      strict: $('cmp-strict').checked,
      allowTCP: $('cmp-tcp').checked,
      a: view('a'),
      b: view('b'),
      more: $('cmp-more').value.split('\n')
    };
  }

  function listed(sel, doh) {
    var opts = sel.options;
    for (var i = 0; i < opts.length; i++) {
      if (opts[i].value === doh && doh !== 'custom') { return true; }
    }
    return false;
  }

  function fillView(id, doh) {
    if (!doh) { return; }
    if (listed($('cmp-' + id), doh)) {
      $('cmp-' + id).value = doh;
    } else {
      $('cmp-' + id).value = 'custom';
      $('cmp-' + id + '-custom').value = doh;
    }
  }

  function fillForm(v) {
    $('cmp-uri').value = v.uri || '';
    $('cmp-profile').value = v.profile;
    $('cmp-strict').checked = !!v.strict;
    $('cmp-tcp').checked = !!v.allowTCP;
    $('cmp-more').value = (v.more || []).join('\n');
    fillView('a', v.a.doh);
    fillView('b', v.b.doh);
  }

  function run(kind, opts) {
    $('cmp-error').hidden = true;
    $('cmp-confirm').hidden = true;
    if (!api) { $('cmp-loading').textContent = 'Loading the analyzer… try again in a moment.'; return; }
    var mine = ++seq;
    form.setAttribute('aria-busy', 'true');
    call(kind, JSON.stringify(opts)).then(function (res) {
      if (mine !== seq) { return; }
      history.replaceState(null, '', res.query);
      result.innerHTML = res.html;
      page.land(result);
    }, function (err) {
      if (mine !== seq) { return; }
      result.textContent = '';
      showError(err.message);
    }).then(function () { if (mine === seq) { form.setAttribute('aria-busy', 'false'); } });
  }

  function start() {
    if (!location.search) { return; }
    call('parseViews', location.search).then(function (q) {
      if (!q.found) { return; }
      var v = q.views;
      fillForm(v);
      var kind = v.matrix ? 'matrix' : 'compare';
      var unlisted = [v.a.doh, v.b.doh].filter(function (d) { return d && d !== 'local' && d !== 'zone' && !listed($('cmp-a'), d); });
      if (v.a.doh === 'zone' || v.b.doh === 'zone') {
        showError('This link compares with a planned zone, which links do not carry: paste the zone and press the button again.');
        return;
      }
      if (unlisted.length > 0) {
        $('cmp-confirm-text').textContent = 'This link asks the DNS resolver ' + unlisted.join(' and ') +
          ', which this page does not list. DNS questions about ' + v.uri + ' would be sent to it. Check with it?';
        $('cmp-confirm').hidden = false;
        $('cmp-confirm-run').onclick = function () { run(kind, v); };
        $('cmp-confirm-run').focus();
        return;
      }
      run(kind, v);
    }, function (err) {
      showError('This link cannot be used: ' + err.message);
    });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    run('compare', readForm());
  });
  $('cmp-matrix').addEventListener('click', function () {
    var o = readForm();
    o.matrix = true;
    run('matrix', o);
  });

  page.start({
    module: 'tools',
    loading: 'cmp-loading',
    what: 'analyzer',
    ready: function () { api = true; start(); },
    failed: showError
  });
}());
