// sipdisco worker: runs one of the WebAssembly modules off the page's main
// thread, so that the page stays responsive while Go starts, checks and
// renders. The site serves it after Go's wasm_exec.js, in one file (so
// that no second request waits for the first). boot.js starts it with a
// compiled module and sends it calls; it passes each call to the module's
// API object and each result or error back. No logic of the product lives
// here.
'use strict';

var api = null;
var waiting = []; // calls that arrived before the module was ready

function reply(msg) { self.postMessage(msg); }

// mark records a moment of the module's start in this worker's
// performance timeline, the first time only (a module lives as long as
// its page): its download, compilation, Go's start, the first reply of
// each function. They cost nothing until the page asks for them (a
// "marks" message; web.BenchmarkTimeToVerdict does), when they are sent
// with the module's download as this worker saw it.
var marked = {};
function mark(name) {
  if (marked[name] || !self.performance || !performance.mark) { return; }
  marked[name] = true;
  performance.mark('sipdisco:' + name);
}

// marks returns this worker's marks and module downloads, in
// milliseconds since the epoch (a worker's clock starts at its own
// origin, the page's at the page's).
function marks() {
  var o = performance.timeOrigin;
  var at = function (t) { return t ? o + t : 0; };
  return {
    type: 'marks',
    marks: performance.getEntriesByType('mark').map(function (e) { return { name: e.name, t: o + e.startTime }; }),
    resources: performance.getEntriesByType('resource').filter(function (e) { return /\.wasm$/.test(e.name); }).map(function (e) {
      return { name: e.name, fetchStart: at(e.fetchStart), responseStart: at(e.responseStart), responseEnd: at(e.responseEnd), transferSize: e.transferSize, encodedBodySize: e.encodedBodySize };
    })
  };
}

// run passes call m to the module: a function argument (a progress
// callback) becomes one that posts its arguments back to the page.
function run(m) {
  var args = m.args.slice();
  if (m.callback >= 0) {
    args[m.callback] = function () {
      reply({ type: 'callback', id: m.id, args: Array.prototype.slice.call(arguments) });
    };
  }
  var p;
  try {
    p = api[m.fn].apply(api, args);
  } catch (err) {
    reply({ type: 'error', id: m.id, message: err.message });
    return;
  }
  p.then(function (v) {
    mark('done:' + m.fn);
    reply({ type: 'result', id: m.id, value: v });
  }, function (err) {
    reply({ type: 'error', id: m.id, message: err.message, needs: err.needs, query: err.query });
  });
}

// compile downloads and compiles the module at url as its bytes arrive.
function compile(url) {
  mark('fetch');
  var got = fetch(url).then(function (r) { mark('response'); return r; });
  if (WebAssembly.compileStreaming) {
    return WebAssembly.compileStreaming(got);
  }
  return got.then(function (r) { return r.arrayBuffer(); }).then(function (b) { return WebAssembly.compile(b); });
}

// start compiles and runs the module at m.url.
function start(m) {
  mark('start');
  self[m.global + 'Ready'] = function (a) {
    api = a;
    mark('ready');
    reply({ type: 'ready' });
    waiting.splice(0).forEach(run);
  };
  var go = new Go();
  compile(m.url).then(function (mod) {
    mark('compiled');
    return WebAssembly.instantiate(mod, go.importObject);
  }).then(function (inst) {
    mark('instantiated');
    return go.run(inst).then(function () { reply({ type: 'exit' }); });
  }).catch(function (err) {
    reply({ type: 'failed', message: err.message });
  });
}

self.onmessage = function (e) {
  var m = e.data;
  if (m.type === 'start') {
    start(m);
  } else if (m.type === 'call') {
    if (api) { run(m); } else { waiting.push(m); }
  } else if (m.type === 'marks') {
    reply(marks());
  }
};
