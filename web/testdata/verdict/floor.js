// The Go floor page of web.BenchmarkTimeToVerdict: it starts the site's
// worker (Go's wasm_exec.js and worker.js) with an empty Go module, as
// the analyzer page starts main.wasm, and shows a verdict element when
// the program has run.
(function () {
  'use strict';
  var data = document.body.dataset;
  performance.mark('sipdisco:worker');
  var w = new Worker(data.worker);
  w.onmessage = function (e) {
    if (e.data.type === 'marks') {
      // The worker's marks, copied to the page as boot.js copies the
      // analyzer's, once the outcome is shown.
      e.data.marks.forEach(function (m) { performance.mark(m.name, { startTime: m.t - performance.timeOrigin }); });
      window.floorResources = e.data.resources;
      return;
    }
    if (e.data.type !== 'exit' && e.data.type !== 'failed') { return; }
    w.postMessage({ type: 'marks' });
    var p = document.createElement('p');
    p.setAttribute('data-testid', 'outcome');
    p.textContent = e.data.type === 'exit' ? 'Go started and ran' : 'failed: ' + e.data.message;
    document.getElementById('result').appendChild(p);
  };
  w.postMessage({ type: 'start', url: data.wasm, global: 'floor' });
}());
