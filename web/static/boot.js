// sipdisco page boot: what every page script (app.js, plan.js, compare.js,
// audit.js) shares — loading Go's runtime and the WebAssembly modules,
// showing an error in a page's alert box, moving the view to a result,
// and offering a file for download. It runs before the page's own script
// (both are deferred, in document order) and defines window.sipdiscoPage.
// No logic of the product lives here.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };

  // The two modules: the analyzer's (main.wasm: a live check, a snapshot,
  // the sign-in ladder) and the tools (tools.wasm: planned zones, pasted
  // certificates, internationalized names, the Plan, Compare and Audit
  // pages). Each installs a global object and calls <global>Ready.
  var modules = {
    analyzer: { attr: 'wasm', global: 'sipdisco' },
    tools: { attr: 'tools', global: 'sipdiscoTools' }
  };

  function compile(url) {
    if (WebAssembly.compileStreaming) {
      return WebAssembly.compileStreaming(fetch(url));
    }
    return fetch(url).then(function (r) { return r.arrayBuffer(); }).then(function (b) { return WebAssembly.compile(b); });
  }

  // instance starts module m, compiled once, and resolves to its API
  // object. If the Go program ever stops, the next call starts it anew:
  // no input can leave the page without its analyzer.
  function instance(m) {
    if (m.live) { return m.live; }
    var url = document.body.dataset[m.attr];
    if (!m.compiled) { m.compiled = compile(url); }
    m.live = new Promise(function (resolve, reject) {
      window[m.global + 'Ready'] = function (api) { resolve(api); };
      var go = new Go();
      m.compiled.then(function (mod) {
        return WebAssembly.instantiate(mod, go.importObject);
      }).then(function (inst) {
        m.exit = go.run(inst).then(function () { m.live = null; });
      }).catch(function (err) {
        m.live = null;
        m.compiled = null;
        reject(err);
      });
    });
    return m.live;
  }

  // call runs fn of module name with args and resolves to its result; it
  // rejects with the module's error, or when the module stops during the
  // call.
  function call(name, fn) {
    var m = modules[name];
    var args = Array.prototype.slice.call(arguments, 2);
    return instance(m).then(function (api) {
      var stopped = m.exit.then(function () {
        throw new Error('the analyzer stopped while it worked on this and has been restarted; try again, and if it happens again the input is more than it can handle');
      });
      return Promise.race([api[fn].apply(api, args), stopped]);
    });
  }

  // showError puts msg in the alert element id and moves focus there so
  // screen readers announce it. The first letter is capitalised unless
  // the message starts with something the user typed (an address, a
  // name or a URL), which is shown as typed.
  function showError(id, msg) {
    var el = $(id);
    var first = (msg || '').split(/\s/)[0];
    el.textContent = msg && !/[@.:\/\\]/.test(first) ? msg.charAt(0).toUpperCase() + msg.slice(1) : msg;
    el.hidden = false;
    el.focus();
  }

  function clearError(id) {
    $(id).hidden = true;
    $(id).textContent = '';
  }

  // land brings el to the top of the view and gives it the focus, so that
  // a result is read from its verdict on a phone as on a desktop.
  function land(el) {
    if (!el) { return; }
    if (!el.hasAttribute('tabindex')) { el.setAttribute('tabindex', '-1'); }
    el.scrollIntoView({ block: 'start' });
    el.focus({ preventScroll: true });
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

  // start loads the page's module (opts.module, the analyzer's by
  // default). When it is ready it hides the element opts.loading and
  // calls opts.ready(); when loading fails it says so there and calls
  // opts.failed(message). opts.what names the tool in those messages
  // ("analyzer", "planner").
  function start(opts) {
    instance(modules[opts.module || 'analyzer']).then(function () {
      $(opts.loading).hidden = true;
      opts.ready();
    }, function (err) {
      $(opts.loading).textContent = 'The ' + opts.what + ' could not be loaded.';
      opts.failed('The ' + opts.what + ' could not be loaded (' + err.message + '). Reload the page; if it persists, your browser may block WebAssembly.');
    });
  }

  window.sipdiscoPage = { start: start, call: call, showError: showError, clearError: clearError, land: land, download: download };
}());
