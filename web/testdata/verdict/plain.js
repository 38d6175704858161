// The plain-JS baseline of web.BenchmarkTimeToVerdict: the DoH questions
// the analyzer asks for bob@healthy.example with the default profile
// (the three SRV names and a wildcard probe in one round, the targets'
// addresses in the next), asked of this site's /dns-query in the DNS
// wire format (RFC 8484 GET), and the server printed. No checks, no
// report: what any page needs to show the answer.
(function () {
  'use strict';
  var d = 'healthy.example';

  function query(name, type) {
    var b = [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    name.split('.').forEach(function (l) {
      b.push(l.length);
      for (var i = 0; i < l.length; i++) { b.push(l.charCodeAt(i)); }
    });
    b.push(0, type >> 8, type & 255, 0, 1);
    var s = String.fromCharCode.apply(null, b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function readName(m, off) {
    var labels = [], jumped = -1, guard = 0;
    for (;;) {
      var c = m[off];
      if (c === 0) { off++; break; }
      if ((c & 0xC0) === 0xC0) {
        if (jumped < 0) { jumped = off + 2; }
        off = ((c & 0x3F) << 8) | m[off + 1];
        if (++guard > 64) { throw new Error('pointer loop'); }
        continue;
      }
      labels.push(String.fromCharCode.apply(null, m.subarray(off + 1, off + 1 + c)));
      off += c + 1;
    }
    return { name: labels.join('.').toLowerCase(), end: jumped >= 0 ? jumped : off };
  }

  function ask(name, type) {
    return fetch('/dns-query?dns=' + query(name, type), { headers: { Accept: 'application/dns-message' } })
      .then(function (r) { return r.arrayBuffer(); })
      .then(function (buf) {
        var m = new Uint8Array(buf);
        var an = (m[6] << 8) | m[7];
        var off = readName(m, 12).end + 4;
        var out = [];
        for (var i = 0; i < an; i++) {
          var n = readName(m, off);
          off = n.end;
          var t = (m[off] << 8) | m[off + 1];
          var len = (m[off + 8] << 8) | m[off + 9];
          var data = off + 10;
          if (t === 33) {
            out.push({ port: (m[data + 4] << 8) | m[data + 5], target: readName(m, data + 6).name });
          } else if (t === 1) {
            out.push({ addr: Array.prototype.join.call(m.subarray(data, data + 4), '.') });
          }
          off = data + len;
        }
        return out;
      });
  }

  var services = ['_sipinternaltls._tcp', '_sipinternal._tcp', '_sip._tls'];
  performance.mark('sipdisco:dns');
  Promise.all(services.map(function (s) { return ask(s + '.' + d, 33); })
    .concat([ask('sipdisco-probe-plainjs.' + d, 1)]))
    .then(function (r) {
      var first = null;
      r.slice(0, 3).forEach(function (recs) { if (!first && recs.length) { first = recs[0]; } });
      if (!first) { throw new Error('no SRV record'); }
      return ask(first.target, 1).then(function (a) { return first.target + ':' + first.port + ' ' + a.map(function (x) { return x.addr; }).join(', '); });
    })
    .then(function (s) { performance.mark('sipdisco:dns-done'); return 'The client signs in to ' + s; }, function (e) { return 'failed: ' + e.message; })
    .then(function (text) {
      var p = document.createElement('p');
      p.setAttribute('data-testid', 'outcome');
      p.textContent = text;
      document.getElementById('result').appendChild(p);
    });
}());
