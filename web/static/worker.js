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
    reply({ type: 'result', id: m.id, value: v });
  }, function (err) {
    reply({ type: 'error', id: m.id, message: err.message, needs: err.needs, query: err.query });
  });
}

// compile downloads and compiles the module at url as its bytes arrive.
function compile(url) {
  if (WebAssembly.compileStreaming) {
    return WebAssembly.compileStreaming(fetch(url));
  }
  return fetch(url).then(function (r) { return r.arrayBuffer(); }).then(function (b) { return WebAssembly.compile(b); });
}

// start compiles and runs the module at m.url.
function start(m) {
  self[m.global + 'Ready'] = function (a) {
    api = a;
    reply({ type: 'ready' });
    waiting.splice(0).forEach(run);
  };
  var go = new Go();
  compile(m.url).then(function (mod) {
    return WebAssembly.instantiate(mod, go.importObject);
  }).then(function (inst) {
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
  }
};
