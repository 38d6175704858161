// sipdisco plan page loader: loads the Go runtime and the tools module
// (tools.wasm), then wires the plan form and the certificate check to its
// plan and checkCert. Generating, checking and rendering happen in Go;
// this file only moves values between the page and those functions.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var form = $('plan-form');
  if (!form) { return; }

  var api = false; // the tools module is ready
  var call = function () { return window.sipdiscoPage.call.apply(null, ['tools'].concat(Array.prototype.slice.call(arguments))); };
  var last = null; // the latest plan's result
  var seq = 0;

  var page = window.sipdiscoPage;
  var showError = page.showError;
  var clearError = page.clearError;

  function readForm() {
    var profiles = [];
    var boxes = form.querySelectorAll('input[name="profile"]');
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) { profiles.push(boxes[i].value); }
    }
    return {
      domains: $('plan-domains').value,
      pool: $('plan-pool').value,
      poolIP: $('plan-pool-ip').value,
      poolServers: $('plan-pool-servers').value,
      director: $('plan-director').value,
      directorIP: $('plan-director-ip').value,
      directorServers: $('plan-director-servers').value,
      edge: $('plan-edge').value,
      edgeIP: $('plan-edge-ip').value,
      edgeInternal: $('plan-edge-internal').value,
      edgeInternalIP: $('plan-edge-internal-ip').value,
      webConfEdge: $('plan-webconf').value,
      webConfEdgeIP: $('plan-webconf-ip').value,
      avEdge: $('plan-av').value,
      avEdgeIP: $('plan-av-ip').value,
      webInternal: $('plan-web-internal').value,
      webExternal: $('plan-web-external').value,
      directorWebInternal: $('plan-dir-web-internal').value,
      directorWebExternal: $('plan-dir-web-external').value,
      officeOnline: $('plan-oos').value,
      officeOnlineIP: $('plan-oos-ip').value,
      internalZones: $('plan-zones').value,
      profiles: profiles,
      strict: $('plan-strict').checked,
      allowTCP: $('plan-tcp').checked,
      simpleURLs: $('plan-simple').checked,
      xmpp: $('plan-xmpp').checked,
      noFederation: $('plan-nofed').checked
    };
  }

  function fillForm(f) {
    $('plan-domains').value = f.domains || '';
    $('plan-pool').value = f.pool || '';
    $('plan-pool-ip').value = f.poolIP || '';
    $('plan-pool-servers').value = f.poolServers || '';
    $('plan-director').value = f.director || '';
    $('plan-director-ip').value = f.directorIP || '';
    $('plan-director-servers').value = f.directorServers || '';
    $('plan-edge').value = f.edge || '';
    $('plan-edge-ip').value = f.edgeIP || '';
    $('plan-edge-internal').value = f.edgeInternal || '';
    $('plan-edge-internal-ip').value = f.edgeInternalIP || '';
    $('plan-webconf').value = f.webConfEdge || '';
    $('plan-webconf-ip').value = f.webConfEdgeIP || '';
    $('plan-av').value = f.avEdge || '';
    $('plan-av-ip').value = f.avEdgeIP || '';
    $('plan-web-internal').value = f.webInternal || '';
    $('plan-web-external').value = f.webExternal || '';
    $('plan-dir-web-internal').value = f.directorWebInternal || '';
    $('plan-dir-web-external').value = f.directorWebExternal || '';
    $('plan-oos').value = f.officeOnline || '';
    $('plan-oos-ip').value = f.officeOnlineIP || '';
    $('plan-zones').value = f.internalZones || '';
    var boxes = form.querySelectorAll('input[name="profile"]');
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].checked = (f.profiles || []).indexOf(boxes[i].value) >= 0;
    }
    $('plan-strict').checked = !!f.strict;
    $('plan-tcp').checked = !!f.allowTCP;
    $('plan-simple').checked = !!f.simpleURLs;
    $('plan-xmpp').checked = !!f.xmpp;
    $('plan-nofed').checked = !!f.noFederation;
  }

  function generate() {
    clearError('plan-error');
    if (!api) { $('plan-loading').textContent = 'Loading the planner… try again in a moment.'; return; }
    var mine = ++seq;
    $('plan-run').disabled = true;
    call('plan', JSON.stringify(readForm())).then(function (res) {
      if (mine !== seq) { return; }
      last = res;
      history.replaceState(null, '', res.query);
      $('plan-result').innerHTML = res.html;
      page.land($('plan-result'));
    }, function (err) {
      if (mine !== seq) { return; }
      last = null;
      $('plan-result').textContent = '';
      showError('plan-error', err.message);
    }).then(function () { $('plan-run').disabled = false; });
  }

  function download(name, text) {
    var type = /\.md$/.test(name) ? 'text/markdown' : /\.csv$/.test(name) ? 'text/csv' : 'text/plain';
    page.download(name, type, text);
  }

  // analyze hands a generated zone to the analyzer page, which reads it
  // from this tab's session storage once and checks it.
  function analyze(opts) {
    try {
      sessionStorage.setItem('sipdisco.handoff', JSON.stringify(opts));
    } catch (e) {
      showError('plan-error', 'This browser does not let the page hand the zone to the analyzer (' + e.message + '); download the zone and paste it there.');
      return;
    }
    location.href = document.body.dataset.base || '/';
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    generate();
  });

  $('plan-result').addEventListener('click', function (e) {
    var b = e.target.closest('button');
    if (!b || !last) { return; }
    if (b.dataset.file && last.files[b.dataset.file] !== undefined) {
      download(b.dataset.file, last.files[b.dataset.file]);
    } else if (b.dataset.analyze !== undefined && last.analyze[+b.dataset.analyze]) {
      analyze(last.analyze[+b.dataset.analyze]);
    } else if (b.dataset.print) {
      window.print();
    }
  });

  $('cert-form').addEventListener('submit', function (e) {
    e.preventDefault();
    clearError('cert-error');
    if (!api) { return; }
    call('checkCert', $('cert-pem').value, $('cert-host').value).then(function (res) {
      $('cert-result').innerHTML = res.html;
    }, function (err) {
      $('cert-result').textContent = '';
      showError('cert-error', err.message);
    });
  });

  page.start({
    module: 'tools',
    loading: 'plan-loading',
    what: 'planner',
    ready: function () {
      api = true;
      if (!location.search) { return; }
      call('parsePlan', location.search).then(function (q) {
        if (!q.found) { return; }
        fillForm(q.form);
        generate();
      }, function (err) {
        showError('plan-error', 'This link cannot be used: ' + err.message);
      });
    },
    failed: function (msg) { showError('plan-error', msg); }
  });
}());
