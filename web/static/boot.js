// sipdisco page boot: what every page script (app.js, plan.js, compare.js,
// audit.js) shares — running the WebAssembly modules in workers,
// showing an error in a page's alert box, moving the view to a result,
// and offering a file for download. It runs before the page's own script
// (deferred, or from the head on the analyzer's page, where it also starts
// the module: see early) and defines window.sipdiscoPage.
// No logic of the product lives here.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };

  // The two modules: the analyzer's (main.wasm: a live check, a snapshot,
  // the sign-in ladder) and the tools (tools.wasm: planned zones, pasted
  // certificates, internationalized names, the Plan, Compare and Audit
  // pages). Each runs in a worker of its own (worker.js), off the main
  // thread, and installs a global object there.
  var modules = {
    analyzer: { attr: 'wasm', global: 'sipdisco' },
    tools: { attr: 'tools', global: 'sipdiscoTools' }
  };

  // On the analyzer's page this script runs from the head, as soon as it
  // arrives, and its element names the module to start at once
  // (data-start) and the URLs (data-worker, data-wasm): the module's
  // download, the largest on the page, starts before the body is parsed
  // and the page's own script has loaded. Elsewhere the URLs are the
  // body's data attributes.
  var script = document.currentScript;
  var early = script ? script.dataset : {};
  function url(name) { return early[name] || document.body.dataset[name]; }

  var stopped = 'the analyzer stopped while it worked on this and has been restarted; try again, and if it happens again the input is more than it can handle';

  // instance starts module m's worker and resolves when its module is
  // ready. If the Go program ever stops, its calls are refused and the
  // next call starts a new worker: no input can leave the page without
  // its analyzer.
  function instance(m) {
    if (m.live) { return m.live; }
    if (window.performance && performance.mark) { performance.mark('sipdisco:worker'); }
    var w = new Worker(url('worker'));
    m.worker = w;
    m.calls = {};
    m.live = new Promise(function (resolve, reject) {
      w.onmessage = function (e) {
        var msg = e.data;
        var c = m.calls[msg.id];
        switch (msg.type) {
        case 'ready':
          resolve(w);
          break;
        case 'failed':
          m.live = null;
          w.terminate();
          reject(new Error(msg.message));
          break;
        case 'exit':
          m.live = null;
          w.terminate();
          Object.keys(m.calls).forEach(function (id) { m.calls[id].reject(new Error(stopped)); });
          m.calls = {};
          break;
        case 'marks':
          copyMarks(msg, m);
          break;
        case 'callback':
          if (c && c.callback) { c.callback.apply(null, msg.args); }
          break;
        case 'result':
        case 'error':
          if (!c) { break; }
          if (window.performance && performance.mark && !performance.getEntriesByName('sipdisco:reply:' + c.fn, 'mark').length) {
            performance.mark('sipdisco:reply:' + c.fn);
          }
          delete m.calls[msg.id];
          if (msg.type === 'result') {
            c.resolve(msg.value);
          } else {
            var err = new Error(msg.message);
            err.needs = msg.needs;
            err.query = msg.query; // the link of the inputs a failed check read
            c.reject(err);
          }
        }
      };
      w.onerror = function (e) {
        m.live = null;
        reject(new Error(e.message || 'the worker could not start'));
      };
      // The worker downloads and compiles the module itself, as the
      // bytes arrive: nothing of it runs on the page's main thread.
      w.postMessage({ type: 'start', url: url(m.attr), global: m.global });
    });
    return m.live;
  }

  // copyMarks puts the marks a worker sent (worker.js) in the page's
  // performance timeline, as sipdisco:NAME marks, and resolves m's
  // pending marks() with the worker's module downloads.
  function copyMarks(msg, m) {
    msg.marks.forEach(function (e) {
      if (performance.getEntriesByName(e.name, 'mark').length === 0) {
        performance.mark(e.name, { startTime: e.t - performance.timeOrigin });
      }
    });
    var done = m.marked;
    m.marked = null;
    if (done) { done(msg.resources); }
  }

  // marks asks the analyzer's worker for its marks (see worker.js) and
  // resolves, once they are in the page's timeline, with its module
  // downloads; with null when no module was started. Nothing on the page
  // calls it: web.BenchmarkTimeToVerdict does, to say where the time to
  // a verdict goes.
  function marks() {
    var m = modules.analyzer;
    if (!m.worker || !window.performance || !performance.mark) { return Promise.resolve(null); }
    return new Promise(function (resolve) {
      m.marked = resolve;
      m.worker.postMessage({ type: 'marks' });
    });
  }

  var nextCall = 0;

  // call runs fn of module name with args and resolves to its result; it
  // rejects with the module's error, or when the module stops during the
  // call. One argument may be a function (a progress callback).
  function call(name, fn) {
    var m = modules[name];
    var args = Array.prototype.slice.call(arguments, 2);
    return instance(m).then(function (w) {
      return new Promise(function (resolve, reject) {
        var id = ++nextCall;
        var callback = -1;
        var sent = args.map(function (a, i) {
          if (typeof a === 'function') { callback = i; return null; }
          return a;
        });
        m.calls[id] = { fn: fn, resolve: resolve, reject: reject, callback: callback >= 0 ? args[callback] : null };
        w.postMessage({ type: 'call', id: id, fn: fn, args: sent, callback: callback });
      });
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

  // followStrict makes the "Strict DNS naming" box (id box) follow the
  // client chosen in the select (id select): each option's data-strict is
  // that client's documented default. Once the user sets the box, it stays
  // as set; a link or snapshot filling the form is not the user.
  function followStrict(select, box) {
    var set = false;
    $(box).addEventListener('change', function () { set = true; });
    $(select).addEventListener('change', function () {
      var o = this.options[this.selectedIndex];
      if (set || !o || !o.dataset.strict) { return; }
      $(box).checked = o.dataset.strict === '1';
    });
  }

  if (early.start && modules[early.start]) {
    // A failure is reported by start(), which the page's script calls.
    instance(modules[early.start]).catch(function () {});
  }

  window.sipdiscoPage = { start: start, call: call, showError: showError, clearError: clearError, land: land, download: download, followStrict: followStrict, marks: marks };
}());
