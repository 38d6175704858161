// sipdisco page boot: what every page script (app.js, plan.js, compare.js,
// audit.js) shares — loading Go's runtime and main.wasm, showing an error
// in a page's alert box, and offering a file for download. It runs before
// the page's own script (both are deferred, in document order) and defines
// window.sipdiscoPage. No logic of the product lives here.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };

  // showError puts msg, capitalised, in the alert element id and moves
  // focus there so screen readers announce it.
  function showError(id, msg) {
    var el = $(id);
    el.textContent = msg ? msg.charAt(0).toUpperCase() + msg.slice(1) : msg;
    el.hidden = false;
    el.focus();
  }

  function clearError(id) {
    $(id).hidden = true;
    $(id).textContent = '';
  }

  // download offers text as a file called name.
  function download(name, type, text) {
    var a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  // start loads main.wasm. When Go has installed the sipdisco object it
  // hides the element opts.loading and calls opts.ready(api); when loading
  // fails it says so there and calls opts.failed(message). opts.what names
  // the tool in those messages ("analyzer", "planner").
  function start(opts) {
    window.sipdiscoReady = function (api) {
      $(opts.loading).hidden = true;
      opts.ready(api);
    };
    var go = new Go();
    var wasm = document.body.dataset.wasm;
    var load = WebAssembly.instantiateStreaming
      ? WebAssembly.instantiateStreaming(fetch(wasm), go.importObject)
      : fetch(wasm).then(function (r) { return r.arrayBuffer(); }).then(function (b) { return WebAssembly.instantiate(b, go.importObject); });
    load.then(function (r) {
      go.run(r.instance);
    }, function (err) {
      $(opts.loading).textContent = 'The ' + opts.what + ' could not be loaded.';
      opts.failed('The ' + opts.what + ' could not be loaded (' + err.message + '). Reload the page; if it persists, your browser may block WebAssembly.');
    });
  }

  window.sipdiscoPage = { start: start, showError: showError, clearError: clearError, download: download };
}());
